"""Gateway configs, billing rules and the one row of billing settings: plain get and save.

Percentages are kept as Decimal text (exact), a rule's localized names and a gateway's extra
currencies as JSON text.
"""

from __future__ import annotations

import json
import sqlite3

from adapters.sql.billing_rows import SETTINGS_COLUMNS, SETTINGS_FIELDS, settings_from, settings_row
from adapters.sqlite.session import Session
from adapters.sqlite.values import STORED, decimal_from, decimal_text
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
        row = await self._db.fetchone(f"SELECT {SETTINGS_COLUMNS} FROM billing_settings")
        return settings_from(row, STORED) if row else None

    async def save_settings(self, settings: BillingSettings) -> None:
        await self._db.execute(upsert("billing_settings", ("singleton", *SETTINGS_FIELDS), "singleton"),
                               (1, *settings_row(settings, STORED)))
