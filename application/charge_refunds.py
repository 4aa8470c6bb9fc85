"""Refunds of charges (SPEC §13): a service that was not delivered is given back, all or part.

A refund moves money from the service's revenue back to the wallet that paid (kind ``refund``,
a credit for the user). The refunds of one charge never add up to more than it, under any
concurrency: each refund holds the paying wallet's lock while it adds up the refunds already made.
"""

from __future__ import annotations

from uuid import UUID

from attrs import frozen

from application.dependencies import UseCases
from domain.errors import ChargeNotFound, RefundExceedsCharge, ValidationError
from domain.ledger import AccountKind, Transfer, TransferKind, Wallet, post
from domain.money import Money, parse_amount
from domain.text import check_text
from ports.storage import UnitOfWork

MAX_REASON = 1000


@frozen
class ChargeRefund:
    charge: Transfer
    refund: Transfer
    refunded: Money  # all the refunds of the charge, this one included
    wallet: Wallet


class ChargeRefundUseCases(UseCases):
    async def refund(self, charge_id: UUID, amount: object = None, reason: object = "", *,
                     actor: str) -> ChargeRefund:
        """Give back ``amount`` of a charge (default: what is left of it), with a reason."""
        why = _reason(reason)

        async def body(uow: UnitOfWork) -> ChargeRefund:
            charge = await uow.reports.transfer(charge_id)
            if charge is None or charge.kind is not TransferKind.CHARGE:
                raise ChargeNotFound()
            owner = await self._payer(uow, charge)
            wallet = await uow.wallets.lock(owner, charge.amount.currency, self._now())
            earlier = [t for t in await uow.reports.transfers_for(_reference(charge.id))
                       if t.kind is TransferKind.REFUND]
            done = sum((t.amount for t in earlier), Money.zero(charge.amount.currency))
            left = charge.amount - done
            wanted = left if amount in (None, "") else parse_amount(amount, charge.amount.currency)
            if not left.is_positive or wanted > left:
                raise RefundExceedsCharge(refunded=done.amount, charge_amount=charge.amount.amount)
            refund = Transfer(self._deps.ids.new_id(), charge.credit, wallet.account, wanted,
                              TransferKind.REFUND, f"Qaytarish: {charge.description}"[:255],
                              _reference(charge.id), self._now())
            await uow.ledger.record(post(refund, {wallet.account: wallet}))
            result = ChargeRefund(charge, refund, done + wanted, wallet)
            await self._audit(uow, actor, "refund_charge", f"charge:{charge.id}", f"{wanted} {why}")
            await self._event(uow, "charge.refunded", owner, self._views.charge_refund(result, why))
            return result

        return await self._units.write(body)

    async def _payer(self, uow: UnitOfWork, charge: Transfer) -> str:
        """The user whose wallet paid: the charge's debit wallet, or a captured hold's owner."""
        if charge.debit.kind is AccountKind.WALLET and charge.debit.owner:
            return charge.debit.owner
        if charge.debit.kind is AccountKind.HOLDS and charge.reference.startswith("hold:"):
            hold = await uow.holds.lock(UUID(charge.reference.removeprefix("hold:")))
            if hold is not None:
                return hold.user_id
        raise ChargeNotFound()


def _reference(charge_id: UUID) -> str:
    return f"refund:{charge_id}"


def _reason(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValidationError("reason is required", field="reason")
    return check_text(raw, "reason", max_length=MAX_REASON, multiline=True).strip()

