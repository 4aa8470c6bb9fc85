"""The money a proof starts from and the check it ends with: an admin's funding of a wallet, and a
ledger that ``verify`` finds whole."""

from __future__ import annotations

from decimal import Decimal

from application.hamyon import Hamyon


async def fund(hamyon: Hamyon, user: str, amount: int) -> None:
    """Puts ``amount`` UZS in the user's wallet, as an admin's adjustment."""
    await hamyon.wallets.adjust(user, Decimal(amount), "UZS", "proof funding", actor="proof")


async def assert_balanced(hamyon: Hamyon, *context: object) -> None:
    """The ledger verifies: every currency sums to zero, every wallet equals its entries."""
    report = await hamyon.admin.verify_ledger()
    assert report.ok, (*context, report.violations)
