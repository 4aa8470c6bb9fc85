"""Prometheus metrics, in a registry of the application's own (no global state).

What is measured: request latency by route pattern, payments by gateway and status, charges and
free accesses by service, webhook outcomes by gateway and answer code, background job runs, and
the last ledger verification. Business counts come from the application's events (``record_event``
subscribes to ``adapters.events.StructlogEvents``), so a fact is counted where it is logged.

Several ``serve`` processes share one port; each would expose only its own counts. With
``enable_multiprocess(directory)`` called before forking, every process writes its values to
files in that directory and ``/metrics`` on any of them answers the sum (prometheus-client's
multiprocess mode).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
    values,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)


class StartedFilesCollector(multiprocess.MultiProcessCollector):
    """The processes' values, from the files they have begun: a process that has just created
    its file has not written its header yet (fewer than 8 bytes), and prometheus-client would
    fail reading it, turning a scrape into a 500. Such a file holds no value yet."""

    def collect(self) -> Any:
        return self.merge([path for path in glob.glob(os.path.join(self._path, "*.db"))
                           if _size(path) >= 8], accumulate=True)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except FileNotFoundError:  # gone meanwhile: nothing to read
        return 0


def enable_multiprocess(directory: str | Path) -> None:
    """Switch this process (and the processes it forks) to file-backed metric values in
    ``directory``, emptied first: stale files of an earlier run would be summed in."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROC_ENV] = str(folder)
    # prometheus-client picks its value class at import; metrics built from now on use files.
    values.ValueClass = values.MultiProcessValue()


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._multiprocess_dir = os.environ.get(MULTIPROC_ENV) or None
        self._per_request: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self._per_charge: dict[tuple[str, bool], Any] = {}
        r = self.registry
        self._requests = Counter("hamyon_http_requests_total", "HTTP requests answered",
                                 ("method", "route", "status"), registry=r)
        self._latency = Histogram("hamyon_http_request_seconds", "Time to answer a request",
                                  ("method", "route"), registry=r, buckets=LATENCY_BUCKETS)
        self._payments = Counter("hamyon_payments_total", "Payments reaching a status",
                                 ("gateway", "status"), registry=r)
        self._charges = Counter("hamyon_charges_total", "Service accesses, charged or free",
                                ("service_type", "outcome"), registry=r)
        self._webhooks = Counter("hamyon_webhooks_total", "Gateway webhook answers",
                                 ("gateway", "code"), registry=r)
        self._jobs = Counter("hamyon_job_runs_total", "Background job runs",
                             ("job", "outcome"), registry=r)
        self._deliveries = Counter("hamyon_webhook_deliveries_total",
                                   "Event deliveries to the platform's webhook endpoints",
                                   ("outcome",), registry=r)
        self._backlog = Gauge("hamyon_webhook_oldest_undelivered_seconds",
                              "Age of the oldest event still waiting for an endpoint",
                              registry=r, multiprocess_mode="mostrecent")
        self._ledger_ok = Gauge("hamyon_ledger_ok", "1 when the last ledger verification passed",
                                registry=r, multiprocess_mode="mostrecent")
        self._ledger_violations = Gauge("hamyon_ledger_violations",
                                        "Violations found by the last ledger verification",
                                        registry=r, multiprocess_mode="mostrecent")
        if self._multiprocess_dir is None:
            self._ledger_ok.set(float("nan"))  # unknown until the first verification
        self._ledger_time = Gauge("hamyon_ledger_verified_timestamp_seconds",
                                  "When the ledger was last verified (Unix time)",
                                  registry=r, multiprocess_mode="max")

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        counted = self._per_request.get((method, route, status))
        if counted is None:  # the children prometheus keeps anyway, found without its lock
            counted = self._per_request[method, route, status] = (
                self._requests.labels(method, route, str(status)), self._latency.labels(method, route))
        counted[0].inc()
        counted[1].observe(seconds)

    def webhook(self, gateway: str, code: object) -> None:
        """Count one webhook answer: ``code`` is the gateway protocol's answer code (Click's
        ``error``, Payme's JSON-RPC error code, 0 for success)."""
        self._webhooks.labels(gateway, str(code)).inc()

    def payment(self, gateway: str, status: str) -> None:
        self._payments.labels(gateway or "unknown", status).inc()

    def charge(self, service_type: str, charged: bool) -> None:
        counted = self._per_charge.get((service_type, charged))
        if counted is None:  # as observe: the child found once, then without prometheus's lock
            counted = self._per_charge[service_type, charged] = self._charges.labels(
                service_type, "charged" if charged else "free")
        counted.inc()

    def job(self, name: str, outcome: str) -> None:
        self._jobs.labels(name, outcome).inc()

    def webhook_delivery(self, outcome: str) -> None:
        """One delivery attempt's outcome: delivered, retrying or failed (given up)."""
        self._deliveries.labels(outcome).inc()

    def webhook_backlog(self, seconds: float) -> None:
        self._backlog.set(seconds)

    def ledger_verified(self, ok: bool, violations: int, at: float) -> None:
        self._ledger_ok.set(1 if ok else 0)
        self._ledger_violations.set(violations)
        self._ledger_time.set(at)

    def record_event(self, event: str, fields: Mapping[str, object]) -> None:
        """Count a business event of the application (an ``EventLog`` subscriber)."""
        if event in ("service_charged", "service_free"):
            self.charge(str(fields.get("service_type", "unknown")), event == "service_charged")
        elif event.startswith("payment_"):
            self.payment(str(fields.get("gateway") or "unknown"), event.removeprefix("payment_"))

    def exposition(self) -> tuple[bytes, str]:
        return generate_latest(self.collecting_registry()), CONTENT_TYPE_LATEST

    def serve(self, port: int, host: str = "127.0.0.1") -> None:
        """Expose these metrics on their own port (``hamyon worker --metrics-port``)."""
        start_http_server(port, host, registry=self.collecting_registry())

    def collecting_registry(self) -> Any:
        if self._multiprocess_dir is None:
            return self.registry
        merged = CollectorRegistry()
        StartedFilesCollector(merged, self._multiprocess_dir)
        return merged
