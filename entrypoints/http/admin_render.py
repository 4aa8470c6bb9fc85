"""The admin API's answers (``admin_schemas``)."""

from __future__ import annotations

from typing import Any

from domain.billing import BillingRule, BillingSettings
from domain.ledger import Wallet
from domain.money import Money
from domain.payments import GatewayConfig, Payment, PaymentLog
from entrypoints.http import admin_schemas as wire
from entrypoints.http.wire import project


def gateway(config: GatewayConfig) -> Any:
    default = config.default_currency
    return project(wire.AdminGateway, config, currencies=[
        default, *(currency for currency in config.currencies if currency is not default)])


def settings(found: BillingSettings) -> Any:
    return project(wire.SettingsRow, found)


def rule(found: BillingRule) -> Any:
    return project(wire.AdminRule, found, service_name=found.service_name("uz"),
                   service_names=dict(found.service_names), currency=found.price.currency)


def wallet(found: Wallet, held: Money | None = None) -> Any:
    return project(wire.WalletRow, found, held_balance=held)


def wallets(user_id: str, found: list[Wallet], held: list[Money]) -> Any:
    return wire.AdminWallets(user_id=user_id, wallets=[wallet(each, amount)
                                                       for each, amount in zip(found, held, strict=True)])


def payment(found: Payment) -> Any:
    return project(wire.PaymentRow, found)


def log(entry: PaymentLog) -> Any:
    return project(wire.LogRow, entry)
