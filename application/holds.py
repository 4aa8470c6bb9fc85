"""Holds (SPEC §13): reserve a service's price when it starts, settle it when it ends.

Every step is one unit of work holding the wallet's and the hold's locks: the ledger transfer,
the hold's new state and its event commit together or not at all. An active hold past its time
is written down as expired (its money back) by whichever comes first: a read, a step, the sweep.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

from attrs import frozen

from application.billing import parse_related_id
from application.dependencies import UseCases
from application.units import CommitAndRaise
from domain.billing import BillingRule, charge_description, ensure_quantity
from domain.errors import BillingMaintenance, HoldExpired, HoldNotFound, ValidationError
from domain.holds import Hold, expires_at, parse_hold_status
from domain.ledger import Account, Transfer, TransferKind, Wallet, post
from domain.money import Money, check_amount, parse_amount
from domain.paging import Page, PageRequest
from domain.usage import Usage
from ports.storage import UnitOfWork

_SWEEP = 500  # holds one sweep expires at most


@frozen
class HoldRequest:
    user_id: str
    service_type: object
    quantity: object = 1
    amount: object = None  # default: the rule's total for the quantity
    related_object_id: object = ""
    expires_in: object = None


@frozen
class HoldResult:
    """A hold after a step, with the wallet's spendable balance and what is held in it."""

    hold: Hold
    balance: Money
    held_balance: Money


