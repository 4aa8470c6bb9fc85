"""How many of the project's files one request crosses: a paid charge and a Click Complete, per
storage backend. A measure of how far a reader must follow one request, not of speed.

    python bench/crossing.py [--postgres-url URL] [--list]

The service runs in this process (the real HTTP server on a loopback port, the real storage);
while one request is answered, a profile hook notes every function entered in a file of
domain/, ports/, application/, adapters/ or entrypoints/ (the client's and the test's own code
are not counted, nor the standard library or other packages).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import sys
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import tornado.httpclient
import tornado.httpserver
import tornado.testing

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("domain", "ports", "application", "adapters", "entrypoints")
CLICK = {"HAMYON_CLICK_SERVICE_ID": "30001", "HAMYON_CLICK_MERCHANT_ID": "40001",
         "HAMYON_CLICK_SECRET_KEY": "crossing-click-secret"}


def crossed_files(run: Callable[[], Awaitable[Any]], loop: asyncio.AbstractEventLoop) -> set[str]:
    """The project files whose functions run while ``run()`` is awaited."""
    seen: set[str] = set()

    def note(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            name = frame.f_code.co_filename
            if name.startswith(str(ROOT)):
                relative = os.path.relpath(name, ROOT)
                if relative.split(os.sep)[0] in LAYERS:
                    seen.add(relative)

    sys.setprofile(note)
    try:
        loop.run_until_complete(run())
    finally:
        sys.setprofile(None)
    return seen


def click_sign(form: dict[str, str], signed: tuple[str, ...]) -> str:
    text = form["click_trans_id"] + form["service_id"] + CLICK["HAMYON_CLICK_SECRET_KEY"] + "".join(
        form[name] for name in signed)
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


async def start(database_url: str, storage: Any = None) -> tuple[Any, Any, str]:
    from entrypoints.bootstrap import bootstrap
    from entrypoints.http import HttpConfig, make_app
    from entrypoints.runtime import gateway_adapters, inbound_protocols
    from entrypoints.settings import load_settings

    settings = load_settings({"HAMYON_DATABASE_URL": database_url, **CLICK}, dotenv=Path("/none"))
    adapters = gateway_adapters(settings)
    options: dict[str, Any] = {"storage": storage} if storage is not None else {}
    hamyon = await bootstrap(database_url, gateways=adapters, retry=None,
                             active_gateways={a.name for a in adapters}, **options)
    app = make_app(hamyon, HttpConfig(jwt_secret=settings.jwt_secret),
                   inbound=inbound_protocols(settings, hamyon))
    sock, port = tornado.testing.bind_unused_port()
    server = tornado.httpserver.HTTPServer(app)
    server.add_socket(sock)
    return hamyon, server, f"http://127.0.0.1:{port}"


def measure(database_url: str, storage_opener: Callable[[], Awaitable[Any]] | None,
            show: bool) -> dict[str, int]:
    from application.payments import CreatePayment
    from entrypoints.http import TokenIssuer
    from entrypoints.settings import DEV_JWT_SECRET

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    storage = loop.run_until_complete(storage_opener()) if storage_opener else None
    hamyon, server, url = loop.run_until_complete(start(database_url, storage))
    client = tornado.httpclient.AsyncHTTPClient(force_instance=True)
    token = TokenIssuer(DEV_JWT_SECRET).issue("alice")
    charge_body = b'{"service_type": "consultation"}'
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    async def charge() -> None:
        answer = await client.fetch(f"{url}/api/payments/billing/charge/", method="POST",
                                    body=charge_body, headers=headers)
        assert b'"charged":true' in answer.body, answer.body

    async def click(step: str, form: dict[str, str]) -> Any:
        answer = await client.fetch(f"{url}/api/payments/click/{step}/", method="POST",
                                    body=urlencode(form), raise_error=False)
        assert b'"error":0' in answer.body, answer.body
        return tornado.escape.json_decode(answer.body)

    loop.run_until_complete(hamyon.wallets.adjust("alice", Decimal(1_000_000), "UZS",
                                        "crossing funds", actor="root"))
    loop.run_until_complete(charge())  # warm: first-time imports and caches are not the path
    results = {"charge": crossed_files(charge, loop)}
    for attempt in range(2):  # the first Complete warms; the second is measured
        created = loop.run_until_complete(hamyon.payments.create(CreatePayment(
            "alice", "click", Decimal(20000))))
        payment = created.payment
        base = {"click_trans_id": str(7000 + attempt), "service_id": CLICK["HAMYON_CLICK_SERVICE_ID"],
                "click_paydoc_id": str(9000 + attempt), "merchant_trans_id": str(payment.id),
                "amount": str(payment.total_amount.amount), "error": "0",
                "sign_time": "2026-01-15 12:00:00"}
        prepare = {**base, "action": "0"}
        prepare["sign_string"] = click_sign(prepare, ("merchant_trans_id", "amount", "action",
                                                      "sign_time"))
        prepared = loop.run_until_complete(click("prepare", prepare))
        complete = {**base, "action": "1", "merchant_prepare_id": str(prepared["merchant_prepare_id"])}
        complete["sign_string"] = click_sign(complete, ("merchant_trans_id", "merchant_prepare_id",
                                                        "amount", "action", "sign_time"))
        files = crossed_files(lambda form=complete: click("complete", form), loop)
    results["click_complete"] = files
    client.close()
    server.stop()
    loop.run_until_complete(hamyon.close())
    if show:
        for name, found in results.items():
            print(f"--- {name} ({len(found)} files)")
            print("\n".join(sorted(found)))
    return {name: len(found) for name, found in results.items()}



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default=os.environ.get("HAMYON_TEST_POSTGRES_URL", ""))
    parser.add_argument("--list", action="store_true", help="print the files crossed")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="hamyon-crossing-")
    rows = {"SQLite": measure(f"sqlite:///{folder}/crossing.db", None, args.list)}
    if args.postgres_url:
        from adapters.postgres import open_postgres

        schema = f"crossing_{uuid.uuid4().hex[:12]}"
        rows["Postgres"] = measure(args.postgres_url, lambda: open_postgres(
            args.postgres_url, schema=schema, migrate=True, min_size=1, max_size=4), args.list)
    print(f"{'backend':<10} {'paid charge':>12} {'Click Complete':>15}")
    for backend, counts in rows.items():
        print(f"{backend:<10} {counts['charge']:>12} {counts['click_complete']:>15}")


if __name__ == "__main__":
    main()
