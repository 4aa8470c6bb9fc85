"""Signing in to the console in headless Chromium: a one-time link opens one session and is
refused the second time; a pasted admin JWT signs in, a user's token or a bad one is refused;
signing out ends the session."""

from __future__ import annotations

from tests.console.browsing import by_id, forget_cookies, sign_in_by_link, sign_in_with_token, sign_out
from tests.console.conftest import link_url
from tests.gateways.sandbox.chromium import in_thread


async def test_a_sign_in_link_opens_one_session_and_its_reuse_is_refused(api, browser):
    async with api() as server:
        link = await link_url(server, admin_id="ops-1")

        def use_twice() -> tuple[str, str, str, str]:
            forget_cookies(browser)
            first = sign_in_by_link(browser, link)
            who = by_id(browser, "admin-id").text
            sign_out(browser)
            after_sign_out = browser.current_url
            return first, who, after_sign_out, sign_in_by_link(browser, link)

        first, who, after_sign_out, second = await in_thread(use_twice)
    assert "Dashboard" in first and who == "ops-1"
    assert after_sign_out.endswith("/admin/sign-in/")
    assert "This sign-in link was used already or has expired" in second


async def test_a_link_older_than_ten_minutes_is_refused(api, browser):
    async with api() as server:
        link = await link_url(server)
        server.clock.advance(seconds=601)
        forget = await in_thread(lambda: forget_cookies(browser))
        seen = await in_thread(lambda: forget or sign_in_by_link(browser, link))
    assert "This sign-in link was used already or has expired" in seen


async def test_a_pasted_admin_token_signs_in_and_a_user_s_or_a_bad_token_is_refused(api, browser):
    async with api() as server:
        user, bad = server.issuer.issue("alice"), "not-a-jwt"
        admin = server.issuer.issue("root", admin=True)

        def try_all() -> tuple[str, str, str, str]:
            refused = sign_in_with_token(browser, server.url, user)
            invalid = sign_in_with_token(browser, server.url, bad)
            signed = sign_in_with_token(browser, server.url, admin)
            return refused, invalid, signed, by_id(browser, "admin-id").text

        refused, invalid, signed, who = await in_thread(try_all)
    assert "This token is not an admin's (role: admin)" in refused
    assert "Invalid token" in invalid
    assert "Dashboard" in signed and who == "root"
