"""The public API's answers: use-case results → the seeds' shapes (``schemas``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from application.billing import AccessCheck, BillingSummary, ChargeResult, DailyUsageReport
from application.payments import CreatedPayment, Estimate
from application.wallets import WalletOverview
from domain.billing import BillingRule, BillingSettings, ChargeDecision
from domain.fiscal import FiscalReceipt
from domain.money import Currency, Money
from domain.paging import Page
from domain.payments import GatewayConfig, Payment
from domain.reports import WalletTransaction
from domain.usage import FreeReason
from entrypoints.http import schemas as wire
from entrypoints.http.i18n import message, status_display
from entrypoints.http.wire import project


def amount(money: Money | None) -> Decimal | None:
    """Money as the JSON number it is written as (for answers written as plain dicts)."""
    return None if money is None else money.amount


def gateway(config: GatewayConfig) -> Any:
    return project(wire.Gateway, config)


def created_payment(created: CreatedPayment, *, with_reference: bool = False) -> Any:
    payment = project(wire.NewTopup if with_reference else wire.NewPayment, created.payment,
                      gateway=created.gateway.display_name, payment_url=created.payment_url)
    return (wire.TopupPayment if with_reference else wire.CreatedPayment)(payment=payment)


def payment_status(payment: Payment, language: str, receipts: list[FiscalReceipt]) -> Any:
    return wire.PaymentStatus(payment=project(
        wire.PaymentState, payment, status_display=status_display(payment.status.value, language),
        fiscal_receipts=[receipt(found) for found in receipts]))


def receipt(found: FiscalReceipt) -> Any:
    return project(wire.ReceiptRow, found, type=found.type.value)


def history_item(payment: Payment, language: str) -> Any:
    return project(wire.HistoryItem, payment,
                   status_display=status_display(payment.status.value, language))


def estimate(found: Estimate) -> Any:
    return wire.Estimate(estimate=project(
        wire.EstimateBody, found, gateway=found.gateway.display_name,
        commission_percentage=found.gateway.commission_percentage,
        commission_fixed=found.gateway.commission_fixed))


def transaction(line: WalletTransaction, currency: Currency, *, before: bool = True) -> Any:
    minor = ("amount", "balance_before", "balance_after") if before else ("amount", "balance_after")
    refunded = None if line.refunded_amount is None else Money(line.refunded_amount, currency)
    return project(wire.Transaction if before else wire.RecentTransaction, line,
                   refunded_amount=refunded,
                   **{name: Money(getattr(line, name), currency) for name in minor})


def pagination(page: Page[Any]) -> Any:
    return project(wire.Pagination, page, page=page.request.page, per_page=page.request.per_page)


def wallet_overview(info: WalletOverview) -> Any:
    wallet, currency, settings = info.wallet, info.wallet.currency, info.settings
    return wire.Wallet(wallet=wire.WalletBody(
        balance=wallet.balance, held_balance=info.held,
        total_spent=Money(info.flows.money_out, currency),
        total_topped_up=Money(info.flows.money_in, currency),
        is_blocked=wallet.is_blocked, today_spending=info.today_spending,
        recent_transactions=[transaction(line, currency, before=False)
                             for line in info.recent_transactions],
        billing_settings=wire.WalletSettings(
            min_topup=settings.min_wallet_topup, max_balance=settings.max_wallet_balance,
            free_views_per_day=settings.free_views_per_day,
            enable_billing=settings.enable_billing),
        other_currencies=[wire.OtherWallet(currency=other.currency, balance=other.balance,
                                           held_balance=held, is_blocked=other.is_blocked)
                          for other, held in info.others]))


def billing_rules(rules: list[BillingRule], settings: BillingSettings, language: str) -> Any:
    return wire.BillingRules(billing_rules=[
        project(wire.RuleRow, rule, service_name=rule.service_name(language),
                effective_prices=rule.effective_prices()) for rule in rules],
        settings=project(wire.RuleSettings, settings))


def access(check: AccessCheck, language: str) -> Any:
    unit = check.decision.unit_price if check.decision else check.rule.unit_price(check.quantity)
    text = message(_access_message(check.decision), language) if check.can_access else check.message
    return wire.AccessCheck(
        can_access=check.can_access, message=text, price=check.price, unit_price=unit,
        quantity=check.quantity, service_type=check.rule.service_type,
        user_balance=check.wallet.balance)


def _access_message(decision: ChargeDecision | None) -> str:
    if decision is None or not decision.is_free:
        return "sufficient_balance"
    if decision.free_reason is FreeReason.FULL_DISCOUNT:
        return "full_discount_available"
    return "free_access_available"


def charge(result: ChargeResult, language: str) -> Any:
    if not result.charged:
        full = result.free_reason is FreeReason.FULL_DISCOUNT
        return wire.ChargeResult(charged=False, service_type=result.service_type,
                                 quantity=result.quantity,
                                 message=message("full_discount" if full else "free_access", language))
    return wire.ChargeResult(charged=True, service_type=result.service_type, quantity=result.quantity,
                             transaction_id=result.transaction_id,
                             amount_charged=result.amount_charged,
                             balance_after=result.balance_after, description=result.description)


def summary(found: BillingSummary) -> Any:
    currency, totals, payments = found.wallet.currency, found.totals, found.payments
    return wire.BillingSummary(summary=wire.SummaryBody(
        period_days=found.period_days,
        wallet_info=project(
            wire.WalletSummary, totals, current_balance=found.wallet.balance,
            total_credited=Money(totals.total_credited, currency),
            total_debited=Money(totals.total_debited, currency),
            net_change=Money(totals.total_credited - totals.total_debited, currency)),
        payment_summary=project(wire.PaymentSummary, payments,
                                total_amount=Money(payments.total_amount, currency)),
        service_summary=project(wire.ServiceSummary, found.services, doctor_view_charges=Money(
            found.services.doctor_view_charges, currency))))


def daily_usage(report: DailyUsageReport) -> Any:
    return wire.DailyUsage(daily_usage=project(wire.DailyUsageBody, report))
