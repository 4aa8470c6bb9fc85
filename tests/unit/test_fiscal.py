"""Receipt lines (SPEC §14): VAT inside VAT-inclusive prices, half up to the tiyin; a top-up's
items add up to what the gateway collects; the codes admins write are checked."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from domain.errors import ValidationError
from domain.fiscal import (
    FiscalCodes,
    FiscalSubmission,
    SubmissionState,
    check_mxik,
    check_package_code,
    check_tin,
    check_vat_percent,
    topup_lines,
    vat_of,
)
from domain.money import Currency, Money
from tests.contract.builders import NOW, payment

CODES = FiscalCodes("10399001001000000", "1500", 12)


@pytest.mark.parametrize(("total", "percent", "vat"), [
    (1_000_000, 12, 107_143),  # 10 000.00 so'm: 107 142.857… → 107 143
    (112, 12, 12),             # exact
    (5, 12, 1),                # 0.5357 → 1
    (4, 12, 0),                # 0.4286 → 0
    (14, 12, 2),               # 1.5 → 2: half up, not to even
    (25_100, 12, 2_689),       # 2 689.2857…
    (1_000_000, 0, 0),
    (1_000_000, 15, 130_435),  # 130 434.78…
    (1_000_000, 100, 500_000),
    (1, 100, 1),               # 0.5 → 1
])
def test_vat_is_the_share_inside_the_price_rounded_half_up(total, percent, vat):
    assert vat_of(total, percent) == vat


def test_a_topup_with_a_commission_has_two_lines_adding_up_to_what_the_gateway_collects():
    paid = payment(amount=1_000_037)  # commission 10 000 tiyin (1 %)
    paid = attrs.evolve(paid, commission=Money(15_063, Currency.UZS))
    lines = topup_lines(paid, CODES, "Hamyon hisobini to'ldirish")
    assert [(line.title, line.price, line.count, line.vat) for line in lines] == [
        ("Hamyon hisobini to'ldirish", 1_000_037, 1, 107_147), ("Komissiya", 15_063, 1, 1_614)]
    assert sum(line.total for line in lines) == paid.total_amount.minor == 1_015_100
    assert {(line.code, line.package_code, line.vat_percent) for line in lines} == {
        ("10399001001000000", "1500", 12)}


def test_a_topup_without_commission_is_one_line_and_without_a_code_none():
    paid = attrs.evolve(payment(amount=5_000_000), commission=Money(0, Currency.UZS))
    assert [(line.price, line.count) for line in topup_lines(paid, CODES, "")] == [(5_000_000, 1)]
    assert topup_lines(paid, FiscalCodes(), "Top-up") == ()
    assert len(topup_lines(paid, CODES, "x" * 100)[0].title) == 63  # Click's Name is string(63)


@pytest.mark.parametrize("bad", ["1234567890123456", "123456789012345678", "1039900100100000a",
                                 "١٠٣٩٩٠٠١٠٠١٠٠٠٠٠٠", 10399001001000000.0, True, ["1"]])
def test_an_mxik_code_is_exactly_17_ascii_digits(bad):
    with pytest.raises(ValidationError) as refused:
        check_mxik(bad, "mxik_code")
    assert refused.value.field == "mxik_code"
    assert check_mxik("10399001001000000", "mxik_code") == "10399001001000000"
    assert check_mxik("", "mxik_code") == ""


def test_package_codes_vat_rates_and_tax_numbers_are_checked():
    assert check_package_code("1500", "package_code") == "1500"
    assert check_vat_percent(0, "vat_percent") == 0 and check_vat_percent("100", "vat_percent") == 100
    assert check_tin("123456789", "fiscal_tin") == "123456789"
    assert check_tin("12345678901234", "fiscal_tin") == "12345678901234"
    for check, bad in [(check_package_code, "15-00"), (check_package_code, "1" * 21),
                       (check_vat_percent, 101), (check_vat_percent, -1), (check_vat_percent, "12.5"),
                       (check_vat_percent, True), (check_tin, "12345678"), (check_tin, "abcdefghi")]:
        with pytest.raises(ValidationError):
            check(bad, "field")


def test_a_submission_is_tried_again_later_each_time_and_then_given_up():
    tried = FiscalSubmission(payment().id, "click", "4710103925", NOW, NOW)
    tried.failed_try(NOW, "HTTP 500", final=False)
    assert (tried.state, tried.next_attempt_at, tried.attempts) == (
        SubmissionState.PENDING, NOW + timedelta(seconds=5), 1)
    tried.failed_try(NOW, "HTTP 500", final=False)
    assert tried.next_attempt_at == NOW + timedelta(seconds=30)
    for _ in range(10):
        tried.failed_try(NOW, "timeout", final=False)
    assert tried.state is SubmissionState.FAILED
    refused = FiscalSubmission(payment().id, "click", "1", NOW, NOW)
    refused.failed_try(NOW, "error_code -1", final=True)
    assert refused.state is SubmissionState.FAILED and refused.attempts == 1
