"""Every console page in headless Chromium, with real data behind it, at 1280 px and at 375 px:
it shows what the use cases hold, loads nothing from another host, and never scrolls sideways
on a phone. Russian and Uzbek come with ``?lang=``."""

from __future__ import annotations

from typing import Any

from tests.console.browsing import EXTERNAL, SIDEWAYS, sign_in_with_token
from tests.console.conftest import seed
from tests.gateways.sandbox.chromium import DESKTOP, PHONE, in_thread, screenshot, show_as


def pages(world: Any) -> dict[str, str]:
    """Each page's path, and a text it must show from the data ``seed`` made."""
    return {"": "consultation", "payments/": "click", f"payments/{world.completed}/": "state_change",
            "wallets/": "bob", "wallets/bob/": "charge", "billing/": "consultation",
            "gateways/": "click", "webhooks/": "https://platform.example/hooks",
            f"webhooks/{world.endpoint}/": "pending", "doctors/": "Dilnoza", "api-keys/": "backend"}


def visit(driver: Any, base: str, paths: dict[str, str]) -> dict[str, dict[str, Any]]:
    from selenium.webdriver.common.by import By
    seen = {}
    for screen in (DESKTOP, PHONE):
        show_as(driver, screen)
        for path, expected in paths.items():
            driver.get(f"{base}/admin/{path}")
            name = path.strip("/").split("/")[0] or "dashboard"
            if screen is DESKTOP and path.count("/") <= 1:
                screenshot(driver, f"console-{name}")
            seen[f"{screen.name} {path}"] = {
                "shows": expected in driver.find_element(By.TAG_NAME, "main").text,
                "outside": driver.execute_script(EXTERNAL), "sideways": driver.execute_script(SIDEWAYS),
                "title": driver.find_element(By.TAG_NAME, "h1").text}
    show_as(driver, DESKTOP)
    return seen


async def test_every_page_shows_its_data_loads_nothing_from_outside_and_fits_a_phone(api, browser):
    async with api() as server:
        world = await seed(server)
        token = server.issuer.issue("root", admin=True)
        await in_thread(lambda: sign_in_with_token(browser, server.url, token))
        seen = await in_thread(lambda: visit(browser, server.url, pages(world)))
    assert {page: facts for page, facts in seen.items() if not facts["shows"]} == {}
    assert {page: facts["outside"] for page, facts in seen.items() if facts["outside"]} == {}
    assert [page for page, facts in seen.items() if facts["sideways"]] == []


async def test_the_dashboard_draws_30_days_of_bars_and_checks_the_ledger(api, browser):
    async with api() as server:
        await seed(server)
        token = server.issuer.issue("root", admin=True)

        def dashboard() -> tuple[str, str]:
            from selenium.webdriver.common.by import By
            sign_in_with_token(browser, server.url, token)
            charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
            bars = [len(chart.find_elements(By.CSS_SELECTOR, "rect.bar")) for chart in charts]
            assert len(charts) >= 2 and set(bars) == {30}, bars
            return tuple(browser.find_element(By.ID, name).text for name in ("ledger", "gateway-rates"))

        ledger, rates = await in_thread(dashboard)
    assert "The ledger balances" in ledger
    assert "click" in rates and "100%" in rates


async def test_the_console_speaks_russian_and_uzbek(api, browser):
    async with api() as server:
        token = server.issuer.issue("root", admin=True)

        def titles() -> list[str]:
            from selenium.webdriver.common.by import By
            sign_in_with_token(browser, server.url, token)
            found = []
            for lang in ("ru", "uz", "en"):
                browser.get(f"{server.url}/admin/payments/?lang={lang}")
                found.append(browser.find_element(By.TAG_NAME, "h1").text)
            return found

        assert await in_thread(titles) == ["Платежи", "To'lovlar", "Payments"]
