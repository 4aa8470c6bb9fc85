"""A newcomer's first requests (SPEC §17, issue 15): ``/`` leads to the docs, a path typed
without its trailing slash is redirected to it, and an admin write with a misspelt field is
refused naming it instead of passing for a change that was made."""

from __future__ import annotations


async def fetch(server, method: str, path: str):
    return await server.client.fetch(server.url + path, method=method, follow_redirects=False,
                                     raise_error=False, body=b"{}" if method == "POST" else None)


async def test_the_root_leads_to_the_docs_and_a_path_without_its_slash_is_redirected(api):
    async with api() as server:
        root = await fetch(server, "GET", "/")
        bare = await fetch(server, "GET", "/api/payments/wallet/balance?currency=UZS")
        param = await fetch(server, "GET", "/api/admin/wallets/alice")
        post = await fetch(server, "POST", "/api/payments/billing/charge")
        unknown = await fetch(server, "GET", "/api/nothing/here")
        followed = await server.call("GET", "/", user=None)
    assert (root.code, root.headers["Location"]) == (308, "/docs")
    assert (bare.code, bare.headers["Location"]) == (308, "/api/payments/wallet/balance/?currency=UZS")
    assert (param.code, param.headers["Location"]) == (308, "/api/admin/wallets/alice/")
    assert post.code == 404 and unknown.code == 404  # a POST is not redirected (its body would be lost)
    assert followed.status == 200 and "text/html" in followed.headers["Content-Type"]


async def test_admin_writes_refuse_unknown_fields_naming_them_and_change_nothing(api):
    async with api() as server:
        before = (await server.call("GET", "/api/admin/billing/settings/", user="root", admin=True)).json
        refused = await server.call("PATCH", "/api/admin/billing/settings/", user="root", admin=True,
                                    json_body={"maintenance_mode": True, "maintainance": True})
        after = (await server.call("GET", "/api/admin/billing/settings/", user="root", admin=True)).json
        public = await server.post("/api/payments/estimate/", {"gateway": "click", "amount": 50000,
                                                               "extra": 1})
    assert (refused.status, refused.json["field"], refused.json["unknown_fields"]) == (
        400, "maintainance", ["maintainance"])
    assert after == before
    assert public.status == 200  # public endpoints keep ignoring unknown fields


async def test_error_texts_follow_accept_language_and_stay_english_without_it(api):
    async with api() as server:
        charge = {"service_type": "consultation"}
        plain = await server.post("/api/payments/billing/charge/", charge)
        answers = {language: (await server.post("/api/payments/billing/charge/", charge, headers={
            "Accept-Language": language})).json["error"] for language in ("ru", "uz", "fa", "en")}
        missing = await server.get("/api/payments/00000000-0000-0000-0000-000000000000/status/",
                                   headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert plain.json["error"] == "Insufficient balance" and plain.json["code"] == "insufficient_balance"
    assert answers == {"ru": "Недостаточно средств", "uz": "Mablag' yetarli emas",
                       "fa": "موجودی کافی نیست", "en": "Insufficient balance"}
    assert (missing.status, missing.json["error"], missing.json["code"]) == (
        404, "Платёж не найден", "payment_not_found")
