"""The double-entry ledger: accounts, balanced append-only transfers, wallets that never go negative.

A transfer moves ``amount`` from its debit account to its credit account and yields two entries:
``-amount`` on the debit side, ``+amount`` on the credit side. So, per currency, the entries always
sum to zero, and an account's balance is the sum of its entries. Only wallet accounts keep a stored
balance (updated with the entries, in the same database transaction); it must never go below zero.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from uuid import UUID

from attrs import define, field, frozen

from domain.errors import BalanceLimitExceeded, InsufficientFunds, ValidationError, WalletBlocked
from domain.money import Currency, Money


class AccountKind(enum.Enum):
    WALLET = "wallet"
    CLEARING = "clearing"  # money a gateway owes us, one per gateway
    REVENUE = "revenue"  # one per service type
    COMMISSION = "commission"
    ADJUSTMENTS = "adjustments"  # the other side of admin corrections
    HOLDS = "holds"  # money reserved by active holds, one per currency (entries only, no row)


@frozen
class Account:
    """An account is named by its kind, its owner (user, gateway, service; none for the singletons)
    and its currency. ``code`` is the stable text key under which entries are stored."""

    kind: AccountKind
    currency: Currency
    owner: str = ""

    @property
    def code(self) -> str:
        if self.owner:
            return f"{self.kind.value}:{self.owner}:{self.currency.value}"
        return f"{self.kind.value}:{self.currency.value}"

    @classmethod
    def from_code(cls, code: str) -> Account:
        kind, *rest = code.split(":")
        owner = ":".join(rest[:-1])
        return cls(AccountKind(kind), Currency(rest[-1]), owner)

    @classmethod
    def wallet(cls, user_id: str, currency: Currency) -> Account:
        return cls(AccountKind.WALLET, currency, user_id)

    @classmethod
    def clearing(cls, gateway: str, currency: Currency) -> Account:
        return cls(AccountKind.CLEARING, currency, gateway)

    @classmethod
    def revenue(cls, service_type: str, currency: Currency) -> Account:
        return cls(AccountKind.REVENUE, currency, service_type)

    @classmethod
    def commission(cls, currency: Currency) -> Account:
        return cls(AccountKind.COMMISSION, currency)

    @classmethod
    def adjustments(cls, currency: Currency) -> Account:
        return cls(AccountKind.ADJUSTMENTS, currency)

    @classmethod
    def holds(cls, currency: Currency) -> Account:
        return cls(AccountKind.HOLDS, currency)


class TransferKind(enum.Enum):
    TOPUP = "topup"
    CHARGE = "charge"
    REFUND = "refund"
    REVERSAL = "reversal"
    ADJUSTMENT = "adjustment"
    HOLD = "hold"  # wallet → holds: reserved, no longer spendable
    RELEASE = "release"  # holds → wallet: what a hold gives back


@frozen
class Transfer:
    """One balanced movement of ``amount`` from ``debit`` to ``credit``. Never updated or deleted."""

    id: UUID
    debit: Account
    credit: Account
    amount: Money
    kind: TransferKind
    description: str
    reference: str
    created_at: datetime

    def __attrs_post_init__(self) -> None:
        if not self.amount.is_positive:
            raise ValidationError("A transfer moves a positive amount", field="amount")
        if self.debit == self.credit:
            raise ValidationError("A transfer needs two different accounts")
        if not (self.debit.currency is self.credit.currency is self.amount.currency):
            raise ValidationError("A transfer stays within one currency")


@frozen
class Entry:
    """One side of a transfer. ``balance_after`` is kept for wallet entries (what users see)."""

    transfer_id: UUID
    account: Account
    amount: int  # signed minor units: negative on the debit side
    balance_after: int | None
    created_at: datetime

    @property
    def currency(self) -> Currency:
        return self.account.currency


@define
class Wallet:
    """A user's balance in one currency. Created at zero on the user's first contact."""

    user_id: str
    currency: Currency
    created_at: datetime
    balance: Money = field()
    is_blocked: bool = False

    @balance.default
    def _zero(self) -> Money:
        return Money.zero(self.currency)

    @property
    def account(self) -> Account:
        return Account.wallet(self.user_id, self.currency)

    def copy(self) -> Wallet:
        """The wallet as it is now, apart from later changes to this one."""
        return Wallet(self.user_id, self.currency, self.created_at, self.balance, self.is_blocked)

    def ensure_not_blocked(self) -> None:
        if self.is_blocked:
            raise WalletBlocked()

    def ensure_can_receive(self, amount: Money, max_balance: Money | None) -> None:
        """Refuse a new top-up that would take the balance past ``max_balance``."""
        self.ensure_not_blocked()
        if max_balance is not None and self.balance + amount > max_balance:
            raise BalanceLimitExceeded(
                max_balance=max_balance.amount, current_balance=self.balance.amount,
                currency=self.currency.value,
            )

    def ensure_can_pay(self, amount: Money) -> None:
        if self.balance < amount:
            raise InsufficientFunds(
                current_balance=self.balance.amount, required_amount=amount.amount,
                currency=self.currency.value,
            )


@frozen
class Posting:
    """One transfer as the ledger records it: the transfer, its two entries, and the new state of
    every wallet it moved. The storage writes all three together (``LedgerRepository.record``), so
    a stored wallet balance is always the sum of its entries."""

    transfer: Transfer
    entries: tuple[Entry, ...]
    wallets: tuple[Wallet, ...]  # copies, taken as the transfer left them

    @property
    def is_balanced(self) -> bool:
        """Two entries summing to zero, as every posting ``post`` makes."""
        return len(self.entries) == 2 and sum(entry.amount for entry in self.entries) == 0


def post(transfer: Transfer, wallets: Mapping[Account, Wallet]) -> Posting:
    """Apply a transfer to the wallets it touches and return the posting to record.

    ``wallets`` must hold every wallet account the transfer names (locked by the caller's unit of
    work). A wallet on the debit side must hold the amount: no wallet ever goes below zero. The
    wallets given are changed in place (the caller answers with their new balances).
    """
    debit_wallet = _wallet_for(transfer.debit, wallets)
    credit_wallet = _wallet_for(transfer.credit, wallets)
    if debit_wallet is not None:
        debit_wallet.ensure_can_pay(transfer.amount)
        debit_wallet.balance -= transfer.amount
    if credit_wallet is not None:
        credit_wallet.balance += transfer.amount
    entries = (
        Entry(transfer.id, transfer.debit, -transfer.amount.minor,
              debit_wallet.balance.minor if debit_wallet else None, transfer.created_at),
        Entry(transfer.id, transfer.credit, transfer.amount.minor,
              credit_wallet.balance.minor if credit_wallet else None, transfer.created_at),
    )
    moved = tuple(w.copy() for w in (debit_wallet, credit_wallet) if w is not None)
    return Posting(transfer, entries, moved)


def _wallet_for(account: Account, wallets: Mapping[Account, Wallet]) -> Wallet | None:
    if account.kind is not AccountKind.WALLET:
        return None
    try:
        return wallets[account]
    except KeyError:
        raise ValidationError(f"Wallet {account.code} is not part of this unit of work") from None


@frozen
class Violation:
    """One broken ledger invariant, in words an operator can act on."""

    kind: str
    subject: str
    detail: str


@frozen
class VerifyReport:
    transfers: int
    wallets: int
    currencies: int
    violations: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        return not self.violations


def verify(
    entry_sums: Mapping[Account, int],
    wallet_balances: Mapping[Account, int],
    transfer_count: int,
    entries_per_transfer: Iterable[int] = (),
) -> VerifyReport:
    """Check the ledger's invariants from per-account entry sums and stored wallet balances.

    Every currency's entries sum to zero; every stored wallet balance equals its entries; no
    wallet is negative; every transfer has exactly two entries.
    """
    violations: list[Violation] = []
    per_currency: dict[Currency, int] = {}
    for account, total in entry_sums.items():
        per_currency[account.currency] = per_currency.get(account.currency, 0) + total
    for currency, total in sorted(per_currency.items(), key=lambda item: item[0].value):
        if total != 0:
            violations.append(Violation("currency_unbalanced", currency.value,
                                        f"entries sum to {total} minor units, not 0"))
    for account in sorted(set(wallet_balances) | _wallets(entry_sums), key=lambda a: a.code):
        stored, summed = wallet_balances.get(account), entry_sums.get(account, 0)
        if stored is None:
            violations.append(Violation("wallet_missing", account.code, "entries but no wallet"))
        elif stored != summed:
            violations.append(Violation("wallet_mismatch", account.code,
                                        f"stored balance {stored} but entries sum to {summed}"))
        if summed < 0:
            violations.append(Violation("wallet_negative", account.code, f"balance {summed}"))
    for count in entries_per_transfer:
        if count != 2:
            violations.append(Violation("transfer_unbalanced", "transfer",
                                        f"a transfer has {count} entries, not 2"))
    return VerifyReport(transfer_count, len(wallet_balances), len(per_currency), tuple(violations))


def _wallets(accounts: Iterable[Account]) -> set[Account]:
    return {account for account in accounts if account.kind is AccountKind.WALLET}
