"""The console's webhook endpoint and doctor forms over plain HTTP (and once in Chromium on a
phone): each calls the use case the admin API calls, its effect read back through the use cases
and audited with the signed-in admin's id; a refusal is the page again with the use case's words
(400), a POST without the session's CSRF token is refused (403) and changes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from application.doctors import DoctorNotFound
from application.webhooks import WebhookNotFound
from tests.console.browsing import SIDEWAYS, sign_in_with_token, submit
from tests.console.conftest import http_session, post, wrong_token
from tests.gateways.sandbox.chromium import DESKTOP, PHONE, in_thread, show_as

ADMIN = "ops-7"
NEW_ENDPOINT = [("url", "https://platform.example/paid"), ("events", "payment.completed"),
                ("events", "charge.succeeded"), ("description", "paid things")]
NEW_DOCTOR = {"id": "42", "first_name": "Aziza", "last_name": "Rahimova", "specialization": "Neurology",
              "rating": "4.5"}


async def audited(server: Any) -> list[tuple[str, str]]:
    entries = await server.hamyon.units.read(lambda uow: uow.reports.recent_audit(50))
    return [(entry.target.split(":")[0], entry.action) for entry in reversed(entries)
            if entry.actor == ADMIN]


async def page(server: Any, cookie: str, path: str) -> str:
    return (await server.client.fetch(f"{server.url}{path}", headers={"Cookie": cookie})).body.decode()


async def test_an_endpoint_is_created_with_its_secret_shown_once_switched_off_and_on_then_deleted(api):
    async with api() as server:
        cookie, csrf = await http_session(server, ADMIN)
        created = await post(server, "/admin/webhooks/new/", [("_csrf", csrf), *NEW_ENDPOINT], cookie)
        (endpoint,) = await server.hamyon.webhooks.all()
        listing = await page(server, cookie, "/admin/webhooks/")
        own_page = await page(server, cookie, f"/admin/webhooks/{endpoint.id}/")
        off = await post(server, f"/admin/webhooks/{endpoint.id}/switch/",
                         {"_csrf": csrf, "is_active": "off"}, cookie)
        was_on = (await server.hamyon.webhooks.get(endpoint.id)).is_active
        on = await post(server, f"/admin/webhooks/{endpoint.id}/switch/", {"_csrf": csrf, "is_active": "on"},
                        cookie)
        unconfirmed = await post(server, f"/admin/webhooks/{endpoint.id}/delete/", {"_csrf": csrf}, cookie)
        still_there = await server.hamyon.webhooks.get(endpoint.id)
        deleted = await post(server, f"/admin/webhooks/{endpoint.id}/delete/",
                             {"_csrf": csrf, "confirm": "yes"}, cookie)
        with pytest.raises(WebhookNotFound):
            await server.hamyon.webhooks.get(endpoint.id)
        trail = await audited(server)
    assert created.code == 200 and endpoint.secret in created.body.decode()
    assert endpoint.url == "https://platform.example/paid" and endpoint.description == "paid things"
    assert endpoint.events == ("payment.completed", "charge.succeeded")
    assert endpoint.secret not in listing and endpoint.secret not in own_page
    assert (off.code, was_on, on.code) == (303, False, 303)
    assert off.headers["Location"].startswith(f"/admin/webhooks/{endpoint.id}/?notice=")
    assert unconfirmed.code == 400 and "Tick the box to confirm" in unconfirmed.body.decode()
    assert still_there.is_active
    assert deleted.code == 303 and deleted.headers["Location"].startswith("/admin/webhooks/?notice=")
    assert trail == [("webhook", "create_webhook"), ("webhook", "update_webhook"),
                     ("webhook", "update_webhook"), ("webhook", "delete_webhook")]


async def test_a_refused_endpoint_is_shown_above_the_form_with_what_was_entered(api):
    async with api() as server:
        cookie, csrf = await http_session(server, ADMIN)
        bad_url = await post(server, "/admin/webhooks/new/",
                             {"_csrf": csrf, "url": "ftp://platform.example/x", "events": "*"}, cookie)
        no_events = await post(server, "/admin/webhooks/new/",
                               {"_csrf": csrf, "url": "https://platform.example/x"}, cookie)
        unknown = await post(server, "/admin/webhooks/new/?lang=ru",
                             {"_csrf": csrf, "url": "https://platform.example/x", "events": "payment.lost"},
                             cookie)
        made = await server.hamyon.webhooks.all()
    assert bad_url.code == 400 and 'role="alert">url must be an http or https URL' in bad_url.body.decode()
    assert 'value="ftp://platform.example/x"' in bad_url.body.decode()
    assert no_events.code == 400 and "events must be a non-empty list" in no_events.body.decode()
    assert unknown.code == 400 and "Unknown event type" in unknown.body.decode()
    assert "Вебхуки" in unknown.body.decode() and made == []


async def test_a_doctor_is_added_edited_and_removed(api):
    async with api() as server:
        cookie, csrf = await http_session(server, ADMIN)
        added = await post(server, "/admin/doctors/new/", {"_csrf": csrf, **NEW_DOCTOR}, cookie)
        new = await server.hamyon.doctors.card("42")
        listing = await page(server, cookie, "/admin/doctors/")
        edited = await post(server, "/admin/doctors/42/edit/",
                            {"_csrf": csrf, "first_name": "Aziza", "last_name": "Rahimova-Karimova",
                             "specialization": "Neurology", "rating": "4.25"}, cookie)
        changed = await server.hamyon.doctors.card("42")
        hidden_from_view = await server.hamyon.doctors.find("42")
        removed = await post(server, "/admin/doctors/42/remove/", {"_csrf": csrf}, cookie)
        with pytest.raises(DoctorNotFound):
            await server.hamyon.doctors.card("42")
        trail = await audited(server)
        entries = await server.hamyon.units.read(lambda uow: uow.reports.recent_audit(50))
    assert added.code == 303 and added.headers["Location"].startswith("/admin/doctors/?notice=")
    assert (new.first_name, new.last_name, new.specialization, new.rating, new.is_active) == (
        "Aziza", "Rahimova", "Neurology", Decimal("4.5"), True)
    assert "Rahimova" in listing and 'action="/admin/doctors/42/edit/"' in listing
    assert edited.code == 303 and changed.last_name == "Rahimova-Karimova"
    assert changed.rating == Decimal("4.25") and not changed.is_active and hidden_from_view is None
    assert removed.code == 303
    assert trail == [("doctor", "create_doctor"), ("doctor", "update_doctor"), ("doctor", "delete_doctor")]
    update = next(entry for entry in entries if entry.action == "update_doctor")
    assert update.details == "is_active, last_name, rating"  # only what the form changed


async def test_a_refused_doctor_is_shown_above_the_form_with_the_field_named(api):
    async with api() as server:
        cookie, csrf = await http_session(server, ADMIN)
        bad_rating = await post(server, "/admin/doctors/new/", {"_csrf": csrf, **NEW_DOCTOR, "rating": "7"},
                                cookie)
        nameless = await post(server, "/admin/doctors/new/", {"_csrf": csrf, **NEW_DOCTOR, "last_name": " "},
                              cookie)
        await post(server, "/admin/doctors/new/", {"_csrf": csrf, **NEW_DOCTOR}, cookie)
        taken = await post(server, "/admin/doctors/new/", {"_csrf": csrf, **NEW_DOCTOR}, cookie)
        bad_edit = await post(server, "/admin/doctors/42/edit/",
                              {"_csrf": csrf, **NEW_DOCTOR, "rating": "4.333", "is_active": "on"}, cookie)
        missing = await post(server, "/admin/doctors/43/edit/", {"_csrf": csrf, **NEW_DOCTOR}, cookie)
        kept = await server.hamyon.doctors.card("42")
    assert bad_rating.code == 400
    assert 'role="alert">rating must be a number from 0 to 5' in bad_rating.body.decode()
    assert 'value="7"' in bad_rating.body.decode()
    assert nameless.code == 400 and "last_name is required" in nameless.body.decode()
    assert taken.code == 400 and "A doctor with this id exists" in taken.body.decode()
    assert bad_edit.code == 400 and "rating must be a number" in bad_edit.body.decode()
    assert missing.code == 404 and kept.rating == Decimal("4.5")


async def test_the_new_forms_refuse_a_post_without_the_csrf_token_and_change_nothing(api):
    async with api() as server:
        cookie, csrf = await http_session(server, ADMIN)
        endpoint = await server.hamyon.webhooks.create("https://platform.example/h", ["*"], actor="root")
        await server.hamyon.doctors.save("7", {"first_name": "Dilnoza", "last_name": "Karimova"},
                                         actor="root", create=True)
        wrong = wrong_token(csrf)
        codes = [(await post(server, path, fields, cookie)).code for path, fields in (
            ("/admin/webhooks/new/", dict(NEW_ENDPOINT)),
            (f"/admin/webhooks/{endpoint.id}/switch/", {"is_active": "off", "_csrf": wrong}),
            (f"/admin/webhooks/{endpoint.id}/delete/", {"confirm": "yes"}),
            ("/admin/doctors/new/", NEW_DOCTOR),
            ("/admin/doctors/7/edit/", {"first_name": "Other", "last_name": "Name", "_csrf": wrong}),
            ("/admin/doctors/7/remove/", {}))]
        endpoints = await server.hamyon.webhooks.all()
        doctor = await server.hamyon.doctors.card("7")
        trail = await audited(server)
    assert codes == [403] * 6
    assert [(e.id, e.is_active) for e in endpoints] == [(endpoint.id, True)]
    assert doctor.first_name == "Dilnoza" and trail == []


async def test_the_new_forms_work_in_a_browser_on_a_phone(api, browser):
    async with api() as server:
        token = server.issuer.issue(ADMIN, admin=True)

        def act() -> tuple[list[str], str, bool]:
            from selenium.webdriver.common.by import By
            sign_in_with_token(browser, server.url, token)
            show_as(browser, PHONE)
            try:
                browser.get(f"{server.url}/admin/webhooks/")
                box = browser.find_element(By.CSS_SELECTOR, "#new-endpoint input[value='payment.completed']")
                box.click()
                said = [submit(browser, "#new-endpoint", url="https://platform.example/phone")]
                secret = browser.find_element(By.ID, "secret").text
                sideways = bool(browser.execute_script(SIDEWAYS))
                browser.get(f"{server.url}/admin/doctors/")
                said.append(submit(browser, "#new-doctor", **NEW_DOCTOR))
                sideways = sideways or bool(browser.execute_script(SIDEWAYS))
            finally:
                show_as(browser, DESKTOP)
            return said, secret, sideways

        said, secret, sideways = await in_thread(act)
        (endpoint,) = await server.hamyon.webhooks.all()
        doctor = await server.hamyon.doctors.card("42")
    assert said[0].startswith("Endpoint created") and said[1] == "Doctor added"
    assert secret == endpoint.secret and endpoint.events == ("payment.completed",)
    assert doctor.rating == Decimal("4.5") and not sideways
