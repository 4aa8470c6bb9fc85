"""Pay-per-use: the rules, check-access, charges, and the usage summaries."""

from __future__ import annotations

from datetime import datetime, timedelta

from attrs import frozen

from application.dependencies import UseCases
from application.wallets import parse_days
from domain.billing import (
    BillingRule,
    BillingSettings,
    ChargeDecision,
    charge_description,
    decide_charge,
    ensure_quantity,
    usage_query,
)
from domain.errors import DomainError, InsufficientFunds, ValidationError
from domain.ledger import Account, Transfer, TransferKind, Wallet, post
from domain.money import Money
from domain.reports import PaymentSummary, ServiceSummary, WalletTotals
from domain.usage import FreeReason, Usage, UsageQuery
from ports.storage import UnitOfWork

MAX_RELATED_ID = 64


@frozen
class ChargeRequest:
    user_id: str
    service_type: object
    quantity: object = 1
    related_object_id: object = ""
    language: str = "uz"


@frozen
class ChargeResult:
    service_type: str
    quantity: int
    charged: bool
    description: str
    balance_after: Money
    amount_charged: Money | None = None
    transaction_id: object = None
    free_reason: FreeReason | None = None


@frozen
class AccessCheck:
    can_access: bool
    message: str
    code: str
    rule: BillingRule
    decision: ChargeDecision | None
    quantity: int
    wallet: Wallet

    @property
    def price(self) -> Money:
        """What the access would cost now: zero when it would be free."""
        if self.decision is None:
            return self.rule.total(self.quantity)
        return self.decision.amount or Money.zero(self.rule.price.currency)


@frozen
class BillingSummary:
    period_days: int
    wallet: Wallet
    totals: WalletTotals
    payments: PaymentSummary
    services: ServiceSummary


@frozen
class DailyUsageReport:
    free_views_used: int
    free_views_remaining: int
    paid_views: int
    total_views: int
    spending_today: Money
    current_balance: Money


def parse_related_id(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool) or not isinstance(raw, (int, str)) or len(str(raw)) > MAX_RELATED_ID:
        raise ValidationError("related_object_id must be a string or a whole number of at most "
                              f"{MAX_RELATED_ID} characters", field="related_object_id")
    return str(raw).strip()


