"""A gateway row can never make a payment whose total is below its amount (that would credit the
wallet more than the gateway collects): the commission is never negative."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import InvalidAmount, ValidationError
from domain.money import Currency, Money, parse_non_negative_amount
from domain.payments import CommissionType, GatewayConfig

UZS = Currency.UZS


def uzs(amount: str) -> Money:
    return Money.of(Decimal(amount), UZS)


def click(kind: CommissionType, percentage: str = "0", fixed: str = "0") -> GatewayConfig:
    return GatewayConfig("click", "Click", True, uzs("1000"), uzs("10000000"), kind,
                         Decimal(percentage), uzs(fixed))


@pytest.mark.parametrize(("kind", "percentage", "fixed"), [
    (CommissionType.FIXED, "0", "-300"),
    (CommissionType.COMBINED, "0.5", "-300"),  # 50.00 + (-300.00)
    (CommissionType.PERCENTAGE, "-1", "0"),
    (CommissionType.COMBINED, "-1", "50"),
])
def test_a_row_whose_commission_would_be_negative_makes_no_payment(
        kind: CommissionType, percentage: str, fixed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        click(kind, percentage, fixed).commission_for(uzs("10000"))
    assert refused.value.field == "gateway"


def test_a_negative_part_the_type_leaves_out_does_not_count() -> None:
    assert click(CommissionType.PERCENTAGE, "1", "-300").commission_for(uzs("10000")) == uzs("100")
    assert click(CommissionType.FIXED, "-1", "300").commission_for(uzs("10000")) == uzs("300")


def test_zero_commission_is_allowed_and_the_total_is_never_below_the_amount() -> None:
    amount = uzs("10000")
    for config in (click(CommissionType.FIXED), click(CommissionType.COMBINED, "100", "0.01")):
        assert amount + config.commission_for(amount) >= amount


def test_a_non_negative_amount_takes_zero_and_refuses_below_it() -> None:
    assert parse_non_negative_amount("0", UZS, field="commission_fixed") == Money.zero(UZS)
    assert parse_non_negative_amount(300, UZS, field="commission_fixed") == uzs("300")
    for raw in (-300, "-0.01"):
        with pytest.raises(InvalidAmount) as refused:
            parse_non_negative_amount(raw, UZS, field="commission_fixed")
        assert refused.value.field == "commission_fixed"
