"""Gateway configs, billing rules and settings: what an admin saves is what the use cases read."""

from __future__ import annotations

from decimal import Decimal

from domain.billing import BillingSettings
from domain.money import Currency, Money
from domain.payments import CommissionType
from tests.contract.builders import gateway, rule, uzs
from tests.contract.seeding import seed


async def test_a_gateway_config_comes_back_with_every_field(storage):
    async with storage() as s:
        config = gateway("payme", commission_type=CommissionType.COMBINED,
                         commission_percentage=Decimal("1.25"), commission_fixed=uzs(150_000),
                         currencies=(Currency.USD, Currency.EUR))
        await seed(s, config)
        async with s.unit_of_work(write=False) as uow:
            stored = await uow.gateways.get("payme")
            assert await uow.gateways.get("bitpay") is None
    assert stored == config
    assert isinstance(stored.commission_percentage, Decimal)


async def test_gateway_configs_are_listed_by_name_and_saving_again_replaces(storage):
    async with storage() as s:
        await seed(s, gateway("payme"), gateway("click"), gateway("uzcard"))
        await seed(s, gateway("click", is_active=False, max_amount=uzs(5_000_000)))
        async with s.unit_of_work(write=False) as uow:
            configs = await uow.gateways.all()
    assert [c.name for c in configs] == ["click", "payme", "uzcard"]
    assert (configs[0].is_active, configs[0].max_amount) == (False, uzs(5_000_000))


async def test_a_billing_rule_keeps_its_localized_names_and_exact_discount(storage):
    async with storage() as s:
        saved = rule("consultation", 5_000_050, is_active=False, mxik_code="10305001001000000",
                     package_code="1545023", vat_percent=0)
        await seed(s, saved)
        async with s.unit_of_work(write=False) as uow:
            stored = await uow.billing.rule("consultation")
            assert await uow.billing.rule("ai_diagnosis") is None
    assert stored == saved
    assert stored.service_names["fa"] == "مشاهده پروفایل پزشک"
    assert stored.discount_percentage == Decimal("12.5") and isinstance(stored.discount_percentage, Decimal)


async def test_rules_are_listed_by_service_type_and_saving_again_replaces(storage):
    async with storage() as s:
        await seed(s, rule("prescription"), rule("chat_message"), rule("doctor_view"))
        await seed(s, rule("chat_message", 100_000, service_names={"en": "Chat"}))
        async with s.unit_of_work(write=False) as uow:
            rules = await uow.billing.rules()
    assert [r.service_type for r in rules] == ["chat_message", "doctor_view", "prescription"]
    assert (rules[0].price, rules[0].service_names) == (uzs(100_000), {"en": "Chat"})


async def test_deleting_a_rule_says_whether_it_existed(storage):
    async with storage() as s:
        await seed(s, rule("doctor_view"))
        async with s.unit_of_work() as uow:
            assert await uow.billing.delete_rule("doctor_view") is True
            assert await uow.billing.delete_rule("doctor_view") is False
            assert await uow.billing.rule("doctor_view") is None
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            assert await uow.billing.rules() == []


async def test_a_changed_rule_object_changes_nothing_stored(storage):
    async with storage() as s:
        await seed(s, rule("doctor_view"))
        async with s.unit_of_work() as uow:
            got = await uow.billing.rule("doctor_view")
            got.service_names["uz"] = "changed"
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            assert (await uow.billing.rule("doctor_view")).service_names["uz"] == "Shifokor profilini ko'rish"


async def test_settings_are_none_until_first_saved(storage):
    async with storage() as s, s.unit_of_work(write=False) as uow:
        assert await uow.billing.settings() is None


async def test_settings_come_back_with_every_field_optional_limits_included(storage):
    async with storage() as s:
        every = BillingSettings(Currency.USD, False, True, 4, 6, 10, Money(1_000, Currency.USD),
                                Money(900_000, Currency.USD), 12, Money(50_000, Currency.USD),
                                Money(500, Currency.USD), "10399001001000000", "1500", 15,
                                "Hamyon to'ldirish", "123456789")
        await seed(s, BillingSettings())
        async with s.unit_of_work(write=False) as uow:
            assert await uow.billing.settings() == BillingSettings()
        await seed(s, every)
        async with s.unit_of_work(write=False) as uow:
            stored = await uow.billing.settings()
    assert stored == every
    assert BillingSettings().daily_spending_limit is None and BillingSettings().max_debits_per_hour is None
