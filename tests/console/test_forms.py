"""Each console form in headless Chromium, its effect read back through the use cases and the
API, and audited with the signed-in admin's id: refund, block and unblock, adjust, settings,
rules, gateways, resend, and platform keys (shown once, then revoked)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.payments import PaymentStatus
from tests.console.browsing import sign_in_with_token, submit
from tests.console.conftest import balance_of, seed
from tests.gateways.sandbox.chromium import in_thread


async def signed_in(server: Any, browser: Any) -> Any:
    world = await seed(server)
    token = server.issuer.issue("ops-7", admin=True)
    await in_thread(lambda: sign_in_with_token(browser, server.url, token))
    return world


async def audited(server: Any) -> list[tuple[str, str]]:
    entries = await server.hamyon.units.read(lambda uow: uow.reports.recent_audit(50))
    return [(entry.actor, entry.action) for entry in entries if entry.actor == "ops-7"]


async def test_refund_block_unblock_and_adjust_change_the_wallet(api, browser):
    async with api() as server:
        world = await signed_in(server, browser)

        def act() -> list[str]:
            base = f"{server.url}/admin"
            browser.get(f"{base}/payments/{world.completed}/")
            said = [submit(browser, f"form[action$='/payments/{world.completed}/refund/']")]
            browser.get(f"{base}/wallets/bob/")
            said.append(submit(browser, "form[action$='/block/']"))
            said.append(browser.find_element("css selector", "#balances .blocked").text)
            said.append(submit(browser, "form[action$='/unblock/']"))
            said.append(submit(browser, "#adjust", amount="-5000", reason="goodwill correction"))
            said.append(submit(browser, "#adjust", amount="-99999999", reason="too much"))
            return said

        said = await in_thread(act)
        refunded = await server.hamyon.admin.payment(world.completed)
        bob = await server.hamyon.wallets.existing("bob")
        api_wallet = await server.get("/api/payments/wallet/balance/", user="bob")
        trail = await audited(server)
    assert said[:5] == ["Payment refunded", "Wallets blocked", "Yes", "Wallets unblocked", "Wallet adjusted"]
    assert "Insufficient" in said[5]
    assert refunded.status is PaymentStatus.REFUNDED
    assert not bob[0].is_blocked and balance_of(bob) == api_wallet.json["balance"]
    assert trail[:4] == [("ops-7", "adjust"), ("ops-7", "unblock"), ("ops-7", "block"),
                                           ("ops-7", "refund")]


async def test_settings_rules_and_gateways_are_edited_as_the_admin_api_would(api, browser):
    async with api() as server:
        await signed_in(server, browser)

        def act() -> list[str]:
            from selenium.webdriver.common.by import By
            base = f"{server.url}/admin"
            browser.get(f"{base}/billing/")
            said = [submit(browser, "#settings", free_views_per_day="9", max_debits_per_hour="")]
            said.append(submit(browser, "#new-rule", service_type="ai_chat", price="1500",
                               service_name="AI chat"))
            browser.find_element(By.CSS_SELECTOR, "#rule-ai_chat summary").click()
            said.append(submit(browser, "#rule-ai_chat form", price="2500", discount_percentage="10"))
            said.append(submit(browser, "#settings", free_views_per_day="lots"))
            browser.get(f"{base}/gateways/")
            said.append(submit(browser, "#gateway-click form", commission_percentage="1.5"))
            return said

        said = await in_thread(act)
        settings = await server.hamyon.admin.settings()
        rule = next(r for r in await server.hamyon.admin.rules() if r.service_type == "ai_chat")
        click = next(g for g in await server.hamyon.admin.gateways() if g.name == "click")
        api_rules = await server.get("/api/admin/billing/rules/", user="root", admin=True)
        trail = await audited(server)
    assert said[:3] == ["Settings saved", "Rule created", "Rule saved"]
    assert "free_views_per_day" in said[3] and said[4] == "Gateway saved"
    assert settings.free_views_per_day == 9 and settings.max_debits_per_hour is None
    assert rule.price.amount == Decimal("2500") and rule.discount_percentage == Decimal("10")
    assert click.commission_percentage == Decimal("1.5")
    assert "ai_chat" in api_rules.text
    assert {"update_settings", "save_rule", "update_gateway"} <= {action for _, action in trail}


async def test_an_event_is_resent_and_a_platform_key_is_shown_once_then_revoked(api, browser):
    async with api() as server:
        await signed_in(server, browser)

        def act() -> tuple[list[str], str, bool]:
            from selenium.webdriver.common.by import By
            base = f"{server.url}/admin"
            browser.get(f"{base}/webhooks/")
            said = [submit(browser, "#events tbody tr:first-child form")]
            browser.get(f"{base}/api-keys/")
            box = browser.find_element(By.CSS_SELECTOR, "#new-key input[value=read]")
            box.click()
            submit(browser, "#new-key", name="reports")
            key = browser.find_element(By.ID, "plaintext").text
            browser.get(f"{base}/api-keys/")
            shown_again = key in browser.page_source
            return said, key, shown_again

        said, key, shown_again = await in_thread(act)
        with_key = await server.get("/api/payments/wallet/balance/", user=None,
                                    headers={"Authorization": f"Bearer {key}", "Hamyon-User": "bob"})
        made = next(k for k in await server.hamyon.api_keys.list() if k.name == "reports")

        def revoke() -> str:
            browser.get(f"{server.url}/admin/api-keys/")
            return submit(browser, f"#key-{made.id} form")

        revoked = await in_thread(revoke)
        after = await server.get("/api/payments/wallet/balance/", user=None,
                                 headers={"Authorization": f"Bearer {key}", "Hamyon-User": "bob"})
        trail = await audited(server)
    assert said == ["Event queued again"]
    assert key.startswith("hk_") and not shown_again and made.scopes == frozenset({"read"})
    assert with_key.status == 200 and revoked == "Key revoked" and after.status == 401
    assert {"resend_event", "create_api_key", "revoke_api_key"} <= {action for _, action in trail}
