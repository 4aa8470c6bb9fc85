"""The double-entry ledger (SPEC §2): accounts, balanced transfers, wallets never negative, verify."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import BalanceLimitExceeded, InsufficientFunds, ValidationError, WalletBlocked
from domain.ledger import (
    Account,
    AccountKind,
    Transfer,
    TransferKind,
    Wallet,
    post,
    verify,
)
from domain.money import Currency, Money

UZS, USD, IRR = Currency.UZS, Currency.USD, Currency.IRR
NOW = datetime(2026, 1, 15, 7, 0, tzinfo=UTC)


def transfer(debit: Account, credit: Account, minor: int, currency: Currency = UZS,
             kind: TransferKind = TransferKind.CHARGE) -> Transfer:
    return Transfer(uuid4(), debit, credit, Money(minor, currency), kind, "test", "ref", NOW)


def wallet(user: str, minor: int = 0, currency: Currency = UZS) -> Wallet:
    return Wallet(user, currency, NOW, Money(minor, currency))


# --- accounts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("account", [
    Account.wallet("user-1", UZS),
    Account.wallet("platform:42:sub", USD),  # owners may contain the separator
    Account.clearing("click", UZS),
    Account.clearing("medogram", IRR),
    Account.revenue("doctor_view", UZS),
    Account.commission(UZS),
    Account.adjustments(Currency.EUR),
], ids=lambda account: account.code)
def test_account_codes_round_trip(account: Account) -> None:
    assert Account.from_code(account.code) == account


def test_account_codes_name_kind_owner_and_currency() -> None:
    assert Account.wallet("u1", UZS).code == "wallet:u1:UZS"
    assert Account.commission(UZS).code == "commission:UZS"
    assert Account.revenue("doctor_view", USD).kind is AccountKind.REVENUE


# --- transfers --------------------------------------------------------------------------------

@pytest.mark.parametrize("minor", [0, -1, -500])
def test_a_transfer_moves_a_positive_amount(minor: int) -> None:
    with pytest.raises(ValidationError):
        transfer(Account.adjustments(UZS), Account.wallet("u1", UZS), minor)


def test_a_transfer_needs_two_different_accounts() -> None:
    with pytest.raises(ValidationError):
        transfer(Account.wallet("u1", UZS), Account.wallet("u1", UZS), 100)


@pytest.mark.parametrize(("debit", "credit", "currency"), [
    (Account.wallet("u1", USD), Account.revenue("x", UZS), UZS),
    (Account.wallet("u1", UZS), Account.revenue("x", UZS), USD),
    (Account.wallet("u1", UZS), Account.revenue("x", USD), UZS),
])
def test_a_transfer_stays_within_one_currency(debit: Account, credit: Account,
                                              currency: Currency) -> None:
    with pytest.raises(ValidationError):
        transfer(debit, credit, 100, currency)


# --- posting ----------------------------------------------------------------------------------

def test_post_credits_a_wallet_and_returns_balanced_entries() -> None:
    alice = wallet("alice")
    moved = transfer(Account.clearing("click", UZS), alice.account, 5_000_000, kind=TransferKind.TOPUP)
    debit, credit = post(moved, {alice.account: alice}).entries
    assert alice.balance == Money(5_000_000, UZS)
    assert (debit.amount, debit.balance_after, debit.account) == (-5_000_000, None, moved.debit)
    assert (credit.amount, credit.balance_after, credit.account) == (5_000_000, 5_000_000, alice.account)
    assert debit.amount + credit.amount == 0
    assert debit.transfer_id == credit.transfer_id == moved.id


def test_post_debits_a_wallet() -> None:
    alice = wallet("alice", 10_000)
    debit, credit = post(transfer(alice.account, Account.revenue("doctor_view", UZS), 2_500),
                         {alice.account: alice}).entries
    assert alice.balance == Money(7_500, UZS)
    assert (debit.amount, debit.balance_after) == (-2_500, 7_500)
    assert (credit.amount, credit.balance_after) == (2_500, None)


def test_post_between_two_wallets_updates_both() -> None:
    alice, bob = wallet("alice", 1_000), wallet("bob", 50)
    post(transfer(alice.account, bob.account, 1_000), {alice.account: alice, bob.account: bob})
    assert (alice.balance.minor, bob.balance.minor) == (0, 1_050)


def test_a_posting_carries_the_transfer_its_balanced_entries_and_the_wallets_it_moved() -> None:
    alice, bob = wallet("alice", 1_000), wallet("bob", 50)
    moved = transfer(alice.account, bob.account, 400)
    posting = post(moved, {alice.account: alice, bob.account: bob})
    assert posting.transfer == moved and posting.is_balanced
    assert [(w.user_id, w.balance.minor) for w in posting.wallets] == [("alice", 600), ("bob", 450)]
    assert [entry.balance_after for entry in posting.entries] == [600, 450]
    alice.is_blocked = True  # the posting keeps the wallets as the transfer left them
    assert not posting.wallets[0].is_blocked


def test_a_posting_between_system_accounts_moves_no_wallet() -> None:
    posting = post(transfer(Account.clearing("click", UZS), Account.commission(UZS), 100), {})
    assert posting.wallets == () and posting.is_balanced


def test_a_wallet_may_be_emptied_exactly() -> None:
    alice = wallet("alice", 500)
    post(transfer(alice.account, Account.revenue("x", UZS), 500), {alice.account: alice})
    assert alice.balance.is_zero


def test_an_overdraft_is_refused_and_leaves_the_wallet_unchanged() -> None:
    alice = wallet("alice", 4_999)
    with pytest.raises(InsufficientFunds) as refused:
        post(transfer(alice.account, Account.revenue("doctor_view", UZS), 5_000),
             {alice.account: alice})
    assert refused.value.details == {"current_balance": Money(4_999, UZS).amount,
                                     "required_amount": Money(5_000, UZS).amount, "currency": "UZS"}
    assert alice.balance == Money(4_999, UZS)


def test_an_overdraft_between_wallets_changes_neither() -> None:
    alice, bob = wallet("alice", 10), wallet("bob", 20)
    with pytest.raises(InsufficientFunds):
        post(transfer(alice.account, bob.account, 11), {alice.account: alice, bob.account: bob})
    assert (alice.balance.minor, bob.balance.minor) == (10, 20)


def test_post_refuses_a_wallet_that_is_not_in_the_unit_of_work() -> None:
    with pytest.raises(ValidationError):
        post(transfer(Account.adjustments(UZS), Account.wallet("ghost", UZS), 100), {})


def test_system_accounts_need_no_wallet_and_may_go_negative() -> None:
    debit, credit = post(transfer(Account.clearing("click", UZS), Account.commission(UZS), 100), {}).entries
    assert (debit.amount, credit.amount, debit.balance_after, credit.balance_after) == (-100, 100,
                                                                                         None, None)


# --- wallet rules -----------------------------------------------------------------------------

def test_a_blocked_wallet_receives_no_new_topup() -> None:
    alice = wallet("alice")
    alice.is_blocked = True
    with pytest.raises(WalletBlocked):
        alice.ensure_not_blocked()
    with pytest.raises(WalletBlocked):
        alice.ensure_can_receive(Money(100, UZS), None)


def test_max_wallet_balance_is_inclusive() -> None:
    alice = wallet("alice", 90_000_000)
    cap = Money(100_000_000, UZS)
    alice.ensure_can_receive(Money(10_000_000, UZS), cap)
    with pytest.raises(BalanceLimitExceeded) as refused:
        alice.ensure_can_receive(Money(10_000_001, UZS), cap)
    assert refused.value.details["max_balance"] == cap.amount
    alice.ensure_can_receive(Money(10**12, UZS), None)


def test_a_new_wallet_starts_at_zero_unblocked() -> None:
    fresh = Wallet("u", IRR, NOW)
    assert fresh.balance == Money.zero(IRR) and not fresh.is_blocked
    assert fresh.account == Account.wallet("u", IRR)


# --- verify -----------------------------------------------------------------------------------

ALICE, BOB = Account.wallet("alice", UZS), Account.wallet("bob", UZS)
CLEARING, REVENUE = Account.clearing("click", UZS), Account.revenue("doctor_view", UZS)


def kinds(report) -> list[str]:
    return [violation.kind for violation in report.violations]


def test_verify_passes_a_clean_ledger() -> None:
    report = verify({CLEARING: -700, ALICE: 500, BOB: 0, REVENUE: 200}, {ALICE: 500, BOB: 0}, 3, [2, 2, 2])
    assert report.ok and report.violations == ()
    assert (report.transfers, report.wallets, report.currencies) == (3, 2, 1)


def test_verify_passes_an_empty_ledger() -> None:
    assert verify({}, {}, 0).ok


def test_verify_finds_a_currency_that_does_not_sum_to_zero() -> None:
    report = verify({CLEARING: -500, ALICE: 500, Account.commission(USD): 7}, {ALICE: 500}, 2)
    assert kinds(report) == ["currency_unbalanced"]
    assert report.violations[0].subject == "USD"


def test_verify_finds_a_wallet_whose_balance_differs_from_its_entries() -> None:
    report = verify({CLEARING: -500, ALICE: 500}, {ALICE: 501}, 1)
    assert kinds(report) == ["wallet_mismatch"]
    assert report.violations[0].subject == ALICE.code


def test_verify_finds_a_negative_wallet() -> None:
    report = verify({REVENUE: 5, ALICE: -5}, {ALICE: -5}, 1)
    assert kinds(report) == ["wallet_negative"]


def test_verify_finds_entries_on_a_wallet_that_does_not_exist() -> None:
    report = verify({CLEARING: -5, ALICE: 5}, {}, 1)
    assert kinds(report) == ["wallet_missing"]


def test_verify_finds_a_wallet_with_a_balance_but_no_entries() -> None:
    assert kinds(verify({}, {BOB: 100}, 0)) == ["wallet_mismatch"]


def test_verify_finds_a_transfer_without_exactly_two_entries() -> None:
    report = verify({CLEARING: -5, ALICE: 5}, {ALICE: 5}, 2, [2, 1])
    assert kinds(report) == ["transfer_unbalanced"]


def test_verify_reports_every_violation_at_once() -> None:
    report = verify({ALICE: -5, BOB: 3}, {ALICE: -5}, 1)
    assert sorted(kinds(report)) == ["currency_unbalanced", "wallet_missing", "wallet_negative"]
    assert not report.ok


# --- the ledger's invariants under any sequence of transfers ----------------------------------

USERS = ("alice", "bob", "carol")
SYSTEM = (Account.clearing("click", UZS), Account.clearing("payme", UZS), Account.commission(UZS),
          Account.revenue("doctor_view", UZS), Account.adjustments(UZS),
          Account.clearing("medogram", IRR), Account.adjustments(IRR), Account.revenue("x", IRR))
ACCOUNTS = SYSTEM + tuple(Account.wallet(user, c) for user in USERS for c in (UZS, IRR))

moves = st.lists(st.tuples(st.sampled_from(ACCOUNTS), st.sampled_from(ACCOUNTS),
                           st.integers(min_value=1, max_value=1_000_000)), max_size=60)


@settings(max_examples=150, database=None)
@given(moves)
def test_any_sequence_of_transfers_keeps_the_ledger_balanced(sequence) -> None:
    wallets = {a: Wallet(a.owner, a.currency, NOW) for a in ACCOUNTS if a.kind is AccountKind.WALLET}
    sums: dict[Account, int] = {}
    entry_counts: list[int] = []
    for debit, credit, minor in sequence:
        if debit == credit or debit.currency is not credit.currency:
            continue
        moved = Transfer(UUID(int=len(entry_counts) + 1), debit, credit, Money(minor, debit.currency),
                         TransferKind.ADJUSTMENT, "", "", NOW)
        before = {account: w.balance for account, w in wallets.items()}
        try:
            entries = post(moved, wallets).entries
        except InsufficientFunds:
            assert {account: w.balance for account, w in wallets.items()} == before
            continue
        entry_counts.append(len(entries))
        for entry in entries:
            sums[entry.account] = sums.get(entry.account, 0) + entry.amount
            if entry.balance_after is not None:
                assert entry.balance_after == wallets[entry.account].balance.minor
    balances = {account: w.balance.minor for account, w in wallets.items()}
    for currency in (UZS, IRR):
        assert sum(total for account, total in sums.items() if account.currency is currency) == 0
    for account, balance in balances.items():
        assert balance == sums.get(account, 0) >= 0
    assert verify(sums, balances, len(entry_counts), entry_counts).ok
