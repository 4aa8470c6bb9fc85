"""The sandbox checkout's HTML over HTTP: the payer's language (``lang``, else Accept-Language),
amounts as each language writes them, the commission only when there is one, the time to pay by
and what happens past it, hostile text escaped, the finished page's way back, and the pages'
errors as pages for a browser (JSON for any other client, as on every route)."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest

from adapters.gateways.sandbox import sandbox_gateway
from entrypoints.settings import load_settings

NBSP = "\u00a0"
UNKNOWN = "/sandbox/pay/00000000-0000-0000-0000-000000000000"


def _language(page) -> str:
    return re.search(r'<html lang="([a-z]+)"', page.text).group(1)


@pytest.mark.parametrize(("query", "accept_language", "language", "words"), [
    ("", None, "uz", "Hamyonni to'ldirish"),
    ("", "ru-RU,ru;q=0.9,en;q=0.8", "ru", "Пополнение кошелька"),
    ("", "fa, ru;q=0.5", "ru", "Пополнение кошелька"),  # the page speaks no Persian
    ("", "fa", "uz", "Hamyonni to'ldirish"),
    ("?lang=en", "ru", "en", "Wallet top-up"),
])
async def test_the_page_speaks_the_chosen_language_else_the_browsers(sandbox, query,
                                                                   accept_language, language,
                                                                   words):
    async with sandbox() as world:
        payment = await world.create(50000)
        headers = {"Accept-Language": accept_language} if accept_language else {}
        page = await world.page(f"/sandbox/pay/{payment['id']}{query}", **headers)
    assert page.status == 200 and _language(page) == language and escape(words) in page.text


async def test_amounts_are_written_as_each_language_writes_them_with_the_commission(sandbox):
    async with sandbox() as world:
        await world.charge_commission("1")
        payment = await world.create("987654.32")
        english, russian = [await world.page(f"/sandbox/pay/{payment['id']}?lang={language}")
                            for language in ("en", "ru")]
    assert f'id="amount">987,654.32{NBSP}UZS<' in english.text
    assert f'id="commission">9,876.54{NBSP}UZS<' in english.text
    assert f'id="total">997,530.86{NBSP}UZS<' in english.text
    assert f'id="total">997{NBSP}530,86{NBSP}UZS<' in russian.text
    assert f">Оплатить 997{NBSP}530,86{NBSP}UZS</button>" in russian.text


async def test_without_a_commission_the_page_shows_the_total_alone(sandbox):
    async with sandbox() as world:
        payment = await world.create(50000)
        page = await world.page(f"/sandbox/pay/{payment['id']}?lang=en")
    assert f'id="total">50,000.00{NBSP}UZS<' in page.text
    assert 'id="commission"' not in page.text and 'id="amount"' not in page.text


async def test_the_page_counts_down_to_the_expiry_and_past_it_shows_the_payment_expired(sandbox):
    async with sandbox() as world:
        payment = await world.create(50000)
        url = f"/sandbox/pay/{payment['id']}?lang=en"
        world.server.clock.advance(minutes=10, seconds=30)
        running = await world.page(url)
        world.server.clock.advance(minutes=20)
        late = await world.page(url)
    assert "12:30, 15 Jan (UTC+5)" in running.text  # 07:00 UTC + 30 min, in Tashkent
    assert f'id="time-left">20{NBSP}min left<' in running.text  # 19.5 minutes, rounded up
    assert 'data-status="expired"' in late.text and "Payment expired" in late.text
    assert 'id="pay"' not in late.text and 'class="mark failed"' in late.text


async def test_a_hostile_description_and_merchant_name_are_shown_as_text(sandbox):
    merchant = '<img src=x onerror="alert(1)">Shop & Co'
    description = '</p><script>alert("x")</script>\n<a href="javascript:steal()">win</a>'
    async with sandbox(merchant=merchant) as world:
        payment = await world.create(50000, description=description)
        page = await world.page(f"/sandbox/pay/{payment['id']}")
        await world.press(payment["id"], "pay")
        done = await world.page(f"/sandbox/done/{payment['id']}")
    for shown in (page.text, done.text):
        assert escape(merchant) in shown and escape(description) in shown
        assert not re.search(r"<script|<img|<a href=\"javascript", shown)


async def test_an_unknown_payment_is_an_html_404_for_a_browser_and_json_for_an_api_client(sandbox):
    async with sandbox() as world:
        browser = await world.page(UNKNOWN, **{"Accept-Language": "en"})
        nonsense = await world.page("/sandbox/done/42")
        client = await world.server.get(UNKNOWN, user=None)
    assert browser.status == 404 and browser.headers["Content-Type"].startswith("text/html")
    assert "<h1" in browser.text and "Payment not found" in browser.text
    assert nonsense.status == 404 and escape("To'lov topilmadi") in nonsense.text
    assert client.status == 404 and client.json["code"] == "payment_not_found"


async def test_with_the_sandbox_off_a_browser_gets_an_html_404(sandbox):
    async with sandbox(on=False) as world:
        payment = await world.create(50000)
        page = await world.page(f"/sandbox/pay/{payment['id']}?lang=en")
    assert page.status == 404 and "Payment not found" in page.text
    assert 'id="merchant"' not in page.text  # no sandbox, no merchant to name


async def test_the_finished_page_links_back_to_the_return_url_when_the_payment_has_one(sandbox):
    async with sandbox(merchant="Kitobxon") as world:
        back = await world.create(50000, return_url=f"{world.shop_url}?order=7")
        alone = await world.create(50000)
        for payment in (back, alone):
            await world.press(payment["id"], "pay")
        linked, unlinked = [await world.page(f"/sandbox/done/{p['id']}?lang=en") for p in (back, alone)]
    returned = f"{world.shop_url}?order=7&payment_id={back['id']}&status=completed"
    assert f'id="back" href="{escape(returned)}">Return to Kitobxon</a>' in linked.text
    assert 'class="mark success"' in linked.text and 'id="back"' not in unlinked.text


async def test_a_chosen_language_stays_on_the_buttons_and_the_finished_page(sandbox):
    async with sandbox() as world:
        payment = await world.create(50000)
        page = await world.page(f"/sandbox/pay/{payment['id']}?lang=ru")
        pressed = await world.press(payment["id"], "cancel", "?lang=ru")
        done = await world.page(pressed.headers["Location"])
    assert page.text.count(f'action="/sandbox/pay/{payment["id"]}?lang=ru"') == 2
    assert pressed.headers["Location"] == f"/sandbox/done/{payment['id']}?lang=ru"
    assert _language(done) == "ru" and "Оплата отменена" in done.text
    assert 'class="mark cancelled"' in done.text


async def test_a_language_the_page_does_not_speak_is_refused_by_name(sandbox):
    async with sandbox() as world:
        payment = await world.create(50000)
        client = await world.server.get(f"/sandbox/pay/{payment['id']}?lang=fr", user=None)
        browser = await world.page(f"/sandbox/pay/{payment['id']}?lang=fr")
    assert (client.status, client.json["field"]) == (400, "lang")
    assert browser.status == 400 and browser.headers["Content-Type"].startswith("text/html")


async def test_a_press_after_the_payment_finished_is_an_html_409_pointing_to_the_payment(sandbox):
    async with sandbox() as world:
        payment = await world.create(50000)
        await world.press(payment["id"], "cancel")
        late = await world.press(payment["id"], "pay", "?lang=en", Accept="text/html")
        balance = await world.balance()
    text = late.body.decode()
    assert late.code == 409 and late.headers["Content-Type"].startswith("text/html")
    assert "This payment is already finished" in text
    assert f'href="/sandbox/done/{payment["id"]}?lang=en"' in text
    assert balance == 0


def test_the_merchant_name_comes_from_the_settings():
    no_dotenv = Path("/nonexistent/.env")
    named = load_settings({"HAMYON_MERCHANT_NAME": "  Kitobxon  "}, dotenv=no_dotenv)
    blank = load_settings({"HAMYON_MERCHANT_NAME": " "}, dotenv=no_dotenv)
    assert sandbox_gateway(named).merchant_name == "Kitobxon"
    assert sandbox_gateway(blank).merchant_name == "Hamyon"
    assert sandbox_gateway(load_settings({}, dotenv=no_dotenv)).merchant_name == "Hamyon"
