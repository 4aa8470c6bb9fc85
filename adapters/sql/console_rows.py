"""Row ↔ object mapping of the console's sign-in links, and the dashboard's SQL, shared by the
SQL storages (each writes its own placeholders: ``{0}``, ``{1}``... are filled in)."""

from __future__ import annotations

from typing import Any

from adapters.sql.values import Row, Values
from domain.console import ConsoleLink

LINK_COLUMNS = "token_hash, admin_id, created_at, expires_at, used_at"


def link_row(link: ConsoleLink, v: Values) -> tuple[Any, ...]:
    return (link.token_hash, link.admin_id, v.time(link.created_at), v.time(link.expires_at),
            v.optional_time(link.used_at))


def link_from(row: Row, v: Values) -> ConsoleLink:
    return ConsoleLink(row["token_hash"], row["admin_id"], v.read_time(row["created_at"]),
                       v.read_time(row["expires_at"]), v.read_optional_time(row["used_at"]))


# A top-up's transfer into the wallet (not its commission's), or a charge.
COUNTED_TRANSFERS = "(kind = 'charge' OR (kind = 'topup' AND credit_account LIKE 'wallet:%'))"
