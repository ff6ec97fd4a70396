"""The schema, as SQLAlchemy 2.x typed models.

The privileges, row-level security and triggers that the database enforces are not
expressible here; they live in the Alembic revisions (``migrations/versions``), and
``seatdesk.db.security`` names the roles and functions they create.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from seatdesk.domain.glossary import (
    CENTRE_STAGES,
    FINAL_STATES,
    AttachmentStep,
    CaseType,
    DeadlineStatus,
    Role,
    Source,
    Stage,
    State,
    TimeUnit,
    Urgency,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: Any) -> str:
    return f"{column} IN ({', '.join(repr(str(v.value)) for v in values)})"


#: The sort key of deadline queues: cases without a stage deadline sort last. Not
#: 'infinity', which psycopg2 cannot hand back as a datetime for a keyset cursor.
#: Stored as the generated column ``cases.deadline_sort``.
DEADLINE_SORT_SQL = "coalesce(stage_deadline, '9999-12-31 00:00+00'::timestamptz)"
#: The predicate of the partial indexes over open cases.
#: A case's urgency rank (0 overdue, 1 near the deadline, 2 the rest), as indexed. Laid
#: out as PostgreSQL prints it, line breaks included, so that ``alembic check`` finds
#: the index equal to the model's.
URGENCY_RANK_SQL = (
    "\nCASE deadline_status\n    WHEN 'overdue'::text THEN 0\n    WHEN 'warning'::text THEN 1"
    "\n    ELSE 2\nEND"
)
OPEN_CASE_SQL = f"state NOT IN ({', '.join(repr(s.value) for s in sorted(FINAL_STATES))})"


#: Tables defined in SQL by their migrations and read only by the database's own
#: functions (the workflow table they check, the counters they keep): no models.
SQL_ONLY_TABLES = frozenset(
    {
        "workflow_states",
        "workflow_actions",
        "workflow_transitions",
        "database_roles",
        "complaints",
        "complaint_events",
        "complaint_number_counters",
        "personal_data_reads",
        "personal_data_requests",
        "complaint_import_mappings",
        "intake_items",
        "open311_services",
        "monthly_reports",
        "monthly_report_events",
        "backup_runs",
        "backup_run_events",
        "callback_samples",
        "callback_sample_items",
        # The department counters' facts and the settings audit (migration 0022).
        "case_handlings",
        "settings_events",
        "case_milestones",
        "collector_tasks",
        "seat_user_hours",
        "seat_user_day_changes",
        # The departments' audit (migration 0029).
        "department_events",
        # The audit of the centre's rules (migration 0030).
        "rules_events",
        # Collectors, their grids and the patrol densities (migration 0031).
        "collectors",
        "grid_types",
        "grid_patrol_types",
        "collector_grids",
        "collector_events",
        # Staff assessment (考核, migration 0032).
        "assessment_rules",
        "assessment_entries",
        "assessment_suggestions",
        "assessment_decisions",
    }
)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Department(Base):
    """专业部门: a professional department that handles cases."""

    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    contact: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class User(Base):
    """The profile of a seat user. ``login`` is its PostgreSQL role; no password here."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "roles <@ ARRAY[" + ", ".join(f"'{r.value}'" for r in Role) + "]::text[]",
            name="known_roles",
        ),
        CheckConstraint(
            "(department_code IS NOT NULL) = ('department' = ANY(roles))",
            name="department_iff_department_role",
        ),
    )

    login: Mapped[str] = mapped_column(String(63), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    roles: Mapped[list[str]] = mapped_column(ARRAY(Text))
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"))
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class UserEvent(Base):
    """The append-only log of user management: accounts created, roles changed,
    passwords set, users disabled or enabled. Written only by the user functions
    (migration 0008), with ``actor`` = the database's ``session_user``; never a secret."""

    __tablename__ = "user_events"
    __table_args__ = (
        CheckConstraint(
            "action IN ('user_created', 'roles_changed', 'password_reset', "
            "'password_changed', 'disabled', 'enabled')",
            name="action",
        ),
        Index("ix_user_events_login", "login", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor: Mapped[str] = mapped_column(String(63))
    action: Mapped[str] = mapped_column(String(30))
    login: Mapped[str] = mapped_column(String(63))
    detail: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default=text("'{}'::jsonb")
    )


class Grid(Base):
    """万米单元网格. A changed grid gets a new code; the old one an end date, never a delete."""

    __tablename__ = "grids"
    __table_args__ = (
        CheckConstraint("code ~ '^[0-9]{15}$'", name="code_15_digits"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_in_order"),
        Index("ix_grids_community", "community_code"),
    )

    code: Mapped[str] = mapped_column(String(15), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    community_code: Mapped[str] = mapped_column(String(12))
    polygon: Mapped[dict[str, Any]] = mapped_column(JSONB)
    area_m2: Mapped[float] = mapped_column(Double)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class Category(Base):
    """部件/事件 catalogue: major classes (2-digit code) and minor classes (4-digit code).

    Cities number classes differently and add local ones counting down from 99, so the
    catalogue is data loaded from ``seatdesk/data/catalogue.json`` or by an admin.
    """

    __tablename__ = "categories"
    __table_args__ = (
        UniqueConstraint("case_type", "code"),
        CheckConstraint(_in("case_type", CaseType), name="case_type"),
        CheckConstraint(
            "(parent_id IS NULL AND code ~ '^[0-9]{2}$') OR "
            "(parent_id IS NOT NULL AND code ~ '^[0-9]{4}$')",
            name="code_by_level",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(always=True), primary_key=True)
    case_type: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class FilingCondition(Base):
    """立案条件: one of the 1–8 conditions under a minor class, with its time limit."""

    __tablename__ = "filing_conditions"
    __table_args__ = (
        UniqueConstraint("category_id", "seq"),
        CheckConstraint("seq BETWEEN 1 AND 8", name="seq_1_to_8"),
        CheckConstraint("limit_amount > 0", name="limit_positive"),
        CheckConstraint(_in("limit_unit", TimeUnit), name="limit_unit"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(always=True), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    seq: Mapped[int] = mapped_column(SmallInteger)
    description: Mapped[str] = mapped_column(Text)
    limit_amount: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    limit_unit: Mapped[str] = mapped_column(String(20))
    closing_condition: Mapped[str] = mapped_column(Text)
    handling_department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    supervising_department_code: Mapped[str | None] = mapped_column(
        ForeignKey("departments.code")
    )


class TimeLimit(Base):
    """The centre's own stage limits (verify, register, dispatch, check, close) per urgency."""

    __tablename__ = "time_limits"
    __table_args__ = (
        UniqueConstraint("stage", "urgency"),
        CheckConstraint(_in("stage", CENTRE_STAGES), name="stage"),
        CheckConstraint(_in("urgency", Urgency), name="urgency"),
        CheckConstraint(_in("unit", TimeUnit), name="unit"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(always=True), primary_key=True)
    stage: Mapped[str] = mapped_column(String(20))
    urgency: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 4))
    unit: Mapped[str] = mapped_column(String(20))


class CalendarDay(Base):
    """A day that differs from what the calendar would say: a local day off, an extra
    working day, or a day of a year's schedule entered by an administrator."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(100), server_default="")
    #: Set one by one by the centre (a local day off or working day), not part of an
    #: imported schedule (migration 0030).
    local: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    updated_by: Mapped[str] = mapped_column(String(63), server_default=text("current_user"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CalendarYear(Base):
    """A year whose holiday schedule (节假日安排) an administrator entered."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    note: Mapped[str] = mapped_column(Text, server_default="")
    entered_by: Mapped[str] = mapped_column(String(63), server_default=text("current_user"))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CalendarStatutory(Base):
    """China's statutory holidays and adjusted working days (调休) of the years the
    ``chinesecalendar`` package knows, seeded by migration 0006."""

    __tablename__ = "calendar_statutory"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(100), server_default="")


class WorkingPeriod(Base):
    """One office period of one working day (2004–2050), with the working time before
    it and through its end; the database rebuilds these whenever the calendar, the
    office hours or the time zone change (owner only, migration 0006)."""

    __tablename__ = "working_periods"

    period_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    period_end: Mapped[datetime] = mapped_column(DateTime(timezone=True), unique=True)
    before_us: Mapped[int] = mapped_column(BigInteger)
    through_us: Mapped[int] = mapped_column(BigInteger, unique=True)


class CentreSetting(Base):
    """The centre's settings that every workstation shares (time zone, office hours,
    warning policy, extension limit), as JSON values under a key. Written only through
    ``seatdesk_set_centre_setting`` (migration 0006)."""

    __tablename__ = "centre_settings"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONB)


class CaseNumberCounter(Base):
    """The last sequence number given out per year (case numbers are year + sequence)."""

    __tablename__ = "case_number_counters"

    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Case(Base):
    """案卷."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(_in("state", State), name="state"),
        CheckConstraint(_in("source", Source), name="source"),
        CheckConstraint(_in("case_type", CaseType), name="case_type"),
        CheckConstraint(_in("urgency", Urgency), name="urgency"),
        CheckConstraint(_in("deadline_status", DeadlineStatus), name="deadline_status"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude"),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude"),
        CheckConstraint("version >= 1", name="version"),
        # The queues: open cases by deadline or by arrival, overall, per state and per
        # department. Partial on open cases so closed history does not weigh on them.
        Index(
            "ix_cases_open_deadline",
            "deadline_sort",
            "id",
            postgresql_where=text(OPEN_CASE_SQL),
        ),
        Index("ix_cases_open_created", "created_at", "id", postgresql_where=text(OPEN_CASE_SQL)),
        Index("ix_cases_state_deadline", "state", "deadline_sort", "id"),
        Index("ix_cases_state_created", "state", "created_at", "id"),
        Index(
            "ix_cases_department_deadline",
            "current_department",
            "deadline_sort",
            "id",
            postgresql_where=text(OPEN_CASE_SQL),
        ),
        Index("ix_cases_created", "created_at", "id"),
        Index("ix_cases_grid_code", "grid_code"),
        Index("ix_cases_category_id", "category_id"),
        Index(
            "ix_cases_deadline_status",
            "deadline_status",
            postgresql_where=text("deadline_status <> 'normal'"),
        ),
        CheckConstraint(_in("stage", Stage), name="stage"),
        # The search (migration 0011): a number anywhere (a needle of four digits or
        # more starts within the first eight characters of an 11-character number),
        # the reporter's phone by its beginning or end, the reporter by name.
        Index("ix_cases_number_at_1", "number", postgresql_ops={"number": "text_pattern_ops"}),
        *(
            Index(
                f"ix_cases_number_at_{k}",
                text(f"substr((number)::text, {k}) text_pattern_ops"),
            )
            for k in range(2, 9)
        ),
        Index(
            "ix_cases_reporter_phone",
            "reporter_phone",
            postgresql_ops={"reporter_phone": "text_pattern_ops"},
        ),
        Index(
            "ix_cases_reporter_phone_reversed",
            text("reverse((reporter_phone)::text) text_pattern_ops"),
        ),
        Index("ix_cases_reporter", "reporter", postgresql_ops={"reporter": "text_pattern_ops"}),
        # Working queues, most urgent first (``seatdesk.services.queues.SortKey.URGENT``).
        Index(
            "ix_cases_open_urgent",
            text(URGENCY_RANK_SQL),
            "deadline_sort",
            "id",
            postgresql_where=text(OPEN_CASE_SQL),
        ),
        # The cases to place: no grid (no location, or outside every grid).
        Index(
            "ix_cases_unplaced", "deadline_sort", "id", postgresql_where=text("grid_code IS NULL")
        ),
        # A grid's collector reports of a period: the coverage view (migration 0031).
        Index(
            "ix_cases_collector_reports", "created_at", postgresql_include=["grid_code"],
            postgresql_where=text("source = 'collector'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    source: Mapped[str] = mapped_column(String(20))
    case_type: Mapped[str] = mapped_column(String(10))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    filing_condition_id: Mapped[int | None] = mapped_column(ForeignKey("filing_conditions.id"))
    urgency: Mapped[str] = mapped_column(String(10), server_default=Urgency.ORDINARY.value)
    description: Mapped[str] = mapped_column(Text, server_default="")
    address: Mapped[str] = mapped_column(Text, server_default="")
    longitude: Mapped[float | None] = mapped_column(Double)
    latitude: Mapped[float | None] = mapped_column(Double)
    grid_code: Mapped[str | None] = mapped_column(ForeignKey("grids.code"))
    reporter: Mapped[str | None] = mapped_column(String(100))
    reporter_phone: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(30))
    current_department: Mapped[str | None] = mapped_column(ForeignKey("departments.code"))
    stage_started_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    stage_deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The deadline queues sort and paginate on (a plain column, so plain indexes).
    deadline_sort: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), Computed(DEADLINE_SORT_SQL, persisted=True)
    )
    deadline_status: Mapped[str] = mapped_column(
        String(10), server_default=DeadlineStatus.NORMAL.value
    )
    # The clock of the current stage (seatdesk.domain.deadlines.StageClock): kept so
    # that deadlines can be recomputed exactly when the calendar changes, and so that
    # the sweep is a plain comparison with ``warning_at`` and ``stage_deadline``.
    stage: Mapped[str | None] = mapped_column(String(20))
    stage_limit_unit: Mapped[str | None] = mapped_column(String(20))
    stage_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    clock_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    allowance_minutes: Mapped[int | None] = mapped_column(Integer)
    warning_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The open department request (extension, postponement) awaiting the shift leader.
    pending_request: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    resume_on: Mapped[date | None] = mapped_column(Date)
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    rework_count: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    extension_count: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CaseEvent(Base):
    """The append-only audit log. A trigger refuses UPDATE, DELETE and TRUNCATE and
    stamps ``actor`` with the database's ``current_user``."""

    __tablename__ = "case_events"
    __table_args__ = (
        Index("ix_case_events_case_id", "case_id", "id"),
        # The statistics of seat users and collectors read a period's events (0023).
        Index("ix_case_events_at", "at", postgresql_include=["action", "actor"]),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(63), server_default=text("current_user"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class Attachment(Base):
    """A photo of a case, with the step it belongs to."""

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint(_in("step", AttachmentStep), name="step"),
        CheckConstraint("size = octet_length(data)", name="size_matches"),
        Index("ix_attachments_case_id", "case_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    step: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(255), server_default="")
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    uploaded_by: Mapped[str] = mapped_column(String(63), server_default=text("current_user"))
    uploaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
