"""The sandbox checkout in headless Chromium (``tests.gateways.sandbox.chromium``): a payer opens
the page, presses Pay, lands on the shop's return URL, and the API shows the wallet credited; on
another payment Cancel credits nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.gateways.sandbox.chromium import in_thread


def _press(driver: Any, page_url: str, button: str, shop_url: str) -> dict[str, str]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(page_url)
    seen = {name: driver.find_element(By.ID, name).text for name in ("reference", "total", "status")}
    driver.find_element(By.ID, button).click()
    WebDriverWait(driver, 30).until(lambda d: d.current_url.startswith(shop_url))
    return {**seen, "landed": driver.current_url, "shop": driver.find_element(By.ID, "thanks").text}


async def test_pay_in_the_browser_credits_the_wallet_and_cancel_credits_nothing(sandbox, browser):
    async with sandbox() as world:
        paid = await world.create(75000, return_url=world.shop_url)
        page_url = f"{world.server.url}/sandbox/pay/{paid['id']}"
        assert paid["payment_url"] == page_url
        seen = await in_thread(lambda: _press(browser, page_url, "pay", world.shop_url))
        after_pay = (await world.server.get("/api/payments/wallet/balance/")).json["balance"]

        cancelled = await world.create(30000, return_url=world.shop_url)
        cancel_url = f"{world.server.url}/sandbox/pay/{cancelled['id']}"
        await in_thread(lambda: _press(browser, cancel_url, "cancel", world.shop_url))
        after_cancel = (await world.server.get("/api/payments/wallet/balance/")).json["balance"]
        states = (await world.status(paid["id"]), await world.status(cancelled["id"]))

    assert seen["reference"].startswith("PAY-") and seen["total"] == "75,000.00 UZS"
    assert seen["status"] == "Processing"
    assert seen["landed"] == f"{world.shop_url}?payment_id={paid['id']}&status=completed"
    assert seen["shop"] == "Thanks for shopping"
    assert after_pay == Decimal("75000.00")
    assert after_cancel == Decimal("75000.00")
    assert states == ("completed", "cancelled")
