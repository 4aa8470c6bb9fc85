"""The reports (``adapters.sql.reports``) as Postgres writes the pieces the dialects differ on
(``adapters.sql.report_sql.ReportSql``).

Every report runs as ``run_alone`` (``adapters.postgres.queries.Alone``): in a reading unit (one
REPEATABLE READ snapshot) and in a unit already in its transaction, inside it; in a unit still
watching its wallets (which has written nothing yet), on its own, so that a report does not begin a
transaction the unit does not need.
"""

from __future__ import annotations

from datetime import date

from adapters.postgres.events import WAITING
from adapters.sql.console import LocalDays
from adapters.sql.console_rows import COUNTED_TRANSFERS
from adapters.sql.report_sql import ReportSql
from domain.usage import DOCTOR_VIEW, FreeReason


def _day(found: date) -> date:
    return found


_LOCAL_DAYS = f"""
SELECT ((created_at AT TIME ZONE 'UTC') + make_interval(secs => $1))::date AS day, kind, currency,
       count(*) AS n, sum(amount)::bigint AS total
FROM transfers WHERE kind IN ('topup', 'charge') AND created_at >= $2 AND {COUNTED_TRANSFERS}
GROUP BY day, kind, currency ORDER BY day, kind, currency
"""

REPORT_SQL = ReportSql(
    wallet_entries="e.account = $1 AND ($2::timestamptz IS NULL OR e.created_at >= $2) "
                   "AND ($3::text IS NULL OR (CASE WHEN e.amount > 0 THEN 'credit' ELSE 'debit' END) = $3)",
    doctor_views=f"service_type = '{DOCTOR_VIEW}' AND free_reason IS DISTINCT FROM "
                 f"'{FreeReason.REPEAT_VIEW.value}'",
    # COLLATE "C": code point order, as on the other backends, whatever the database's collation.
    doctor_order="(id !~ '^[0-9]+$'), CASE WHEN id ~ '^[0-9]+$' THEN length(id) END, id COLLATE \"C\"",
    of_prefix="starts_with(user_id, $1)",
    local_days=LocalDays(_LOCAL_DAYS, float, _day),
    waiting=WAITING,
)