class BillingUseCases(UseCases):
    async def rules(self) -> tuple[list[BillingRule], BillingSettings]:
        async def body(uow: UnitOfWork) -> tuple[list[BillingRule], BillingSettings]:
            rules = [rule for rule in await uow.billing.rules() if rule.is_active]
            return rules, await self._settings(uow)

        return await self._units.read(body)

    async def check_access(self, request: ChargeRequest) -> AccessCheck:
        """What a charge would do now, without doing it (nothing is written but the wallet's
        first appearance)."""
        async def body(uow: UnitOfWork) -> AccessCheck:
            now = self._now()
            rule, wallet, quantity, related = await self._charge_inputs(uow, request, now)
            try:
                decision = await self._decide(uow, rule, wallet, quantity, related, now)
            except DomainError as refusal:
                return AccessCheck(False, refusal.message, refusal.code, rule, None, quantity, wallet)
            message = "Sufficient balance" if not decision.is_free else "Free access"
            return AccessCheck(True, message, "ok", rule, decision, quantity, wallet)

        checked = await self._units.write(body)
        if checked.code == InsufficientFunds.code and await self._expire_holds_of(request.user_id):
            checked = await self._units.write(body)  # as the charge would decide, holds expired
        return checked

    async def charge(self, request: ChargeRequest) -> ChargeResult:
        """Charge for a service in the spec's order (free, 503, 402, 429); a free access is
        recorded too, so it counts against the quotas and shows in the summaries."""
        async def body(uow: UnitOfWork) -> ChargeResult:
            now = self._now()  # one moment for the charge's wallet, decision, transfer, usage, event
            rule, wallet, quantity, related = await self._charge_inputs(uow, request, now)
            decision = await self._decide(uow, rule, wallet, quantity, related, now)
            description = charge_description(rule.service_name(request.language), related)
            transfer, before = None, wallet.balance.minor
            if decision.amount is not None:
                transfer = Transfer(self._deps.ids.new_id(), wallet.account,
                                    Account.revenue(rule.service_type, wallet.currency),
                                    decision.amount, TransferKind.CHARGE, description,
                                    f"{rule.service_type}:{related}", now)
                await uow.ledger.record(post(transfer, {wallet.account: wallet}))
            await uow.usage.add(self._usage(request.user_id, rule, wallet, decision, related, transfer,
                                            now))
            self._units.emit("service_charged" if transfer else "service_free",
                             service_type=rule.service_type, user_id=request.user_id,
                             amount=str(decision.amount) if decision.amount else "0")
            result = ChargeResult(rule.service_type, quantity, transfer is not None, description,
                                  wallet.balance, decision.amount, transfer.id if transfer else None,
                                  decision.free_reason)
            await self._event(uow, "charge.succeeded", request.user_id, self._views.charge(result), now)
            if transfer is not None:
                await self._debited(uow, wallet, before)
            return result

        # One wallet's concurrent charges are batched (its refusals come before its writes).
        try:
            return await self._units.in_lane(request.user_id, body)
        except InsufficientFunds:
            # A hold past its time may still keep money out: expired, the charge is decided again.
            if not await self._expire_holds_of(request.user_id):
                raise
            return await self._units.in_lane(request.user_id, body)

    async def summary(self, user_id: str, days: object = None,
                      currency: object | None = None) -> BillingSummary:
        period = parse_days(days)
        code = self._currency(currency)
        since = self._now() - timedelta(days=period)

        async def body(uow: UnitOfWork) -> BillingSummary:
            wallet = await uow.wallets.lock(user_id, code, self._now())
            reports = uow.reports
            return BillingSummary(
                period, wallet, await reports.wallet_totals(wallet.account, since=since),
                await reports.payment_summary(user_id, since, code),
                await reports.service_summary(user_id, since, code))

        return await self._units.write(body)

    async def daily_usage(self, user_id: str, currency: object | None = None) -> DailyUsageReport:
        code = self._currency(currency)

        async def body(uow: UnitOfWork) -> DailyUsageReport:
            now = self._now()
            wallet = await uow.wallets.lock(user_id, code, now)
            settings = await self._settings(uow)
            today = self._local_date(now)
            usage = await uow.reports.daily_usage(user_id, today, code)
            seen = await uow.usage.snapshot(UsageQuery.doctors_today(user_id, code, today, now))
            remaining = max(0, settings.free_views_per_day - seen.distinct_doctors_today)
            return DailyUsageReport(usage.free_views_used, remaining, usage.paid_views,
                                    usage.total_views, Money(usage.spent_today, code), wallet.balance)

        return await self._units.write(body)

    async def _charge_inputs(self, uow: UnitOfWork, request: ChargeRequest,
                             now: datetime) -> tuple[BillingRule, Wallet, int, str]:
        quantity = ensure_quantity(request.quantity)
        related = parse_related_id(request.related_object_id)
        rule = await self._rule(uow, request.service_type) \
            if isinstance(request.service_type, str) else None
        if rule is None or not rule.is_active:
            raise ValidationError(f"Unknown service_type {request.service_type!r}", field="service_type")
        wallet = await uow.wallets.lock(request.user_id, rule.price.currency, now)
        return rule, wallet, quantity, related

    async def _decide(self, uow: UnitOfWork, rule: BillingRule, wallet: Wallet, quantity: int,
                      related: str, now: datetime) -> ChargeDecision:
        settings = await self._settings(uow)
        usage = await uow.usage.snapshot(usage_query(rule, settings, wallet, related, now=now,
                                                     local_date=self._local_date(now)))
        return decide_charge(rule, settings, wallet, usage, quantity=quantity, now=now)

    def _usage(self, user_id: str, rule: BillingRule, wallet: Wallet, decision: ChargeDecision,
               related: str, transfer: Transfer | None, now: datetime) -> Usage:
        return Usage(self._deps.ids.new_id(), user_id, rule.service_type, decision.quantity,
                     wallet.currency, self._local_date(now), now, related,
                     decision.amount.minor if decision.amount else 0,
                     transfer.id if transfer else None, decision.free_reason)
