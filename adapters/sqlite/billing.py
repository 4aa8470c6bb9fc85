"""Gateway configs, billing rules and the one row of billing settings: plain get and save.

Percentages are kept as Decimal text (exact), a rule's localized names and a gateway's extra
currencies as JSON text.
"""

from __future__ import annotations

import json
import sqlite3

from adapters.sqlite.session import Session
from adapters.sqlite.values import decimal_from, decimal_text
from domain.billing import BillingRule, BillingSettings
from domain.money import Currency, Money
from domain.payments import CommissionType, GatewayConfig

_GATEWAY_FIELDS = ("name", "display_name", "is_active", "currency", "min_amount", "max_amount",
                   "commission_type", "commission_percentage", "commission_fixed", "commission_currency",
                   "currencies", "switched_off")
_RULE_FIELDS = ("service_type", "price", "currency", "service_names", "discount_percentage",
                "min_quantity_for_discount", "is_active", "mxik_code", "package_code", "vat_percent")
_GATEWAY_SELECT = f"SELECT {', '.join(_GATEWAY_FIELDS)} FROM gateway_configs"
_RULE_SELECT = f"SELECT {', '.join(_RULE_FIELDS)} FROM billing_rules"
_SETTINGS_FIELDS = ("currency", "enable_billing", "maintenance_mode", "free_views_per_day",
                    "free_views_for_new_users", "new_user_days", "min_wallet_topup", "max_wallet_balance",
                    "max_debits_per_hour", "daily_spending_limit", "low_balance_threshold",
                    "topup_mxik_code", "topup_package_code", "topup_vat_percent", "topup_receipt_title",
                    "fiscal_tin")


def upsert(table: str, fields: tuple[str, ...], key: str) -> str:
    """``INSERT`` of every field, or ``UPDATE`` of all but ``key`` when the row exists."""
    updates = ", ".join(f"{name} = excluded.{name}" for name in fields if name != key)
    return f"INSERT INTO {table} ({', '.join(fields)}) VALUES ({', '.join('?' for _ in fields)}) " \
           f"ON CONFLICT ({key}) DO UPDATE SET {updates}"


def _gateway_from(row: sqlite3.Row) -> GatewayConfig:
    currency = Currency(row["currency"])
    return GatewayConfig(
        row["name"], row["display_name"], bool(row["is_active"]), Money(row["min_amount"], currency),
        Money(row["max_amount"], currency), CommissionType(row["commission_type"]),
        decimal_from(row["commission_percentage"]),
        Money(row["commission_fixed"], Currency(row["commission_currency"])),
        tuple(Currency(code) for code in json.loads(row["currencies"])), bool(row["switched_off"]),
    )


def _rule_from(row: sqlite3.Row) -> BillingRule:
    return BillingRule(
        row["service_type"], Money(row["price"], Currency(row["currency"])),
        json.loads(row["service_names"]), decimal_from(row["discount_percentage"]),
        row["min_quantity_for_discount"], bool(row["is_active"]), row["mxik_code"], row["package_code"],
        row["vat_percent"],
    )


def _minor(money: Money | None) -> int | None:
    return money.minor if money is not None else None


def _settings_from(row: sqlite3.Row) -> BillingSettings:
    currency = Currency(row["currency"])

    def money(name: str) -> Money | None:
        return Money(row[name], currency) if row[name] is not None else None

    return BillingSettings(
        currency, bool(row["enable_billing"]), bool(row["maintenance_mode"]), row["free_views_per_day"],
        row["free_views_for_new_users"], row["new_user_days"], money("min_wallet_topup"),
        money("max_wallet_balance"), row["max_debits_per_hour"], money("daily_spending_limit"),
        money("low_balance_threshold"), row["topup_mxik_code"], row["topup_package_code"],
        row["topup_vat_percent"], row["topup_receipt_title"], row["fiscal_tin"],
    )


class SqliteGatewayConfigRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def get(self, name: str) -> GatewayConfig | None:
        row = await self._db.fetchone(
            f"{_GATEWAY_SELECT} WHERE name = ?", (name,)
        )
        return _gateway_from(row) if row else None

    async def all(self) -> list[GatewayConfig]:
        rows = await self._db.fetch(f"{_GATEWAY_SELECT} ORDER BY name")
        return [_gateway_from(row) for row in rows]

    async def save(self, config: GatewayConfig) -> None:
        c = config
        await self._db.execute(upsert("gateway_configs", _GATEWAY_FIELDS, "name"), (
            c.name, c.display_name, int(c.is_active), c.default_currency.value, c.min_amount.minor,
            c.max_amount.minor, c.commission_type.value, decimal_text(c.commission_percentage),
            c.commission_fixed.minor, c.commission_fixed.currency.value,
            json.dumps([currency.value for currency in c.currencies]), int(c.switched_off),
        ))


class SqliteBillingRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def rules(self) -> list[BillingRule]:
        rows = await self._db.fetch(f"{_RULE_SELECT} ORDER BY service_type")
        return [_rule_from(row) for row in rows]

    async def rule(self, service_type: str) -> BillingRule | None:
        row = await self._db.fetchone(
            f"{_RULE_SELECT} WHERE service_type = ?", (service_type,)
        )
        return _rule_from(row) if row else None

    async def save_rule(self, rule: BillingRule) -> None:
        await self._db.execute(upsert("billing_rules", _RULE_FIELDS, "service_type"), (
            rule.service_type, rule.price.minor, rule.price.currency.value,
            json.dumps(rule.service_names, ensure_ascii=False), decimal_text(rule.discount_percentage),
            rule.min_quantity_for_discount, int(rule.is_active), rule.mxik_code, rule.package_code,
            rule.vat_percent,
        ))

    async def delete_rule(self, service_type: str) -> bool:
        deleted = await self._db.fetch(
            "DELETE FROM billing_rules WHERE service_type = ? RETURNING 1", (service_type,)
        )
        return bool(deleted)

    async def settings(self) -> BillingSettings | None:
        row = await self._db.fetchone(f"SELECT {', '.join(_SETTINGS_FIELDS)} FROM billing_settings")
        return _settings_from(row) if row else None

    async def save_settings(self, settings: BillingSettings) -> None:
        s = settings
        await self._db.execute(upsert("billing_settings", ("singleton", *_SETTINGS_FIELDS), "singleton"), (
            1, s.currency.value, int(s.enable_billing), int(s.maintenance_mode), s.free_views_per_day,
            s.free_views_for_new_users, s.new_user_days, _minor(s.min_wallet_topup),
            _minor(s.max_wallet_balance), s.max_debits_per_hour, _minor(s.daily_spending_limit),
            _minor(s.low_balance_threshold), s.topup_mxik_code, s.topup_package_code, s.topup_vat_percent,
            s.topup_receipt_title, s.fiscal_tin,
        ))
