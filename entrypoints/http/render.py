"""Wire shapes of the public API: use-case results → the seeds' JSON (money as Decimal)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from application.billing import AccessCheck, BillingSummary, ChargeResult, DailyUsageReport
from application.payments import CreatedPayment, Estimate
from application.wallets import WalletInfo
from domain.billing import BillingRule, BillingSettings, ChargeDecision, FreeReason
from domain.money import Currency, Money
from domain.payments import GatewayConfig, Payment
from domain.records import Page, WalletTransaction
from entrypoints.http.i18n import message, status_display

Json = dict[str, Any]


def amount(money: Money | None) -> Decimal | None:
    return None if money is None else money.amount


def minor(value: int, currency: Currency) -> Decimal:
    return Money(value, currency).amount


def gateway(config: GatewayConfig) -> Json:
    return {
        "name": config.name, "display_name": config.display_name, "is_active": config.is_active,
        "min_amount": amount(config.min_amount), "max_amount": amount(config.max_amount),
        "commission_type": config.commission_type.value,
        "commission_percentage": config.commission_percentage,
        "commission_fixed": amount(config.commission_fixed),
        "default_currency": config.default_currency.value,
    }


def created_payment(created: CreatedPayment, *, with_reference: bool = False) -> Json:
    payment = created.payment
    body: Json = {"id": payment.id}
    if with_reference:
        body["reference_number"] = payment.reference_number
    body.update({
        "amount": amount(payment.amount), "total_amount": amount(payment.total_amount),
        "commission": amount(payment.commission), "status": payment.status.value,
        "gateway": created.gateway.display_name, "payment_url": created.payment_url,
        "expires_at": payment.expires_at,
    })
    return {"success": True, "payment": body}


def payment_status(payment: Payment, language: str) -> Json:
    return {"success": True, "payment": {
        "id": payment.id, "reference_number": payment.reference_number,
        "status": payment.status.value, "status_display": status_display(payment.status.value, language),
        "amount": amount(payment.amount), "gateway": payment.gateway,
        "created_at": payment.created_at, "completed_at": payment.completed_at,
    }}


def history_item(payment: Payment, language: str) -> Json:
    return {"id": payment.id, "reference_number": payment.reference_number,
            "amount": amount(payment.amount), "status": payment.status.value,
            "status_display": status_display(payment.status.value, language),
            "created_at": payment.created_at}


def estimate(found: Estimate) -> Json:
    return {"success": True, "estimate": {
        "amount": amount(found.amount), "commission": amount(found.commission),
        "total_amount": amount(found.total_amount), "gateway": found.gateway.display_name,
        "commission_percentage": found.gateway.commission_percentage,
        "commission_fixed": amount(found.gateway.commission_fixed),
    }}


def transaction(line: WalletTransaction, currency: Currency, *, before: bool = True) -> Json:
    body: Json = {"id": line.id, "type": line.type, "amount": minor(line.amount, currency)}
    if before:
        body["balance_before"] = minor(line.balance_before, currency)
    body.update({"balance_after": minor(line.balance_after, currency),
                 "description": line.description, "status": line.status,
                 "created_at": line.created_at})
    return body


def pagination(page: Page[Any]) -> Json:
    return {"page": page.request.page, "per_page": page.request.per_page,
            "total_count": page.total_count, "total_pages": page.total_pages,
            "has_next": page.has_next, "has_previous": page.has_previous}


def wallet_info(info: WalletInfo) -> Json:
    wallet, currency, settings = info.wallet, info.wallet.currency, info.settings
    return {"success": True, "wallet": {
        "balance": amount(wallet.balance),
        "total_spent": minor(info.totals.total_debited, currency),
        "total_topped_up": minor(info.totals.total_credited, currency),
        "is_blocked": wallet.is_blocked, "today_spending": amount(info.today_spending),
        "recent_transactions": [transaction(line, currency, before=False)
                                for line in info.recent_transactions],
        "billing_settings": {
            "min_topup": amount(settings.min_wallet_topup),
            "max_balance": amount(settings.max_wallet_balance),
            "free_views_per_day": settings.free_views_per_day,
            "enable_billing": settings.enable_billing,
        },
    }}


def billing_rule(rule: BillingRule, language: str) -> Json:
    return {"service_type": rule.service_type, "service_name": rule.service_name(language),
            "price": amount(rule.price), "discount_percentage": rule.discount_percentage,
            "min_quantity_for_discount": rule.min_quantity_for_discount,
            "effective_prices": {q: amount(price) for q, price in rule.effective_prices().items()}}


def billing_rules(rules: list[BillingRule], settings: BillingSettings, language: str) -> Json:
    return {"success": True, "billing_rules": [billing_rule(rule, language) for rule in rules],
            "settings": {
                "enable_billing": settings.enable_billing,
                "maintenance_mode": settings.maintenance_mode,
                "free_views_per_day": settings.free_views_per_day,
                "free_views_for_new_users": settings.free_views_for_new_users,
                "min_wallet_topup": amount(settings.min_wallet_topup),
                "max_wallet_balance": amount(settings.max_wallet_balance)}}


def access(check: AccessCheck, language: str) -> Json:
    unit = check.decision.unit_price if check.decision else check.rule.unit_price(check.quantity)
    text = message(_access_message(check.decision), language) if check.can_access else check.message
    return {"success": True, "can_access": check.can_access, "message": text,
            "price": amount(check.price), "unit_price": amount(unit), "quantity": check.quantity,
            "service_type": check.rule.service_type, "user_balance": amount(check.wallet.balance)}


def _access_message(decision: ChargeDecision | None) -> str:
    if decision is None or not decision.is_free:
        return "sufficient_balance"
    if decision.free_reason is FreeReason.FULL_DISCOUNT:
        return "full_discount_available"
    return "free_access_available"


def charge(result: ChargeResult, language: str) -> Json:
    body: Json = {"success": True, "charged": result.charged, "service_type": result.service_type,
                  "quantity": result.quantity}
    if not result.charged:
        full = result.free_reason is FreeReason.FULL_DISCOUNT
        body["message"] = message("full_discount" if full else "free_access", language)
        return body
    body.update({"transaction_id": result.transaction_id,
                 "amount_charged": amount(result.amount_charged),
                 "balance_after": amount(result.balance_after), "description": result.description})
    return body


def summary(found: BillingSummary) -> Json:
    currency, totals = found.wallet.currency, found.totals
    return {"success": True, "summary": {
        "period_days": found.period_days,
        "wallet_info": {
            "current_balance": amount(found.wallet.balance),
            "total_credited": minor(totals.total_credited, currency),
            "total_debited": minor(totals.total_debited, currency),
            "credit_transactions": totals.credit_transactions,
            "debit_transactions": totals.debit_transactions,
            "net_change": minor(totals.total_credited - totals.total_debited, currency)},
        "payment_summary": {
            "total_payments": found.payments.total_payments,
            "completed_payments": found.payments.completed_payments,
            "total_amount": minor(found.payments.total_amount, currency),
            "pending_payments": found.payments.pending_payments,
            "failed_payments": found.payments.failed_payments},
        "service_summary": {
            "doctor_views": found.services.doctor_views,
            "doctor_view_charges": minor(found.services.doctor_view_charges, currency),
            "free_doctor_views": found.services.free_doctor_views},
    }}


def daily_usage(report: DailyUsageReport) -> Json:
    return {"success": True, "daily_usage": {
        "free_views_used": report.free_views_used,
        "free_views_remaining": report.free_views_remaining,
        "paid_views": report.paid_views, "total_views": report.total_views,
        "spending_today": amount(report.spending_today),
        "current_balance": amount(report.current_balance)}}
