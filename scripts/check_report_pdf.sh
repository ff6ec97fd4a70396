#!/usr/bin/env bash
# The monthly report opens outside Python: a demo county in a throwaway embedded
# database, last month's report written by `seatdesk report`, converted to PDF by
# LibreOffice headless and checked (scripts/render_workbook.py --check: a page per
# sheet, each sheet's header and every chart's title drawn in the PDF).
#
#   bash scripts/check_report_pdf.sh [OUT_DIR]     # OUT_DIR keeps the workbook, PDF, PNGs
#
# Needs the venv (seatdesk on PATH) and the report tools
# (bash scripts/install_system_packages.sh --report-tools). .ci/run runs it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
ME=check_report_pdf
WORK=$(mktemp -d "${TMPDIR:-/tmp}/seatdesk-report-pdf.XXXXXX")
OUT=${1:-$WORK/out}
# The demo's size: last month holds about a third of its cases (they span 90 days).
CASES=${SEATDESK_REPORT_CHECK_CASES:-3000}

cleanup() {
    # The embedded server stops with the last seatdesk process; then its folder goes.
    rm -rf -- "$WORK"
}
trap cleanup EXIT

say() { printf '%s: %s\n' "$ME" "$*"; }

# A database of its own: never a configured shared server, never the user's data.
unset SEATDESK_DATABASE_URL
export SEATDESK_DATA_DIR=$WORK/data
export XDG_CONFIG_HOME=$WORK/config
mkdir -p "$OUT"

MONTH=$(python -c 'from datetime import date; from seatdesk.domain.statistics import Month; print(Month.of(date.today()).previous())')

say "demo county, $CASES cases, in $SEATDESK_DATA_DIR"
start=$SECONDS
seatdesk demo --cases "$CASES" --seed 7 >"$WORK/demo.log" 2>&1 \
    || { cat "$WORK/demo.log"; say "the demo failed"; exit 1; }
say "demo: $((SECONDS - start)) s"

say "seatdesk report --month $MONTH --folder $OUT"
start=$SECONDS
seatdesk report --month "$MONTH" --folder "$OUT" </dev/null
say "report: $((SECONDS - start)) s"

shopt -s nullglob
books=("$OUT"/*.xlsx)
((${#books[@]} == 1)) || { say "expected one workbook in $OUT, found ${#books[@]}"; exit 1; }
say "workbook: ${books[0]} ($(stat -c %s "${books[0]}") bytes)"

python "$ROOT/scripts/render_workbook.py" "${books[0]}" "$OUT" --check --pages 3
say "the report of $MONTH opens in LibreOffice with its charts: $OUT"
