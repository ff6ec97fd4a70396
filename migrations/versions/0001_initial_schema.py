"""initial schema: the tables of cases, the catalogue, grids and users

Revision ID: 0001
Revises:
Create Date: 2026-11-24 21:22:51.112780
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_number_counters',
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_case_number_counters'))
    )
    op.create_table('categories',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('case_type', sa.String(length=10), nullable=False),
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.CheckConstraint("(parent_id IS NULL AND code ~ '^[0-9]{2}$') OR (parent_id IS NOT NULL AND code ~ '^[0-9]{4}$')", name=op.f('ck_categories_code_by_level')),
    sa.CheckConstraint("case_type IN ('component', 'event')", name=op.f('ck_categories_case_type')),
    sa.ForeignKeyConstraint(['parent_id'], ['categories.id'], name=op.f('fk_categories_parent_id_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('case_type', 'code', name=op.f('uq_categories_case_type_code'))
    )
    op.create_index(op.f('ix_categories_parent_id'), 'categories', ['parent_id'], unique=False)
    op.create_table('departments',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_departments'))
    )
    op.create_table('grids',
    sa.Column('code', sa.String(length=15), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('community_code', sa.String(length=12), nullable=False),
    sa.Column('polygon', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('area_m2', sa.Double(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("code ~ '^[0-9]{15}$'", name=op.f('ck_grids_code_15_digits')),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_grids_dates_in_order')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_grids'))
    )
    op.create_index('ix_grids_community', 'grids', ['community_code'], unique=False)
    op.create_table('time_limits',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('urgency', sa.String(length=10), nullable=False),
    sa.Column('amount', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.CheckConstraint("stage IN ('verify', 'register', 'dispatch', 'check', 'close')", name=op.f('ck_time_limits_stage')),
    sa.CheckConstraint("unit IN ('emergency_hours', 'working_hours', 'working_days', 'natural_days', 'natural_hours')", name=op.f('ck_time_limits_unit')),
    sa.CheckConstraint("urgency IN ('ordinary', 'urgent')", name=op.f('ck_time_limits_urgency')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_time_limits_amount_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_limits')),
    sa.UniqueConstraint('stage', 'urgency', name=op.f('uq_time_limits_stage_urgency'))
    )
    op.create_table('filing_conditions',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.SmallInteger(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('limit_amount', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('limit_unit', sa.String(length=20), nullable=False),
    sa.Column('closing_condition', sa.Text(), nullable=False),
    sa.Column('handling_department_code', sa.String(length=20), nullable=False),
    sa.Column('supervising_department_code', sa.String(length=20), nullable=True),
    sa.CheckConstraint("limit_unit IN ('emergency_hours', 'working_hours', 'working_days', 'natural_days', 'natural_hours')", name=op.f('ck_filing_conditions_limit_unit')),
    sa.CheckConstraint('limit_amount > 0', name=op.f('ck_filing_conditions_limit_positive')),
    sa.CheckConstraint('seq BETWEEN 1 AND 8', name=op.f('ck_filing_conditions_seq_1_to_8')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_filing_conditions_category_id_categories')),
    sa.ForeignKeyConstraint(['handling_department_code'], ['departments.code'], name=op.f('fk_filing_conditions_handling_department_code_departments')),
    sa.ForeignKeyConstraint(['supervising_department_code'], ['departments.code'], name=op.f('fk_filing_conditions_supervising_department_code_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filing_conditions')),
    sa.UniqueConstraint('category_id', 'seq', name=op.f('uq_filing_conditions_category_id_seq'))
    )
    op.create_table('users',
    sa.Column('login', sa.String(length=63), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('roles', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('department_code', sa.String(length=20), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(department_code IS NOT NULL) = ('department' = ANY(roles))", name=op.f('ck_users_department_iff_department_role')),
    sa.CheckConstraint("roles <@ ARRAY['acceptor', 'shift_leader', 'dispatcher', 'inspector', 'monitor', 'department', 'admin']::text[]", name=op.f('ck_users_known_roles')),
    sa.ForeignKeyConstraint(['department_code'], ['departments.code'], name=op.f('fk_users_department_code_departments')),
    sa.PrimaryKeyConstraint('login', name=op.f('pk_users'))
    )
    op.create_table('cases',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('case_type', sa.String(length=10), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('filing_condition_id', sa.Integer(), nullable=True),
    sa.Column('urgency', sa.String(length=10), server_default='ordinary', nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('address', sa.Text(), server_default='', nullable=False),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('grid_code', sa.String(length=15), nullable=True),
    sa.Column('reporter', sa.String(length=100), nullable=True),
    sa.Column('reporter_phone', sa.String(length=40), nullable=True),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('current_department', sa.String(length=20), nullable=True),
    sa.Column('stage_started_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('stage_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deadline_sort', sa.DateTime(timezone=True), sa.Computed("coalesce(stage_deadline, '9999-12-31 00:00+00'::timestamptz)", persisted=True), nullable=False),
    sa.Column('deadline_status', sa.String(length=10), server_default='normal', nullable=False),
    sa.Column('pending_request', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('resume_on', sa.Date(), nullable=True),
    sa.Column('merged_into', sa.BigInteger(), nullable=True),
    sa.Column('rework_count', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('extension_count', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("case_type IN ('component', 'event')", name=op.f('ck_cases_case_type')),
    sa.CheckConstraint("deadline_status IN ('normal', 'warning', 'overdue')", name=op.f('ck_cases_deadline_status')),
    sa.CheckConstraint("source IN ('collector', 'hotline_12319', 'mayor_mailbox', 'online', 'media', 'walk_in', 'inspection')", name=op.f('ck_cases_source')),
    sa.CheckConstraint("state IN ('reported', 'verifying', 'verified', 'unverified', 'pre_registered', 'registered', 'dispatched', 'handling', 'handled', 'checking', 'check_passed', 'check_failed', 'return_requested', 'returned', 'extension_requested', 'postponement_requested', 'postponed', 'closed', 'rejected', 'voided', 'merged')", name=op.f('ck_cases_state')),
    sa.CheckConstraint("urgency IN ('ordinary', 'urgent')", name=op.f('ck_cases_urgency')),
    sa.CheckConstraint('latitude BETWEEN -90 AND 90', name=op.f('ck_cases_latitude')),
    sa.CheckConstraint('longitude BETWEEN -180 AND 180', name=op.f('ck_cases_longitude')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_cases_version')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_cases_category_id_categories')),
    sa.ForeignKeyConstraint(['current_department'], ['departments.code'], name=op.f('fk_cases_current_department_departments')),
    sa.ForeignKeyConstraint(['filing_condition_id'], ['filing_conditions.id'], name=op.f('fk_cases_filing_condition_id_filing_conditions')),
    sa.ForeignKeyConstraint(['grid_code'], ['grids.code'], name=op.f('fk_cases_grid_code_grids')),
    sa.ForeignKeyConstraint(['merged_into'], ['cases.id'], name=op.f('fk_cases_merged_into_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('number', name=op.f('uq_cases_number'))
    )
    op.create_index('ix_cases_category_id', 'cases', ['category_id'], unique=False)
    op.create_index('ix_cases_created', 'cases', ['created_at', 'id'], unique=False)
    op.create_index('ix_cases_deadline_status', 'cases', ['deadline_status'], unique=False, postgresql_where=sa.text("deadline_status <> 'normal'"))
    op.create_index('ix_cases_department_deadline', 'cases', ['current_department', 'deadline_sort', 'id'], unique=False, postgresql_where=sa.text("state NOT IN ('closed', 'merged', 'rejected', 'voided')"))
    op.create_index('ix_cases_grid_code', 'cases', ['grid_code'], unique=False)
    op.create_index('ix_cases_open_created', 'cases', ['created_at', 'id'], unique=False, postgresql_where=sa.text("state NOT IN ('closed', 'merged', 'rejected', 'voided')"))
    op.create_index('ix_cases_open_deadline', 'cases', ['deadline_sort', 'id'], unique=False, postgresql_where=sa.text("state NOT IN ('closed', 'merged', 'rejected', 'voided')"))
    op.create_index('ix_cases_state_created', 'cases', ['state', 'created_at', 'id'], unique=False)
    op.create_index('ix_cases_state_deadline', 'cases', ['state', 'deadline_sort', 'id'], unique=False)
    op.create_table('attachments',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('step', sa.String(length=10), nullable=False),
    sa.Column('filename', sa.String(length=255), server_default='', nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('thumbnail', sa.LargeBinary(), nullable=True),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('uploaded_by', sa.String(length=63), server_default=sa.text('current_user'), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("step IN ('report', 'verify', 'handling', 'check')", name=op.f('ck_attachments_step')),
    sa.CheckConstraint('size = octet_length(data)', name=op.f('ck_attachments_size_matches')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_attachments_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    op.create_index('ix_attachments_case_id', 'attachments', ['case_id', 'id'], unique=False)
    op.create_table('case_events',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_state', sa.String(length=30), nullable=True),
    sa.Column('to_state', sa.String(length=30), nullable=False),
    sa.Column('actor', sa.String(length=63), server_default=sa.text('current_user'), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events'))
    )
    op.create_index('ix_case_events_case_id', 'case_events', ['case_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_case_events_case_id', table_name='case_events')
    op.drop_table('case_events')
    op.drop_index('ix_attachments_case_id', table_name='attachments')
    op.drop_table('attachments')
    op.drop_index('ix_cases_state_deadline', table_name='cases')
    op.drop_index('ix_cases_state_created', table_name='cases')
    op.drop_index('ix_cases_open_deadline', table_name='cases', postgresql_where=sa.text("state NOT IN ('closed', 'merged', 'rejected', 'voided')"))
    op.drop_index('ix_cases_open_created', table_name='cases', postgresql_where=sa.text("state NOT IN ('closed', 'merged', 'rejected', 'voided')"))
    op.drop_index('ix_cases_grid_code', table_name='cases')
    op.drop_index('ix_cases_department_deadline', table_name='cases', postgresql_where=sa.text("state NOT IN ('closed', 'merged', 'rejected', 'voided')"))
    op.drop_index('ix_cases_deadline_status', table_name='cases', postgresql_where=sa.text("deadline_status <> 'normal'"))
    op.drop_index('ix_cases_created', table_name='cases')
    op.drop_index('ix_cases_category_id', table_name='cases')
    op.drop_table('cases')
    op.drop_table('users')
    op.drop_table('filing_conditions')
    op.drop_table('time_limits')
    op.drop_index('ix_grids_community', table_name='grids')
    op.drop_table('grids')
    op.drop_table('departments')
    op.drop_index(op.f('ix_categories_parent_id'), table_name='categories')
    op.drop_table('categories')
    op.drop_table('case_number_counters')