class HoldUseCases(UseCases):
    async def create(self, request: HoldRequest) -> HoldResult:
        """Reserve the amount: it leaves the spendable balance at once (402 when it cannot be
        covered, 403 for a blocked wallet, 503 in maintenance). Free quotas do not apply."""
        quantity = ensure_quantity(request.quantity)
        related = parse_related_id(request.related_object_id)

        async def body(uow: UnitOfWork) -> HoldResult:
            rule = await self._active_rule(uow, request.service_type)
            if (await self._settings(uow)).maintenance_mode:
                raise BillingMaintenance()
            now = self._now()
            amount = rule.total(quantity) if request.amount in (None, "") else \
                parse_amount(request.amount, rule.price.currency)
            if not amount.is_positive:
                raise ValidationError("amount must be more than 0", field="amount")
            wallet = await uow.wallets.lock(request.user_id, rule.price.currency, now)
            wallet.ensure_not_blocked()
            hold = Hold(self._deps.ids.new_id(), request.user_id, rule.service_type, amount, related,
                        expires_at(now, request.expires_in), now, updated_at=now)
            before = wallet.balance.minor
            await self._move(uow, wallet, wallet.account, Account.holds(wallet.currency), amount,
                             TransferKind.HOLD, hold, f"{rule.service_name('uz')} (hold)")
            await uow.holds.add(hold)
            await self._hold_event(uow, "created", hold)
            await self._debited(uow, wallet, before)
            return await self._result(uow, hold, wallet)

        return await self._units.write(body)

    async def capture(self, user_id: str, hold_id: UUID, amount: object = None) -> HoldResult:
        """Settle: ``amount`` (default all) to the service's revenue as a charge, the rest back.
        The reserved amount goes back to the wallet and the captured part is charged from it, so
        the charge is one of the wallet's own lines (SPEC §13: "a charge for the user"), shown,
        totalled and refunded like any other; the wallet never dips, both move in one unit. A
        blocked wallet takes no charge (403), so its holds are not captured; they can still be
        released, and expire, with the money back."""
        if amount not in (None, ""):
            check_amount(amount)

        async def settle(uow: UnitOfWork, hold: Hold, wallet: Wallet) -> None:
            wallet.ensure_not_blocked()
            now = self._now()
            taken = None if amount in (None, "") else parse_amount(amount, hold.amount.currency)
            hold.capture(taken, now)
            await self._move(uow, wallet, Account.holds(wallet.currency), wallet.account, hold.amount,
                             TransferKind.RELEASE, hold, "hold captured: the reserved amount back")
            revenue = Account.revenue(hold.service_type, hold.amount.currency)
            rule = await self._rule(uow, hold.service_type)  # named as its hold line is
            name = rule.service_name("uz") if rule is not None else hold.service_type
            charge = await self._move(uow, wallet, wallet.account, revenue, hold.captured(),
                                      TransferKind.CHARGE, hold,
                                      charge_description(name, hold.related_object_id))
            hold.transaction_id = charge.id
            # Spending like any charge: today's spending and the hourly and daily limits count it.
            await uow.usage.add(Usage(self._deps.ids.new_id(), hold.user_id, hold.service_type, 1,
                                      hold.currency, self._local_date(now), now,
                                      hold.related_object_id, hold.captured().minor, charge.id))

        return await self._step(user_id, hold_id, "captured", settle)

    async def release(self, user_id: str, hold_id: UUID) -> HoldResult:
        """All of it back to the wallet."""
        async def settle(uow: UnitOfWork, hold: Hold, wallet: Wallet) -> None:
            hold.release(self._now())
            await self._give_back(uow, hold, wallet)

        return await self._step(user_id, hold_id, "released", settle)

    async def get(self, user_id: str, hold_id: UUID) -> HoldResult:
        """The user's own hold (another user's is not found), expiry written down first."""
        async def body(uow: UnitOfWork) -> HoldResult:
            hold, wallet = await self._locked(uow, user_id, hold_id, step=False)
            return await self._result(uow, hold, wallet)

        return await self._units.write(body)

    async def list(self, user_id: str, page: PageRequest, status: object = None) -> Page[Hold]:
        """The user's holds, newest first; every one of theirs past its time is expired first,
        whatever page or status is asked for."""
        wanted = parse_hold_status(status)
        while await self.expire_due(user_id=user_id) == _SWEEP:
            pass  # more of theirs may be due than one sweep takes
        return await self._units.read(lambda uow: uow.reports.holds(user_id, page, status=wanted))

    async def expire_due(self, limit: int = _SWEEP, user_id: str | None = None) -> int:
        """The sweep: every active hold past its time (only ``user_id``'s if given), expired with
        its money back; how many."""
        due = await self._units.read(lambda uow: uow.holds.due_for_expiry(self._now(), limit, user_id))
        expired = 0
        for hold_id in due:
            async def body(uow: UnitOfWork, hold_id: UUID = hold_id) -> bool:
                hold = await uow.holds.lock(hold_id)
                if hold is None:
                    return False
                wallet = await uow.wallets.lock(hold.user_id, hold.amount.currency, self._now())
                return await self._expire(uow, hold, wallet)

            expired += await self._units.write(body)
        return expired

    # --- steps ---------------------------------------------------------------------------

    async def _active_rule(self, uow: UnitOfWork, service_type: object) -> BillingRule:
        rule = await self._rule(uow, service_type) if isinstance(service_type, str) else None
        if rule is None or not rule.is_active:
            raise ValidationError(f"Unknown service_type {service_type!r}", field="service_type")
        return rule

    async def _step(self, user_id: str, hold_id: UUID, done: str,
                    settle: Callable[[UnitOfWork, Hold, Wallet], Awaitable[None]]) -> HoldResult:
        """One unit of work on the user's locked hold: ``settle`` it, save it, write its
        ``hold.<done>`` event and answer with the wallet's balances."""
        async def body(uow: UnitOfWork) -> HoldResult:
            hold, wallet = await self._locked(uow, user_id, hold_id)
            await settle(uow, hold, wallet)
            await uow.holds.save(hold)
            await self._hold_event(uow, done, hold)
            return await self._result(uow, hold, wallet)

        return await self._units.write(body)

    async def _locked(self, uow: UnitOfWork, user_id: str, hold_id: UUID, *,
                      step: bool = True) -> tuple[Hold, Wallet]:
        """The user's hold and its wallet, both locked (the hold first, in every hold step; a
        charge locks only the wallet, so no two units wait for each other). An expiry found here
        is written down and kept; a step on that hold is then refused (409 ``hold_expired``)."""
        hold = await uow.holds.lock(hold_id)
        if hold is None or hold.user_id != user_id:
            raise HoldNotFound()
        wallet = await uow.wallets.lock(user_id, hold.amount.currency, self._now())
        if await self._expire(uow, hold, wallet) and step:
            raise CommitAndRaise(HoldExpired(status=hold.status.value))
        return hold, wallet

    async def _expire(self, uow: UnitOfWork, hold: Hold, wallet: Wallet) -> bool:
        if not hold.expire_if_due(self._now()):
            return False
        await self._give_back(uow, hold, wallet)
        await uow.holds.save(hold)
        await self._hold_event(uow, "expired", hold)
        self._units.emit("hold_expired", hold_id=str(hold.id), user_id=hold.user_id)
        return True

    async def _give_back(self, uow: UnitOfWork, hold: Hold, wallet: Wallet) -> None:
        await self._move(uow, wallet, Account.holds(wallet.currency), wallet.account, hold.amount,
                         TransferKind.RELEASE, hold, f"hold {hold.status.value}: money back")

    async def _move(self, uow: UnitOfWork, wallet: Wallet, debit: Account, credit: Account,
                    amount: Money, kind: TransferKind, hold: Hold, description: str) -> Transfer:
        transfer = Transfer(self._deps.ids.new_id(), debit, credit, amount, kind, description[:255],
                            f"hold:{hold.id}", self._now())
        await uow.ledger.record(post(transfer, {wallet.account: wallet}))
        return transfer

    async def _hold_event(self, uow: UnitOfWork, type: str, hold: Hold) -> None:
        await self._event(uow, f"hold.{type}", hold.user_id, self._views.hold(hold))

    async def _result(self, uow: UnitOfWork, hold: Hold, wallet: Wallet) -> HoldResult:
        held = await uow.holds.held(wallet.user_id, wallet.currency)
        return HoldResult(hold, wallet.balance, Money(held, wallet.currency))
