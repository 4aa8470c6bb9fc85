"""Wire shapes of the admin API."""

from __future__ import annotations

from typing import Any

from domain.billing import BillingRule, BillingSettings
from domain.ledger import Wallet
from domain.payments import GatewayConfig, Payment, PaymentLog
from entrypoints.http import render
from entrypoints.http.render import amount

Json = dict[str, Any]


def gateway(config: GatewayConfig) -> Json:
    return {**render.gateway(config), "currencies": [
        config.default_currency.value, *(c.value for c in config.currencies
                                         if c is not config.default_currency)]}


def settings(found: BillingSettings) -> Json:
    return {"currency": found.currency.value, "enable_billing": found.enable_billing,
            "maintenance_mode": found.maintenance_mode,
            "free_views_per_day": found.free_views_per_day,
            "free_views_for_new_users": found.free_views_for_new_users,
            "new_user_days": found.new_user_days, "min_wallet_topup": amount(found.min_wallet_topup),
            "max_wallet_balance": amount(found.max_wallet_balance),
            "max_debits_per_hour": found.max_debits_per_hour,
            "daily_spending_limit": amount(found.daily_spending_limit)}


def rule(found: BillingRule) -> Json:
    return {"service_type": found.service_type, "service_name": found.service_name("uz"),
            "service_names": dict(found.service_names), "price": amount(found.price),
            "currency": found.price.currency.value, "discount_percentage": found.discount_percentage,
            "min_quantity_for_discount": found.min_quantity_for_discount,
            "is_active": found.is_active}


def wallet(found: Wallet) -> Json:
    return {"user_id": found.user_id, "currency": found.currency.value,
            "balance": amount(found.balance), "is_blocked": found.is_blocked,
            "created_at": found.created_at}


def payment(found: Payment) -> Json:
    return {"id": found.id, "reference_number": found.reference_number, "user_id": found.user_id,
            "gateway": found.gateway, "amount": amount(found.amount),
            "commission": amount(found.commission), "total_amount": amount(found.total_amount),
            "currency": found.currency.value, "status": found.status.value,
            "payment_type": found.payment_type.value, "description": found.description,
            "created_at": found.created_at, "expires_at": found.expires_at,
            "completed_at": found.completed_at, "cancelled_at": found.cancelled_at}


def log(entry: PaymentLog) -> Json:
    return {"id": entry.id, "type": entry.type, "created_at": entry.created_at,
            "message": entry.message, "http_status": entry.http_status, "payload": entry.payload}
