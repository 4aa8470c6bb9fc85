"""``/metrics`` scraped from the outside: latency by route, charges and free accesses, payments
by gateway and status, webhook answers, the ledger check — summed over ``serve --workers``."""

from __future__ import annotations

import json
import re
import struct
import subprocess
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tornado.httpclient
import tornado.netutil

from application.hamyon import Hamyon
from application.payments import CreatePayment
from entrypoints.http.metrics import Metrics
from entrypoints.server import running
from entrypoints.settings import Settings
from tests.cli.seeding import seed
from tests.ops.harness import COMMAND, ServerProcess, call, clean_env, free_port

JWT_SECRET = "jwt-secret-for-the-metrics-test-0123456789"


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in a Prometheus text exposition, or None when absent."""
    for line in text.splitlines():
        found = re.fullmatch(rf"{name}(?:\{{(.*)\}})? (\S+)", line)
        if found and dict(re.findall(r'(\w+)="([^"]*)"', found.group(1) or "")) == labels:
            return float(found.group(2))
    return None


async def _fund(hamyon: Hamyon) -> None:
    await hamyon.wallets.adjust("fred", Decimal(90_000), "UZS", "funding", actor="root")


def test_request_latency_by_route_and_charges_are_exposed(tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(tmp_path, HAMYON_PORT=str(port), HAMYON_JWT_SECRET=JWT_SECRET)
    seed(env, _fund)
    from entrypoints.http.auth import TokenIssuer

    token, url = TokenIssuer(JWT_SECRET).issue("fred"), f"http://127.0.0.1:{port}"
    with ServerProcess("serve", "--no-jobs", env=env, cwd=tmp_path) as server:
        server.wait_ready(url)
        answers = [call(f"{url}/api/payments/billing/charge/", method="POST", token=token,
                        body={"service_type": "doctor_view", "related_object_id": doctor})
                   for doctor in ("1", "2", "3", "4", "5", "6")]  # the free views, then paid ones
        status, text = call(f"{url}/metrics")
    assert status == 200
    route = {"method": "POST", "route": "/api/payments/billing/charge/"}
    charged = sum(json.loads(body)["charged"] for _, body in answers)
    assert 0 < charged < 6
    assert sample(text, "hamyon_http_request_seconds_count", **route) == 6
    assert sample(text, "hamyon_http_request_seconds_bucket", **route, le="+Inf") == 6
    assert sample(text, "hamyon_http_requests_total", **route, status="200") == 6
    assert sample(text, "hamyon_charges_total", service_type="doctor_view", outcome="free") == 6 - charged
    assert sample(text, "hamyon_charges_total", service_type="doctor_view", outcome="charged") == charged


async def test_completed_payments_are_counted_by_gateway_and_status(tmp_path: Path) -> None:
    [sock] = sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    port = sock.getsockname()[1]
    settings = Settings(database_url="memory://", port=port, jwt_secret=JWT_SECRET)
    client = tornado.httpclient.AsyncHTTPClient(force_instance=True)
    async with running(settings, sockets, jobs=False) as service:
        created = await service.hamyon.payments.create(CreatePayment("gina", "sandbox", Decimal(20_000)))
        await service.hamyon.settlement.complete_attempt("sandbox", created.payment.external_id)
        text = (await client.fetch(f"http://127.0.0.1:{port}/metrics")).body.decode()
    client.close()
    assert sample(text, "hamyon_payments_total", gateway="sandbox", status="completed") == 1


def test_webhook_outcomes_are_counted_by_gateway_and_code() -> None:
    metrics = Metrics()
    metrics.webhook("click", 0)
    metrics.webhook("click", -1)
    metrics.webhook("click", -1)
    text = metrics.exposition()[0].decode()
    assert sample(text, "hamyon_webhooks_total", gateway="click", code="-1") == 2
    assert sample(text, "hamyon_webhooks_total", gateway="click", code="0") == 1


def test_several_workers_expose_the_sum_and_the_verify_command_publishes_its_result(tmp_path: Path) -> None:
    port, shared = free_port(), tmp_path / "metrics"
    env = clean_env(tmp_path, HAMYON_PORT=str(port), PROMETHEUS_MULTIPROC_DIR=str(shared))
    url = f"http://127.0.0.1:{port}"
    def writers() -> set[str]:
        return {path.stem.rsplit("_", 1)[-1] for path in shared.glob("*.db")}

    with ServerProcess("serve", "--workers", "2", "--no-jobs", env=env, cwd=tmp_path) as server:
        server.wait_ready(url)
        sent = 0
        with ThreadPoolExecutor(8) as clients:  # until both processes have answered some
            while len(writers()) < 2 or sent < 20:
                assert sent < 2000, "one process answered every request"
                list(clients.map(lambda _: call(f"{url}/readyz"), range(8)))
                sent += 8
        verified = subprocess.run([*COMMAND, "verify"], env=env, cwd=tmp_path, capture_output=True,
                                  text=True, timeout=60, check=False)
        scrapes = [call(f"{url}/metrics")[1] for _ in range(4)]
    assert verified.returncode == 0, verified.stderr
    assert len(writers()) >= 3  # both server processes, then the verify command
    for text in scrapes:  # whichever process answers, it answers for all of them
        assert sample(text, "hamyon_http_requests_total", method="GET", route="/readyz", status="200") == sent
        assert sample(text, "hamyon_ledger_ok") == 1
        assert (sample(text, "hamyon_ledger_verified_timestamp_seconds") or 0) > 1_600_000_000


def test_a_metrics_directory_serve_made_for_its_workers_is_gone_after_it_stops(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    port = free_port()
    env = clean_env(tmp_path, HAMYON_PORT=str(port), TMPDIR=str(scratch))  # no PROMETHEUS_MULTIPROC_DIR
    with ServerProcess("serve", "--workers", "2", "--no-jobs", env=env, cwd=tmp_path) as server:
        server.wait_ready(f"http://127.0.0.1:{port}")
        assert [path.name for path in scratch.glob("hamyon-metrics-*")] != []
        returncode = server.stop()
    assert returncode == 0
    assert list(scratch.glob("hamyon-metrics-*")) == []


def test_a_scrape_while_a_process_is_creating_its_metrics_file_still_answers(tmp_path: Path) -> None:
    from prometheus_client import generate_latest
    from prometheus_client.mmap_dict import MmapedDict
    from prometheus_client.multiprocess import MultiProcessCollector

    from entrypoints.http.metrics import StartedFilesCollector

    written = MmapedDict(str(tmp_path / "counter_101.db"))
    key = ["hamyon_job_runs", "hamyon_job_runs_total", {"job": "x", "outcome": "ran"}, "Background job runs"]
    written.write_value(json.dumps(key), 3.0, 0.0)
    written.close()
    (tmp_path / "counter_102.db").write_bytes(b"")  # another process between open() and its header
    with pytest.raises(struct.error):  # what prometheus-client itself does with it
        generate_latest(registry_with(MultiProcessCollector, tmp_path))
    text = generate_latest(registry_with(StartedFilesCollector, tmp_path)).decode()
    assert sample(text, "hamyon_job_runs_total", job="x", outcome="ran") == 3


def registry_with(collector: type, folder: Path) -> Any:
    from prometheus_client import CollectorRegistry

    registry = CollectorRegistry()
    collector(registry, str(folder))
    return registry
