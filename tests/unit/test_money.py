"""Money (SPEC §1): parsing with every refusal, formatting, and the one rounding rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import CurrencyMismatch, InvalidAmount, UnsupportedCurrency
from domain.money import (
    Currency,
    Money,
    parse_amount,
    parse_percentage,
    parse_signed_amount,
    round_half_up,
)

UZS, IRR, USD = Currency.UZS, Currency.IRR, Currency.USD
FIFTEEN_NINES = "9" * 15


def uzs(amount: str) -> Money:
    return Money.of(Decimal(amount), UZS)


# --- parsing: what is accepted ---------------------------------------------------------------

@pytest.mark.parametrize(("raw", "minor"), [
    (50000, 5_000_000),
    (Decimal("50000"), 5_000_000),
    (Decimal("50000.5"), 5_000_050),
    (Decimal("50000.50"), 5_000_050),
    ("50000.50", 5_000_050),
    (" 50000 ", 5_000_000),
    ("0.01", 1),
    ("1E+3", 100_000),
    (Decimal("5.000"), 500),  # trailing zeros finer than a tiyin are still whole tiyin
])
def test_amounts_in_uzs_parse_to_exact_tiyin(raw: object, minor: int) -> None:
    assert parse_amount(raw, UZS) == Money(minor, UZS)


def test_irr_has_no_minor_digits_but_takes_zero_decimals() -> None:
    assert parse_amount("5.00", IRR) == Money(5, IRR)
    assert parse_amount(Decimal("5.0"), IRR) == Money(5, IRR)
    assert parse_amount(10_000, IRR) == Money(10_000, IRR)


def test_fifteen_integer_digits_are_accepted() -> None:
    assert parse_amount(FIFTEEN_NINES, UZS).minor == int(FIFTEEN_NINES) * 100
    assert parse_amount(FIFTEEN_NINES + ".99", UZS).minor == int(FIFTEEN_NINES + "99")
    assert parse_amount(int(FIFTEEN_NINES), IRR).minor == int(FIFTEEN_NINES)


def test_signed_amounts_take_either_sign_but_not_zero() -> None:
    assert parse_signed_amount("-12.34", UZS) == Money(-1234, UZS)
    assert parse_signed_amount(5, UZS) == Money(500, UZS)
    for zero in (0, "0", "-0", Decimal("0.00")):
        with pytest.raises(InvalidAmount):
            parse_signed_amount(zero, UZS)


# --- parsing: every refusal of SPEC §1 --------------------------------------------------------

@pytest.mark.parametrize(("raw", "currency"), [
    ("5.5", IRR),
    (Decimal("5.5"), IRR),
    ("0.001", UZS),
    (Decimal("50000.505"), UZS),
    ("1e-400", UZS),
], ids=["irr-string", "irr-decimal", "uzs-3-decimals", "uzs-decimal-3", "tiny-exponent"])
def test_more_decimals_than_the_currency_has_are_refused(raw: object, currency: Currency) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(raw, currency)


@pytest.mark.parametrize("raw", [0, "0", "0.00", Decimal("-0"), -1, "-0.01", Decimal("-50000")])
def test_zero_or_negative_is_refused_where_positive_is_needed(raw: object) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(raw, UZS)


@pytest.mark.parametrize("raw", [
    "NaN", "nan", "sNaN", Decimal("NaN"), "Infinity", "-Infinity", "inf", Decimal("Infinity"),
    Decimal("-Infinity"),
])
def test_nan_and_infinity_are_refused(raw: object) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(raw, UZS, positive=False)


@pytest.mark.parametrize("raw", [
    "1e400", Decimal("1e400"), "1E+15", "1e999999999", Decimal("-1e400"),
    "1" + "0" * 15, "1" + "0" * 15 + ".00", int("1" + "0" * 15), "9" * 16, "0E+16",
])
def test_huge_exponents_and_sixteen_integer_digits_are_refused(raw: object) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(raw, UZS, positive=False)


@pytest.mark.parametrize("raw", [
    True, False, 1.5, 50000.0, float("nan"), None, [], [1], {"amount": 1}, b"5", object(),
], ids=lambda raw: type(raw).__name__ if type(raw) is object else repr(raw))
def test_booleans_floats_and_other_types_are_refused(raw: object) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(raw, UZS)


@pytest.mark.parametrize("raw", ["", "   ", "abc", "5 000", "5,00", "0x10", "--5", "5..0", "1" * 65])
def test_non_numeric_strings_are_refused(raw: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(raw, UZS)


def test_refusals_name_the_field() -> None:
    with pytest.raises(InvalidAmount) as refused:
        parse_amount("abc", UZS, field="price")
    assert refused.value.field == "price"
    assert refused.value.details["field"] == "price"


def test_money_of_refuses_like_parsing() -> None:
    for raw in ("5.5", True, 1.5, "NaN"):
        with pytest.raises(InvalidAmount):
            Money.of(raw, IRR)  # type: ignore[arg-type]


# --- currencies -------------------------------------------------------------------------------

def test_currencies_and_their_digits() -> None:
    assert {c.value: c.digits for c in Currency} == {"UZS": 2, "USD": 2, "EUR": 2, "RUB": 2, "IRR": 0}
    assert Currency.parse(" uzs ") is UZS
    for bad in ("XYZ", "", None, 5):
        with pytest.raises(UnsupportedCurrency):
            Currency.parse(bad)


# --- formatting -------------------------------------------------------------------------------

def test_amount_has_exactly_the_currencys_decimals() -> None:
    assert str(parse_amount(50000, UZS).amount) == "50000.00"
    assert parse_amount(50000, UZS).amount.as_tuple().exponent == -2
    assert str(Money(5, UZS).amount) == "0.05"
    assert str(Money(10_000, IRR).amount) == "10000"
    assert Money(10_000, IRR).amount.as_tuple().exponent == 0
    assert str(Money(-150, USD).amount) == "-1.50"
    assert str(Money(int(FIFTEEN_NINES + "99"), UZS).amount) == FIFTEEN_NINES + ".99"
    assert str(uzs("50000")) == "50000.00 UZS"


# --- rounding ---------------------------------------------------------------------------------

def test_two_and_a_half_percent_of_10001_rounds_half_up_once() -> None:
    assert uzs("10001.00").percent(Decimal("2.5")) == uzs("250.03")


@pytest.mark.parametrize(("exact", "currency", "rounded"), [
    ("0.005", UZS, "0.01"),
    ("0.0049999", UZS, "0.00"),
    ("250.025", UZS, "250.03"),
    ("1.115", UZS, "1.12"),
    ("-0.005", UZS, "-0.01"),
    ("-250.025", UZS, "-250.03"),
    ("-0.0049", UZS, "0.00"),
    ("2.5", IRR, "3"),
    ("-2.5", IRR, "-3"),
    ("2.49", IRR, "2"),
])
def test_round_half_up_goes_away_from_zero_on_ties(exact: str, currency: Currency, rounded: str) -> None:
    assert round_half_up(Decimal(exact), currency) == Money.of(Decimal(rounded), currency)


def test_percent_of_zero_and_of_a_hundred() -> None:
    assert uzs("123.45").percent(Decimal("0")) == Money.zero(UZS)
    assert uzs("123.45").percent(Decimal("100")) == uzs("123.45")
    assert Money(1, UZS).percent(Decimal("50")) == Money(1, UZS)  # 0.005 → 0.01


# --- arithmetic -------------------------------------------------------------------------------

def test_arithmetic_and_comparisons_within_one_currency() -> None:
    assert uzs("1.50") + uzs("2.25") == uzs("3.75")
    assert uzs("1.50") - uzs("2.25") == uzs("-0.75")
    assert -uzs("1.50") == uzs("-1.50")
    assert uzs("1") < uzs("2") <= uzs("2") and uzs("3") > uzs("2") >= uzs("2")
    assert Money.zero(UZS).is_zero and uzs("0.01").is_positive and not uzs("-0.01").is_positive


@pytest.mark.parametrize("operation", [
    lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a < b, lambda a, b: a <= b,
    lambda a, b: a > b, lambda a, b: a >= b,
], ids=["add", "sub", "lt", "le", "gt", "ge"])
def test_arithmetic_refuses_mixed_currencies(operation) -> None:
    with pytest.raises(CurrencyMismatch):
        operation(Money(100, UZS), Money(100, USD))


def test_money_is_equal_only_in_the_same_currency() -> None:
    assert Money(100, UZS) != Money(100, USD)


# --- percentages ------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "value"), [
    (0, "0.00"), (100, "100.00"), ("2.5", "2.50"), (Decimal("99.99"), "99.99"), ("10", "10.00"),
])
def test_percentages_from_0_to_100_with_two_decimals(raw: object, value: str) -> None:
    assert parse_percentage(raw, field="discount_percentage") == Decimal(value)


@pytest.mark.parametrize("raw", [
    "-0.01", -1, "100.01", 101, "2.555", "NaN", "Infinity", True, 2.5, None, "abc", "1e400",
], ids=repr)
def test_percentages_out_of_bounds_or_too_fine_are_refused(raw: object) -> None:
    with pytest.raises(InvalidAmount) as refused:
        parse_percentage(raw, field="discount_percentage")
    assert refused.value.field == "discount_percentage"


# --- properties -------------------------------------------------------------------------------

currencies = st.sampled_from(list(Currency))


@st.composite
def money_within_limits(draw: st.DrawFn, *, signed: bool = False) -> Money:
    currency = draw(currencies)
    top = 10 ** (15 + currency.digits) - 1
    minor = draw(st.integers(min_value=-top if signed else 1, max_value=top).filter(bool))
    return Money(minor, currency)


@settings(max_examples=200, database=None)
@given(money_within_limits())
def test_a_positive_amount_round_trips_through_its_text(money: Money) -> None:
    assert parse_amount(str(money.amount), money.currency) == money
    assert parse_amount(money.amount, money.currency) == money


@settings(max_examples=200, database=None)
@given(money_within_limits(signed=True))
def test_a_signed_amount_round_trips_through_its_text(money: Money) -> None:
    assert parse_signed_amount(str(money.amount), money.currency) == money
    assert money.amount.as_tuple().exponent == -money.currency.digits


@settings(max_examples=300, database=None)
@given(currencies, st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"),
                               allow_nan=False, allow_infinity=False, places=6))
def test_round_half_up_is_within_half_a_minor_unit(currency: Currency, exact: Decimal) -> None:
    rounded = round_half_up(exact, currency)
    error = rounded.amount - exact
    half = currency.quantum / 2
    assert abs(error) <= half
    if abs(error) == half:  # a tie goes away from zero
        assert abs(rounded.amount) > abs(exact)


@pytest.mark.parametrize("raw", ["1_000", "١٢٣", "１２３", "12 000", "0x10", "1,000"])
def test_only_plain_ascii_numeric_strings_are_amounts(raw: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(raw, UZS)
