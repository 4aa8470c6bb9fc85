"""Row ↔ object mapping of the one row of billing settings, shared by the SQL storages."""

from __future__ import annotations

from typing import Any

from adapters.sql.values import Row, Values
from domain.billing import BillingSettings
from domain.money import Currency, Money

SETTINGS_FIELDS = ("currency", "enable_billing", "maintenance_mode", "free_views_per_day",
                   "free_views_for_new_users", "new_user_days", "min_wallet_topup", "max_wallet_balance",
                   "max_debits_per_hour", "daily_spending_limit", "low_balance_threshold",
                   "topup_mxik_code", "topup_package_code", "topup_vat_percent", "topup_receipt_title",
                   "fiscal_tin")
SETTINGS_COLUMNS = ", ".join(SETTINGS_FIELDS)


def _minor(money: Money | None) -> int | None:
    return money.minor if money is not None else None


def settings_row(s: BillingSettings, v: Values) -> tuple[Any, ...]:
    return (s.currency.value, v.flag(s.enable_billing), v.flag(s.maintenance_mode), s.free_views_per_day,
            s.free_views_for_new_users, s.new_user_days, _minor(s.min_wallet_topup),
            _minor(s.max_wallet_balance), s.max_debits_per_hour, _minor(s.daily_spending_limit),
            _minor(s.low_balance_threshold), s.topup_mxik_code, s.topup_package_code, s.topup_vat_percent,
            s.topup_receipt_title, s.fiscal_tin)


def settings_from(row: Row, v: Values) -> BillingSettings:
    currency = Currency(row["currency"])

    def money(name: str) -> Money | None:
        return Money(row[name], currency) if row[name] is not None else None

    return BillingSettings(
        currency, v.read_flag(row["enable_billing"]), v.read_flag(row["maintenance_mode"]),
        row["free_views_per_day"], row["free_views_for_new_users"], row["new_user_days"],
        money("min_wallet_topup"), money("max_wallet_balance"), row["max_debits_per_hour"],
        money("daily_spending_limit"), money("low_balance_threshold"), row["topup_mxik_code"],
        row["topup_package_code"], row["topup_vat_percent"], row["topup_receipt_title"], row["fiscal_tin"],
    )
