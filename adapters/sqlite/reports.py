"""The reports (``adapters.sql.reports``) as SQLite writes the pieces the dialects differ on
(``adapters.sql.report_sql.ReportSql``). Reports are plain reads in the unit's transaction: a
reading unit sees one moment."""

from __future__ import annotations

from datetime import date

from adapters.sql.console import LocalDays
from adapters.sql.console_rows import COUNTED_TRANSFERS
from adapters.sql.report_sql import ReportSql
from adapters.sqlite.events import WAITING
from domain.usage import DOCTOR_VIEW, FreeReason


def _offset(utc_offset_seconds: int) -> str:
    return f"{utc_offset_seconds:+d} seconds"


_LOCAL_DAYS = f"""
SELECT date(created_at, ?1) AS day, kind, currency, count(*) AS n, sum(amount) AS total
FROM transfers WHERE kind IN ('topup', 'charge') AND created_at >= ?2 AND {COUNTED_TRANSFERS}
GROUP BY day, kind, currency ORDER BY day, kind, currency
"""

REPORT_SQL = ReportSql(
    wallet_entries="e.account = ?1 AND (?2 IS NULL OR e.created_at >= ?2) "
                   "AND (?3 IS NULL OR (CASE WHEN e.amount > 0 THEN 'credit' ELSE 'debit' END) = ?3)",
    doctor_views=f"service_type = '{DOCTOR_VIEW}' AND free_reason IS NOT '{FreeReason.REPEAT_VIEW.value}'",
    # By bytes: code point order.
    doctor_order="(id = '' OR id GLOB '*[^0-9]*'), "
                 "CASE WHEN id GLOB '*[^0-9]*' THEN 0 ELSE length(id) END, id",
    of_prefix="substr(user_id, 1, length(?1)) = ?1",
    local_days=LocalDays(_LOCAL_DAYS, _offset, date.fromisoformat),
    waiting=WAITING,
)
