"""Gateway configs, billing rules and the one row of billing settings: plain get and save."""

from __future__ import annotations

import json

import asyncpg

from adapters.postgres.session import Session
from adapters.sql.billing_rows import SETTINGS_COLUMNS, SETTINGS_FIELDS, settings_from, settings_row
from adapters.sql.dialect import parameters
from adapters.sql.values import NATIVE
from domain.billing import BillingRule, BillingSettings
from domain.money import Currency, Money
from domain.payments import CommissionType, GatewayConfig

_GATEWAY_COLUMNS = "name, display_name, is_active, currency, min_amount, max_amount, commission_type, " \
                   "commission_percentage, commission_fixed, commission_currency, currencies, switched_off"
_RULE_COLUMNS = "service_type, price, currency, service_names::text AS service_names, " \
                "discount_percentage, min_quantity_for_discount, is_active, mxik_code, package_code, " \
                "vat_percent"
_SAVE_SETTINGS = f"INSERT INTO billing_settings ({SETTINGS_COLUMNS}) " \
                 f"VALUES ({parameters(len(SETTINGS_FIELDS))}) ON CONFLICT (singleton) DO UPDATE SET " \
                 f"{', '.join(f'{name} = EXCLUDED.{name}' for name in SETTINGS_FIELDS)}"


def _gateway_from(row: asyncpg.Record) -> GatewayConfig:
    currency = Currency(row["currency"])
    return GatewayConfig(
        row["name"], row["display_name"], row["is_active"], Money(row["min_amount"], currency),
        Money(row["max_amount"], currency), CommissionType(row["commission_type"]),
        row["commission_percentage"],
        Money(row["commission_fixed"], Currency(row["commission_currency"])),
        tuple(Currency(code) for code in row["currencies"]), row["switched_off"],
    )


def _rule_from(row: asyncpg.Record) -> BillingRule:
    return BillingRule(
        row["service_type"], Money(row["price"], Currency(row["currency"])),
        json.loads(row["service_names"]), row["discount_percentage"], row["min_quantity_for_discount"],
        row["is_active"], row["mxik_code"], row["package_code"], row["vat_percent"],
    )


class PgGatewayConfigRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def get(self, name: str) -> GatewayConfig | None:
        row = await self._db.fetchrow(f"SELECT {_GATEWAY_COLUMNS} FROM gateway_configs WHERE name = $1", name)
        return _gateway_from(row) if row else None

    async def all(self) -> list[GatewayConfig]:
        rows = await self._db.fetch(f"SELECT {_GATEWAY_COLUMNS} FROM gateway_configs ORDER BY name")
        return [_gateway_from(row) for row in rows]

    async def save(self, config: GatewayConfig) -> None:
        await self._db.execute(
            f"INSERT INTO gateway_configs ({_GATEWAY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
            "$9, $10, $11, $12) ON CONFLICT (name) DO UPDATE SET display_name = EXCLUDED.display_name, "
            "is_active = EXCLUDED.is_active, currency = EXCLUDED.currency, "
            "min_amount = EXCLUDED.min_amount, max_amount = EXCLUDED.max_amount, "
            "commission_type = EXCLUDED.commission_type, "
            "commission_percentage = EXCLUDED.commission_percentage, "
            "commission_fixed = EXCLUDED.commission_fixed, "
            "commission_currency = EXCLUDED.commission_currency, currencies = EXCLUDED.currencies, "
            "switched_off = EXCLUDED.switched_off",
            config.name, config.display_name, config.is_active, config.default_currency.value,
            config.min_amount.minor, config.max_amount.minor, config.commission_type.value,
            config.commission_percentage, config.commission_fixed.minor,
            config.commission_fixed.currency.value, [currency.value for currency in config.currencies],
            config.switched_off,
        )


class PgBillingRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def rules(self) -> list[BillingRule]:
        rows = await self._db.run_alone("fetch",
                                        f"SELECT {_RULE_COLUMNS} FROM billing_rules ORDER BY service_type")
        return [_rule_from(row) for row in rows]

    async def rule(self, service_type: str) -> BillingRule | None:
        row = await self._db.run_alone(
            "fetchrow", f"SELECT {_RULE_COLUMNS} FROM billing_rules WHERE service_type = $1", service_type
        )
        return _rule_from(row) if row else None

    async def save_rule(self, rule: BillingRule) -> None:
        await self._db.execute(
            "INSERT INTO billing_rules (service_type, price, currency, service_names, discount_percentage, "
            "min_quantity_for_discount, is_active, mxik_code, package_code, vat_percent) "
            "VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10) "
            "ON CONFLICT (service_type) DO UPDATE SET price = EXCLUDED.price, currency = EXCLUDED.currency, "
            "service_names = EXCLUDED.service_names, discount_percentage = EXCLUDED.discount_percentage, "
            "min_quantity_for_discount = EXCLUDED.min_quantity_for_discount, "
            "is_active = EXCLUDED.is_active, mxik_code = EXCLUDED.mxik_code, "
            "package_code = EXCLUDED.package_code, vat_percent = EXCLUDED.vat_percent",
            rule.service_type, rule.price.minor, rule.price.currency.value,
            json.dumps(rule.service_names, ensure_ascii=False), rule.discount_percentage,
            rule.min_quantity_for_discount, rule.is_active, rule.mxik_code, rule.package_code,
            rule.vat_percent,
        )

    async def delete_rule(self, service_type: str) -> bool:
        status = await self._db.execute("DELETE FROM billing_rules WHERE service_type = $1", service_type)
        return status != "DELETE 0"

    async def settings(self) -> BillingSettings | None:
        row = await self._db.run_alone("fetchrow",
                                       f"SELECT {SETTINGS_COLUMNS} FROM billing_settings")
        return settings_from(row, NATIVE) if row else None

    async def save_settings(self, settings: BillingSettings) -> None:
        await self._db.execute(_SAVE_SETTINGS, *settings_row(settings, NATIVE))
