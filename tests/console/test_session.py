"""The console's session over plain HTTP: the cookie's flags, a write without the session's CSRF
token refused (403, nothing changed), pages without a session sent to sign-in, a forged cookie
worth nothing, a signed-out session's cookie worth nothing even when copied, and the sign-in
forms guarded too."""

from __future__ import annotations

from tests.console.conftest import http_session, post, wrong_token


async def test_the_session_cookie_is_httponly_strict_expiring_and_secure_behind_https(api):
    async with api() as server:
        token = server.issuer.issue("root", admin=True)
        page = await server.client.fetch(f"{server.url}/admin/sign-in/")
        pre = page.headers.get_list("Set-Cookie")[0].split(";")[0]
        csrf = page.body.decode().split('name="_csrf" value="')[1].split('"')[0]
        plain = await post(server, "/admin/sign-in/", {"_csrf": csrf, "token": token}, pre)
        behind_https = await post(server, "/admin/sign-in/", {"_csrf": csrf, "token": token}, pre,
                                  **{"X-Forwarded-Proto": "https"})
    session = next(c for c in plain.headers.get_list("Set-Cookie") if c.startswith("hamyon_console="))
    secure = next(c for c in behind_https.headers.get_list("Set-Cookie") if c.startswith("hamyon_console="))
    assert {"HttpOnly", "SameSite=Strict", "Max-Age=28800", "Path=/admin/"} <= {
        part.strip() for part in session.split(";")}
    assert "Secure" not in session and "Secure" in secure


async def test_a_write_without_the_csrf_token_is_refused_and_changes_nothing(api):
    async with api() as server:
        await server.fund("bob", "1000")
        cookie, csrf = await http_session(server)
        missing = await post(server, "/admin/wallets/bob/block/", {}, cookie)
        wrong = await post(server, "/admin/wallets/bob/block/", {"_csrf": wrong_token(csrf)}, cookie)
        blocked_meanwhile = (await server.hamyon.wallets.existing("bob"))[0].is_blocked
        right = await post(server, "/admin/wallets/bob/block/", {"_csrf": csrf}, cookie)
        blocked = (await server.hamyon.wallets.existing("bob"))[0].is_blocked
    assert (missing.code, wrong.code, right.code) == (403, 403, 303)
    assert not blocked_meanwhile and blocked


async def test_without_a_session_pages_lead_to_sign_in_and_writes_are_refused(api):
    async with api() as server:
        await server.fund("bob", "1000")
        cookie, csrf = await http_session(server)
        forged = cookie.replace("hamyon_console=", "hamyon_console=x")
        page = await server.client.fetch(f"{server.url}/admin/payments/", follow_redirects=False,
                                         raise_error=False, headers={"Cookie": forged})
        write = await post(server, "/admin/wallets/bob/block/", {"_csrf": csrf}, forged)
        sign_in = await post(server, "/admin/sign-in/", {"token": server.issuer.issue("root", admin=True)})
    assert page.code == 302 and page.headers["Location"] == "/admin/sign-in/"
    assert write.code == 403 and sign_in.code == 403


async def test_pages_are_html_that_loads_only_this_origin(api):
    async with api() as server:
        cookie, _ = await http_session(server)
        page = await server.client.fetch(f"{server.url}/admin/", headers={"Cookie": cookie})
        style = await server.client.fetch(f"{server.url}/admin/static/console.css")
    assert page.headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store" and style.code == 200


async def test_after_sign_out_a_copy_of_the_session_cookie_opens_nothing(api):
    async with api() as server:
        await server.fund("bob", "1000")
        cookie, csrf = await http_session(server)
        other_cookie, _ = await http_session(server)  # another session of the same admin
        signed_out = await post(server, "/admin/sign-out/", {"_csrf": csrf}, cookie)
        page = await server.client.fetch(f"{server.url}/admin/payments/", follow_redirects=False,
                                         raise_error=False, headers={"Cookie": cookie})
        sign_in = await server.client.fetch(f"{server.url}/admin/sign-in/", follow_redirects=False,
                                            raise_error=False, headers={"Cookie": cookie})
        write = await post(server, "/admin/wallets/bob/block/", {"_csrf": csrf}, cookie)
        blocked = (await server.hamyon.wallets.existing("bob"))[0].is_blocked
        still_open = await server.client.fetch(f"{server.url}/admin/payments/", follow_redirects=False,
                                               raise_error=False, headers={"Cookie": other_cookie})
        audited = await server.hamyon.units.read(lambda uow: uow.reports.recent_audit(10))
    assert signed_out.code == 303 and signed_out.headers["Location"] == "/admin/sign-in/"
    assert page.code == 302 and page.headers["Location"] == "/admin/sign-in/"
    assert sign_in.code == 200  # the sign-in form, not a loop back to the dashboard
    assert write.code == 403 and not blocked
    assert still_open.code == 200  # signing out one session leaves the others
    assert [entry.actor for entry in audited if entry.action == "console_sign_out"] == ["root"]
