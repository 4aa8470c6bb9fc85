"""The console's edit forms: which fields a settings, rule, gateway or doctor form shows, how a value is
shown in its input, and which submitted values changed (those alone go to the use case, typed as
the admin API's JSON would carry them, so the use case checks and audits them alike)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

from domain.money import Money

# name → kind: flag (a checkbox), count, count? (may be empty), money, money?, percent, decimal?,
# vat, text, or a tuple of the allowed values (a select).
SETTINGS_FIELDS: dict[str, Any] = {
    "enable_billing": "flag", "maintenance_mode": "flag", "free_views_per_day": "count",
    "free_views_for_new_users": "count", "new_user_days": "count", "min_wallet_topup": "money",
    "max_wallet_balance": "money", "max_debits_per_hour": "count?", "daily_spending_limit": "money?",
    "low_balance_threshold": "money?", "topup_mxik_code": "text", "topup_package_code": "text",
    "topup_vat_percent": "vat", "topup_receipt_title": "text", "fiscal_tin": "text",
}
RULE_FIELDS: dict[str, Any] = {
    "price": "money", "discount_percentage": "percent", "min_quantity_for_discount": "count",
    "is_active": "flag", "mxik_code": "text", "package_code": "text", "vat_percent": "vat",
}
GATEWAY_FIELDS: dict[str, Any] = {
    "display_name": "text", "is_active": "flag", "min_amount": "money", "max_amount": "money",
    "commission_type": ("percentage", "fixed", "combined"), "commission_percentage": "percent",
    "commission_fixed": "money",
}
DOCTOR_FIELDS: dict[str, Any] = {
    "first_name": "text", "last_name": "text", "specialization": "text", "rating": "decimal?",
    "is_active": "flag",
}


def shown(value: object) -> str:
    """A stored value as its input shows it."""
    if value is None:
        return ""
    if isinstance(value, Money):
        return str(value.amount)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def changes(fields: Mapping[str, Any], form: Mapping[str, str], current: object) -> dict[str, object]:
    """The submitted fields whose value differs from ``current``'s (an unticked box is off)."""
    changed: dict[str, object] = {}
    for name, kind in fields.items():
        sent = (form.get(name) or "").strip() if kind != "flag" else ("on" if form.get(name) else "")
        if sent != shown(getattr(current, name)):
            changed[name] = _typed(kind, sent)
    return changed


def filled(fields: Mapping[str, Any], form: Mapping[str, str]) -> dict[str, object]:
    """A new record's fields as submitted, typed (its flags left to the use case's default)."""
    return {name: _typed(kind, (form.get(name) or "").strip()) for name, kind in fields.items()
            if kind != "flag"}


def _typed(kind: Any, sent: str) -> object:
    if kind == "flag":
        return bool(sent)
    if kind in ("count?", "money?", "decimal?") and sent == "":
        return None
    if kind in ("count", "count?", "vat") and sent.isascii() and sent.isdigit():
        return int(sent)
    if kind in ("money", "money?", "percent", "decimal?"):
        return _decimal_or_text(sent)
    return sent  # the use case refuses what does not parse, naming the field


def _decimal_or_text(sent: str) -> object:
    try:
        return Decimal(sent) if sent.isascii() and sent.replace(".", "", 1).lstrip("-").isdigit() else sent
    except ArithmeticError:
        return sent
