"""The sandbox checkout as a payer sees it, in headless Chromium at desktop (1280×800) and phone
(375×740) size: the merchant, what is paid for, the amounts, the time to pay by and one primary
button; Pay ends on the finished page with a success mark and the wallet credited, Cancel with a
cancel mark; an unknown payment is an HTML page; nothing scrolls sideways on a phone; Russian
and Uzbek pages.

``HAMYON_SCREENSHOTS=docs/screenshots`` saves the README's screenshots (checkout and finished
page, desktop and phone) while these tests run.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.gateways.sandbox.chromium import (
    DESKTOP,
    PHONE,
    Screen,
    in_thread,
    screenshot,
    scrolls_sideways,
    show_as,
)

SCREENS = pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=lambda screen: screen.name)
MERCHANT = "Kitobxon"
DESCRIPTION = "Kitobxon Premium: 12 months of audiobooks"


def _by_id(driver: Any, *names: str) -> dict[str, str]:
    from selenium.webdriver.common.by import By

    return {name: driver.find_element(By.ID, name).text for name in names}


def _finished(driver: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(lambda d: "/sandbox/done/" in d.current_url)


def _checkout_then_pay(driver: Any, url: str, screen: Screen) -> dict[str, Any]:
    from selenium.webdriver.common.by import By

    show_as(driver, screen)
    driver.get(url)
    seen = _by_id(driver, "merchant", "description", "amount", "commission", "total", "expiry",
                  "time-left", "pay", "cancel")
    primary = [button.get_attribute("id") for button in driver.find_elements(By.CSS_SELECTOR, ".primary")]
    cancel_class = driver.find_element(By.ID, "cancel").get_attribute("class")
    sideways = scrolls_sideways(driver)
    screenshot(driver, f"checkout-{screen.name}")
    driver.find_element(By.ID, "pay").click()
    _finished(driver)
    done = {**_by_id(driver, "outcome", "total", "status"),
            "mark": driver.find_element(By.ID, "mark").get_attribute("class"),
            "sideways": scrolls_sideways(driver), "buttons": len(driver.find_elements(By.ID, "pay"))}
    screenshot(driver, f"finished-{screen.name}")
    return {**seen, "primary": primary, "cancel_class": cancel_class, "sideways": sideways,
            "done": done}


@SCREENS
async def test_the_checkout_shows_the_payment_and_pay_ends_on_the_success_page(sandbox, browser,
                                                                               screen):
    async with sandbox(merchant=MERCHANT) as world:
        await world.charge_commission("1")
        payment = await world.create(50000, description=DESCRIPTION)
        seen = await in_thread(lambda: _checkout_then_pay(browser, payment["payment_url"], screen))
        balance = await world.balance()
        status = await world.status(payment["id"])

    assert seen["merchant"] == MERCHANT and seen["description"] == DESCRIPTION
    assert (seen["amount"], seen["commission"], seen["total"]) == (
        "50,000.00 UZS", "500.00 UZS", "50,500.00 UZS")
    assert seen["expiry"].startswith("12:30, 15 Jan (UTC+5)")  # the clock's 07:00 UTC + 30 min
    assert seen["time-left"] == "30 min left"
    assert seen["primary"] == ["pay"] and seen["pay"] == "Pay 50,500.00 UZS"
    assert "secondary" in seen["cancel_class"] and seen["cancel"] == "Cancel"
    assert seen["sideways"] is False
    assert seen["done"] == {"outcome": "Payment successful", "total": "50,500.00 UZS",
                            "status": "Completed", "mark": "mark success", "sideways": False,
                            "buttons": 0}
    assert (status, balance) == ("completed", Decimal("50000.00"))


def _cancel(driver: Any, url: str, screen: Screen) -> dict[str, Any]:
    from selenium.webdriver.common.by import By

    show_as(driver, screen)
    driver.get(url)
    driver.find_element(By.ID, "cancel").click()
    _finished(driver)
    return {**_by_id(driver, "outcome", "status"),
            "mark": driver.find_element(By.ID, "mark").get_attribute("class"),
            "sideways": scrolls_sideways(driver)}


@SCREENS
async def test_cancel_ends_on_the_cancelled_page_and_credits_nothing(sandbox, browser, screen):
    async with sandbox(merchant=MERCHANT) as world:
        payment = await world.create(50000)
        seen = await in_thread(lambda: _cancel(browser, payment["payment_url"], screen))
        balance = await world.balance()

    assert seen == {"outcome": "Payment cancelled", "status": "Cancelled",
                    "mark": "mark cancelled", "sideways": False}
    assert balance == 0


def _not_found(driver: Any, url: str, screen: Screen) -> dict[str, Any]:
    show_as(driver, screen)
    driver.get(url)
    return {"type": driver.execute_script("return document.contentType"),
            "language": driver.execute_script("return document.documentElement.lang"),
            **_by_id(driver, "outcome"), "sideways": scrolls_sideways(driver)}


@SCREENS
async def test_an_unknown_payment_is_an_html_not_found_page(sandbox, browser, screen):
    async with sandbox() as world:
        url = f"{world.server.url}/sandbox/pay/00000000-0000-0000-0000-000000000000"
        seen = await in_thread(lambda: _not_found(browser, url, screen))
    assert seen == {"type": "text/html", "language": "en", "outcome": "Payment not found",
                    "sideways": False}


def _in_language(driver: Any, url: str, language: str) -> dict[str, Any]:
    show_as(driver, PHONE)
    driver.get(url)
    if language == "ru":
        screenshot(driver, "checkout-phone-ru")
    seen = {**_by_id(driver, "description", "total", "time-left", "pay", "cancel"),
            "sideways": scrolls_sideways(driver)}
    driver.find_element("id", "pay").click()
    _finished(driver)
    return {**seen, "done": _by_id(driver, "outcome", "status")}


@pytest.mark.parametrize(("language", "expected"), [
    ("ru", {"description": "Пополнение кошелька", "total": "50 000,00 UZS",
            "time-left": "осталось 30 мин", "pay": "Оплатить 50 000,00 UZS", "cancel": "Отменить",
            "sideways": False,
            "done": {"outcome": "Оплата прошла успешно", "status": "Завершён"}}),
    ("uz", {"description": "Hamyonni to'ldirish", "total": "50 000,00 UZS",
            "time-left": "30 daqiqa qoldi", "pay": "50 000,00 UZS to'lash",
            "cancel": "Bekor qilish", "sideways": False,
            "done": {"outcome": "To'lov muvaffaqiyatli amalga oshirildi",
                     "status": "Yakunlangan"}}),
])
async def test_the_checkout_and_its_finished_page_speak_russian_and_uzbek(sandbox, browser,
                                                                         language, expected):
    async with sandbox() as world:
        payment = await world.create(50000)
        seen = await in_thread(lambda: _in_language(browser, f"{payment['payment_url']}?lang={language}",
                                                   language))
    assert seen == expected
