"""Wallets as their owner sees them, and the admin's block, unblock and adjust."""

from __future__ import annotations

from datetime import timedelta

from attrs import frozen

from application.dependencies import UseCases
from domain.billing import BillingSettings
from domain.errors import ValidationError
from domain.ledger import Account, Transfer, TransferKind, Wallet, post
from domain.money import Currency, Money, parse_signed_amount
from domain.paging import Page, PageRequest
from domain.reports import WalletFlows, WalletTransaction
from domain.text import check_text, is_ascii_whole
from ports.storage import UnitOfWork

TRANSACTION_TYPES = ("credit", "debit")
TRANSACTION_STATUSES = ("completed", "pending", "failed")
MAX_DAYS = 3650


@frozen
class WalletOverview:
    """What a wallet's owner sees first: the wallet, the money that went into and out of it,
    today's spending (where the billing settings bind its currency), its latest lines, and the
    settings."""

    wallet: Wallet
    flows: WalletFlows  # total_topped_up, total_spent
    today_spending: Money
    recent_transactions: tuple[WalletTransaction, ...]
    settings: BillingSettings
    held: Money  # what active holds keep out of ``wallet.balance`` (SPEC §13)
    others: tuple[tuple[Wallet, Money], ...] = ()  # the user's wallets in other currencies, held




@frozen
class Adjustment:
    wallet: Wallet
    transfer: Transfer


def parse_days(raw: object, *, default: int = 30) -> int:
    if raw in (None, ""):
        return default
    text = str(raw).strip()
    days = int(text) if is_ascii_whole(text, 9) else 0
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"days must be a whole number from 1 to {MAX_DAYS}", field="days")
    return days


class WalletUseCases(UseCases):
    async def get(self, user_id: str, currency: object | None = None) -> Wallet:
        """The user's wallet in a currency; it springs into being, at zero, on first read. Its holds
        past their time are expired first, their money back in the balance."""
        code = self._currency(currency)
        await self._expire_holds_of(user_id)

        async def read(uow: UnitOfWork) -> Wallet | None:
            return await uow.wallets.get(user_id, code)

        found = await self._units.read(read)
        if found is not None:
            return found
        return await self._units.write(lambda uow: uow.wallets.lock(user_id, code, self._now()))

    async def overview(self, user_id: str, currency: object | None = None) -> WalletOverview:
        wallet = await self.get(user_id, currency)

        async def body(uow: UnitOfWork) -> WalletOverview:
            flows = await uow.reports.wallet_flows(wallet.account)
            recent = await uow.reports.wallet_transactions(
                wallet.account, since=None, type=None, page=PageRequest(1, 5))
            today = await uow.reports.daily_usage(user_id, self._local_date(self._now()), wallet.currency)
            settings = await self._settings(uow)
            spent = Money(today.spent_today, wallet.currency) if settings.binds(wallet.currency) \
                else Money.zero(wallet.currency)
            held = Money(await uow.holds.held(user_id, wallet.currency), wallet.currency)
            others = tuple([(other, Money(await uow.holds.held(user_id, other.currency), other.currency))
                            for other in await uow.wallets.for_user(user_id)
                            if other.currency is not wallet.currency])
            return WalletOverview(wallet, flows, spent, recent.items, settings, held, others)

        return await self._units.read(body)

    async def transactions(
        self, user_id: str, currency: object | None = None, *, type: object | None = None,
        status: object | None = None, days: object | None = None, page: PageRequest | None = None,
    ) -> Page[WalletTransaction]:
        """The wallet's lines, newest first. Every ledger line is ``completed``: other statuses
        are valid filters that match nothing."""
        if type not in (None, "", *TRANSACTION_TYPES):
            raise ValidationError("type must be credit or debit", field="type")
        if status not in (None, "", *TRANSACTION_STATUSES):
            raise ValidationError("status must be completed, pending or failed", field="status")
        page = page or PageRequest()
        since = self._now() - timedelta(days=parse_days(days))
        wallet = await self.get(user_id, currency)
        if status not in (None, "", "completed"):
            return Page((), 0, page)
        return await self._units.read(lambda uow: uow.reports.wallet_transactions(
            wallet.account, since=since, type=str(type) if type else None, page=page))

    async def held(self, wallets: list[Wallet]) -> list[Money]:
        """What active holds keep out of each wallet's balance."""
        async def body(uow: UnitOfWork) -> list[Money]:
            return [Money(await uow.holds.held(wallet.user_id, wallet.currency), wallet.currency)
                    for wallet in wallets]

        return await self._units.read(body)

    async def of_user(self, user_id: str) -> list[Wallet]:
        """Every wallet of a user (the default-currency one springs into being if none exists)."""
        found = await self._units.read(lambda uow: uow.wallets.for_user(user_id))
        return found or [await self.get(user_id)]

    async def existing(self, user_id: str, currency: object | None = None) -> list[Wallet]:
        """The user's wallets as they are (in one currency when given): reading creates none."""
        code = Currency.parse(currency) if currency not in (None, "") else None
        found = await self._units.read(lambda uow: uow.wallets.for_user(user_id))
        return [wallet for wallet in found if code is None or wallet.currency is code]

    async def search(self, page: PageRequest, user_prefix: object = "") -> Page[Wallet]:
        """Every wallet, by user id then currency; only users whose id starts with the prefix."""
        prefix = check_text(user_prefix, "search", max_length=128) if isinstance(user_prefix, str) else ""
        return await self._units.read(lambda uow: uow.reports.wallets(page, user_prefix=prefix))

    async def set_blocked(self, user_id: str, blocked: bool, *, actor: str) -> list[Wallet]:
        """Block or unblock every wallet of the user (the default-currency one is created if none)."""
        async def body(uow: UnitOfWork) -> list[Wallet]:
            wallets = await uow.wallets.for_user(user_id) or [
                await uow.wallets.lock(user_id, self.config.default_currency, self._now())]
            for wallet in wallets:
                locked = await uow.wallets.lock(wallet.user_id, wallet.currency, self._now())
                changed = locked.is_blocked != blocked
                locked.is_blocked = blocked
                await uow.wallets.save(locked)
                if changed:
                    await self._wallet_event(uow, "blocked" if blocked else "unblocked", locked)
            await self._audit(uow, actor, "block" if blocked else "unblock", f"user:{user_id}", "")
            return await uow.wallets.for_user(user_id)

        return await self._units.write(body)

    async def adjust(self, user_id: str, amount: object, currency: object | None,
                     reason: str, *, actor: str) -> Adjustment:
        """An admin correction: a transfer with the adjustments account. Not capped by
        ``max_wallet_balance``; never takes a wallet below zero (402)."""
        if not reason.strip():
            raise ValidationError("reason is required", field="reason")
        code = self._currency(currency)
        money = parse_signed_amount(amount, code)

        async def body(uow: UnitOfWork) -> Adjustment:
            now = self._now()
            wallet = await uow.wallets.lock(user_id, code, now)
            other = Account.adjustments(code)
            debit, credit = (other, wallet.account) if money.is_positive else (wallet.account, other)
            transfer = Transfer(self._deps.ids.new_id(), debit, credit,
                                money if money.is_positive else -money, TransferKind.ADJUSTMENT,
                                reason.strip()[:1000], f"adjustment:{actor}", now)
            before = wallet.balance.minor
            await uow.ledger.record(post(transfer, {wallet.account: wallet}))
            if not money.is_positive:
                await self._debited(uow, wallet, before)
            await self._audit(uow, actor, "adjust", f"user:{user_id}", f"{money} {reason}")
            return Adjustment(wallet, transfer)

        return await self._units.write(body)
