"""The codes a fiscal receipt needs (SPEC §14) are admin-editable and checked like any admin
number: a bad one is a 400 naming the field and changes nothing; good ones are shown back."""

from __future__ import annotations

import pytest

from tests.http.test_admin_money_rules import RULE, SETTINGS, admin, refused_and_unchanged

MXIK = "10399001001000000"


async def test_topup_codes_and_the_tax_number_are_saved_and_shown(api):
    async with api() as server:
        changed = await admin(server, "PATCH", SETTINGS, {
            "topup_mxik_code": MXIK, "topup_package_code": "1500", "topup_vat_percent": 0,
            "topup_receipt_title": "Hamyon hisobini to'ldirish", "fiscal_tin": "12345678901234"})
        shown = (await admin(server, "GET", SETTINGS)).json["settings"]
    assert changed.status == 200, changed.text
    assert {name: shown[name] for name in ("topup_mxik_code", "topup_package_code", "topup_vat_percent",
                                           "topup_receipt_title", "fiscal_tin")} == {
        "topup_mxik_code": MXIK, "topup_package_code": "1500", "topup_vat_percent": 0,
        "topup_receipt_title": "Hamyon hisobini to'ldirish", "fiscal_tin": "12345678901234"}


async def test_a_rule_keeps_its_codes_and_defaults_to_12_percent_vat(api):
    async with api() as server:
        before = (await admin(server, "GET", f"{RULE}")).json["billing_rules"][0]
        changed = await admin(server, "PATCH", f"{RULE}consultation/",
                              {"mxik_code": MXIK, "package_code": "1545023", "vat_percent": 15})
    assert before["vat_percent"] == 12 and before["mxik_code"] == ""
    assert changed.status == 200, changed.text
    assert {k: changed.json["rule"][k] for k in ("mxik_code", "package_code", "vat_percent")} == {
        "mxik_code": MXIK, "package_code": "1545023", "vat_percent": 15}


@pytest.mark.parametrize(("changes", "field"), [
    ({"topup_mxik_code": "1039900100100000"}, "topup_mxik_code"),  # 16 digits
    ({"topup_mxik_code": "1039900100100000X"}, "topup_mxik_code"),
    ({"topup_mxik_code": "١٠٣٩٩٠٠١٠٠١٠٠٠٠٠٠"}, "topup_mxik_code"),  # not ASCII digits
    ({"topup_mxik_code": 10399001001000000}, "topup_mxik_code"),  # a number, not text
    ({"topup_package_code": "15 00"}, "topup_package_code"),
    ({"topup_vat_percent": 101}, "topup_vat_percent"),
    ({"topup_vat_percent": -1}, "topup_vat_percent"),
    ({"topup_vat_percent": "12"}, "topup_vat_percent"),
    ({"fiscal_tin": "12345"}, "fiscal_tin"),
    ({"topup_receipt_title": "a\u0000b"}, "topup_receipt_title"),
])
async def test_bad_fiscal_settings_are_refused_naming_the_field(api, changes, field):
    async with api() as server:
        await refused_and_unchanged(server, SETTINGS, changes, field, "the settings")


@pytest.mark.parametrize(("changes", "field"), [
    ({"mxik_code": "123"}, "mxik_code"),
    ({"package_code": "x"}, "package_code"),
    ({"vat_percent": 100.5}, "vat_percent"),
])
async def test_bad_rule_codes_are_refused_naming_the_field(api, changes, field):
    async with api() as server:
        before = (await admin(server, "GET", RULE)).json
        refused = await admin(server, "PATCH", f"{RULE}consultation/", changes)
        after = (await admin(server, "GET", RULE)).json
    assert (refused.status, refused.json["field"]) == (400, field), refused.text
    assert after == before and before["billing_rules"]
