"""Row ↔ object mapping of money (transfers, entries, wallets, usage, payments, attempts) shared by
the SQL storages: one column order per table, and the tuple written or the object read back, with
each backend's ``Values``. A sealed column (``adapters.sealed``) is sealed going in, opened coming out."""

from __future__ import annotations

from typing import Any

from adapters.sealed import TRACKING_CODE, seal, unseal
from adapters.sql.values import Row, Values
from domain.ledger import Account, AccountKind, Entry, Transfer, TransferKind, Wallet
from domain.money import Currency, Money
from domain.payments import Attempt, AttemptStatus, Payment, PaymentStatus, PaymentType
from domain.reports import WalletTransaction
from domain.usage import Usage
from ports.services import Cipher

TRANSFER_COLUMNS = "id, user_id, debit_account, credit_account, amount, currency, kind, description, " \
                   "reference, created_at"
ENTRY_COLUMNS = "transfer_id, user_id, account, currency, amount, balance_after, created_at"
WALLET_COLUMNS = "user_id, currency, balance, is_blocked, created_at"
USAGE_COLUMNS = "id, user_id, service_type, quantity, currency, local_date, created_at, related_object_id, " \
                "amount, transfer_id, free_reason"


def _owner(account: Account) -> str | None:
    """The user a row is kept under (the key a distribution by user would use): a wallet's owner."""
    return account.owner if account.kind is AccountKind.WALLET else None


def transfer_row(t: Transfer, v: Values) -> tuple[Any, ...]:
    return (v.uuid(t.id), _owner(t.credit) or _owner(t.debit), t.debit.code, t.credit.code,
            t.amount.minor, t.amount.currency.value, t.kind.value, t.description, t.reference,
            v.time(t.created_at))


def entry_row(e: Entry, v: Values) -> tuple[Any, ...]:
    return (v.uuid(e.transfer_id), _owner(e.account), e.account.code, e.currency.value, e.amount,
            e.balance_after, v.time(e.created_at))


def wallet_row(w: Wallet, v: Values) -> tuple[Any, ...]:
    return (w.user_id, w.currency.value, w.balance.minor, v.flag(w.is_blocked), v.time(w.created_at))


def transfer_from(row: Row, v: Values) -> Transfer:
    return Transfer(
        v.read_uuid(row["id"]), Account.from_code(row["debit_account"]),
        Account.from_code(row["credit_account"]), Money(row["amount"], Currency(row["currency"])),
        TransferKind(row["kind"]), row["description"], row["reference"], v.read_time(row["created_at"]),
    )


def wallet_from(row: Row, v: Values) -> Wallet:
    currency = Currency(row["currency"])
    return Wallet(row["user_id"], currency, v.read_time(row["created_at"]), Money(row["balance"], currency),
                  v.read_flag(row["is_blocked"]))


def transaction_from(row: Row, v: Values) -> WalletTransaction:
    """A wallet line from its entry joined to its transfer."""
    amount, after = row["amount"], row["balance_after"]
    return WalletTransaction(
        v.read_uuid(row["transfer_id"]), "credit" if amount > 0 else "debit", abs(amount), after - amount,
        after, row["description"], row["kind"], row["reference"], v.read_time(row["created_at"]),
        refunded_amount=row["refunded"],
    )


def usage_row(u: Usage, v: Values) -> tuple[Any, ...]:
    return (v.uuid(u.id), u.user_id, u.service_type, u.quantity, u.currency.value, v.day(u.local_date),
            v.time(u.created_at), u.related_object_id, u.amount, v.optional_uuid(u.transfer_id),
            u.free_reason.value if u.free_reason else None)


PAYMENT_FIELDS = ("id", "reference_number", "user_id", "gateway", "amount", "commission", "currency",
                  "status", "payment_type", "description", "callback_url", "return_url", "external_id",
                  "tracking_code", "created_at", "expires_at", "completed_at", "cancelled_at", "updated_at")
PAYMENT_COLUMNS = ", ".join(PAYMENT_FIELDS)
PAYMENT_UPDATES = ", ".join(f"{name} = excluded.{name}" for name in PAYMENT_FIELDS[1:])
ATTEMPT_COLUMNS = "id, payment_id, gateway, external_id, created_at, status, external_time, " \
                  "completed_at, cancelled_at, cancel_reason"


def payment_row(p: Payment, cipher: Cipher | None, v: Values) -> tuple[Any, ...]:
    return (v.uuid(p.id), p.reference_number, p.user_id, p.gateway, p.amount.minor, p.commission.minor,
            p.currency.value, p.status.value, p.payment_type.value, p.description, p.callback_url,
            p.return_url, p.external_id, seal(cipher, TRACKING_CODE, p.tracking_code),
            v.time(p.created_at), v.time(p.expires_at), v.optional_time(p.completed_at),
            v.optional_time(p.cancelled_at), v.optional_time(p.updated_at))


def payment_from(row: Row, cipher: Cipher | None, v: Values) -> Payment:
    currency = Currency(row["currency"])
    return Payment(
        v.read_uuid(row["id"]), row["reference_number"], row["user_id"], row["gateway"],
        Money(row["amount"], currency), Money(row["commission"], currency), v.read_time(row["created_at"]),
        v.read_time(row["expires_at"]), PaymentStatus(row["status"]), PaymentType(row["payment_type"]),
        row["description"], row["callback_url"], row["return_url"], row["external_id"],
        unseal(cipher, TRACKING_CODE, row["tracking_code"]), v.read_optional_time(row["completed_at"]),
        v.read_optional_time(row["cancelled_at"]), v.read_optional_time(row["updated_at"]),
    )


def attempt_row(a: Attempt, v: Values) -> tuple[Any, ...]:
    return (v.uuid(a.id), v.uuid(a.payment_id), a.gateway, a.external_id, v.time(a.created_at),
            a.status.value, a.external_time, v.optional_time(a.completed_at),
            v.optional_time(a.cancelled_at), a.cancel_reason)


def attempt_from(row: Row, v: Values) -> Attempt:
    return Attempt(
        v.read_uuid(row["id"]), v.read_uuid(row["payment_id"]), row["gateway"], row["external_id"],
        v.read_time(row["created_at"]), AttemptStatus(row["status"]), row["external_time"],
        v.read_optional_time(row["completed_at"]), v.read_optional_time(row["cancelled_at"]),
        row["cancel_reason"],
    )
