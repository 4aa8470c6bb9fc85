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
