"""HTTP benchmark: paid charges per second through the real server, next to a bare Tornado baseline.

    python bench/http_charges.py [--requests N] [--rounds R] [--concurrency 32] [--postgres-url URL]
                                 [--holds] [--hot] [--webhook]

Three servers, each a subprocess on a free loopback port: the baseline (a bare Tornado handler
that parses the charge body with the edge's Decimal JSON and answers the charge's shape: no auth,
no storage), and ``hamyon serve --no-jobs`` (one process, its real request path; the periodic jobs
are a worker's) on a fresh SQLite file
(synchronous FULL, the default) and on a fresh Postgres database, all on the same event loop. All
are started first, then loaded one at a time, in turn, in each of ``--rounds`` rounds: each ratio is
taken against the baseline's run of its own round and the table shows medians, so that a machine
whose speed drifts over a minute does not tilt the ratio; after each Postgres run the database
server checkpoints and vacuums, so that its deferred work does not land in the next server's run.
The same load generator
(``bench/loadgen.py``, a process of its own) drives each with ``--concurrency`` keep-alive
connections, one user per connection, ``POST /api/payments/billing/charge/`` for an always-paid
service without an Idempotency-Key; wallets are funded beforehand through the admin adjust API.
Once the servers are stopped, ``hamyon verify`` must exit 0 on each database, and its charge
transfers must equal the 200 answers. Beside each server's own CPU per answer, the table shows the
PostgreSQL server's and the whole machine's (Linux ``/proc``), and the ratio that the machine's CPU
per answer would allow with every CPU busy: on a small machine the database server, the load
generator and Hamyon share the same cores. Not a test: the target ratio is printed, never asserted.

With ``--holds``, each backend is also loaded, right after its charges in the same round, with
hold cycles (SPEC §13): ``POST /api/payments/billing/holds/`` for the same service, then ``POST
…/holds/<id>/capture/`` of all of it; its line shows holds created and captured per second (two
requests each), and its ratio is taken against the same round's baseline. Its captures are charge
transfers too, so the ledger's charges must equal the paid charges plus the captured holds.
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import attrs

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PATH = "/api/payments/billing/charge/"
SERVICE, PRICE = "ai_diagnosis", 10_000  # UZS, no volume discount: every charge is paid
BODY = json.dumps({"service_type": SERVICE, "quantity": 1})
HOLDS_PATH = "/api/payments/billing/holds/"
HOLD_CYCLE = {"path": HOLDS_PATH, "body": json.dumps({"service_type": SERVICE}),
              "then": HOLDS_PATH + "{id}/capture/", "then_body": "{}"}
TARGET = 0.4  # spread charges against the bare handler (issue 17; the first target was 0.25)
HOT_TARGET = 0.8  # a hot wallet against the same backend's spread charges, round by round


# --- the processes -----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def request(port: int, method: str, path: str, token: str = "", body: Any = None) -> tuple[int, Any]:
    """One JSON request to the loopback server (never through a proxy)."""
    import urllib.error
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    data = None if body is None else json.dumps(body).encode()
    call = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                  headers={"Content-Type": "application/json",
                                           **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with opener.open(call, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as failed:
        return failed.code, failed.read().decode("utf-8", "replace")


@contextlib.contextmanager
def receiving(make: Any) -> Iterator[Any]:
    receiver = make()
    try:
        yield receiver
    finally:
        receiver.close()


@contextlib.contextmanager
def serving(command: list[str], env: dict[str, str], port: int,
            log_path: str) -> Iterator[subprocess.Popen[bytes]]:
    """A server subprocess, ready (``/healthz`` answers 200) on entry, stopped on exit."""
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[1:4]} did not start; its log:\n{tail(log_path)}")
            time.sleep(0.1)
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def profiled(pid: int, args: argparse.Namespace, label: str) -> Iterator[None]:
    """With ``--py-spy``: the server's stacks sampled while inside, as collapsed stacks."""
    if not args.py_spy:
        yield
        return
    output = os.path.join(os.path.abspath(args.profile_dir), f"{label}.txt")
    spy = subprocess.Popen([args.py_spy, "record", "--pid", str(pid), "--format", "raw", "--rate", "200",
                            "--output", output], stdout=subprocess.DEVNULL)
    time.sleep(1)  # attached before the load starts
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)  # py-spy writes its file on an interrupt
        try:
            spy.wait(timeout=30)
        except subprocess.TimeoutExpired:
            spy.kill()
            spy.wait()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads (Linux /proc; 0 elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds() -> float:
    """User + system CPU time of the machine's PostgreSQL server: every ``postgres`` process,
    with what its exited children used (a backend that ended, autovacuum's workers); 0 without
    one (Linux /proc)."""
    total = 0
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                name, _, rest = stat.read().partition(" (")[2].rpartition(")")
        except OSError:
            continue  # ended meanwhile
        if name == "postgres":
            fields = rest.split()
            total += sum(int(field) for field in fields[11:15])  # utime stime cutime cstime
    return total / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float:
    """CPU time the whole machine spent busy (every process, the kernel's own work), all CPUs
    together (Linux /proc/stat; 0 elsewhere)."""
    try:
        with open("/proc/stat") as stat:
            user, nice, system, _idle, _iowait, irq, softirq, steal = (
                int(field) for field in stat.readline().split()[1:9])
    except (OSError, ValueError):
        return 0.0
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc; 0 elsewhere)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tail(path: str, lines: int = 30) -> str:
    with open(path, encoding="utf-8", errors="replace") as log:
        return "".join(log.readlines()[-lines:])


def quotas(total: int, connections: int) -> list[int]:
    return [total // connections + (n < total % connections) for n in range(connections)]


def load(server: subprocess.Popen[bytes], port: int, tokens: list[str],
         args: argparse.Namespace, requests: dict[str, str] | None = None) -> dict[str, Any]:
    """Drive ``server`` (at ``port``) from the load generator's process with paid charges (or
    ``requests``: the hold cycle); the figures, with the server's CPU time over the whole run
    (warm-up included)."""
    cpu, database, machine = cpu_seconds(server.pid), database_cpu_seconds(), machine_cpu_seconds()
    spec = {"port": port, "path": PATH, "body": BODY, **(requests or {}), "tokens": tokens,
            "warmup": args.warmup, "quotas": quotas(args.requests, len(tokens)),
            "deadline_seconds": args.max_seconds}
    done = subprocess.run([sys.executable, os.path.join(HERE, "loadgen.py")], cwd=ROOT,
                          input=json.dumps(spec), capture_output=True, text=True,
                          timeout=args.max_seconds + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the load generator failed:\n{done.stderr[-2000:]}")
    figures = dict(json.loads(done.stdout.splitlines()[-1]))
    answered = max(1, figures["requests"] + figures["warmup_requests"])
    return {**figures, "server_cpu_us": (cpu_seconds(server.pid) - cpu) / answered * 1e6,
            "database_cpu_us": (database_cpu_seconds() - database) / answered * 1e6,
            "machine_cpu_us": (machine_cpu_seconds() - machine) / answered * 1e6,
            "rss_mb": rss_mb(server.pid)}


# --- the baseline server -----------------------------------------------------------------------

def serve_baseline(port: int) -> None:
    """The bare handler: the charge body parsed as the edge parses it (every number a Decimal),
    the paid charge's answer written by the edge's encoder; no auth, no use case, no storage; on
    the same event loop as ``hamyon serve`` (uvloop where installed)."""
    import asyncio
    import uuid
    from decimal import Decimal

    import tornado.web

    from entrypoints.http.jsonio import encode, parse_json_object

    class Charge(tornado.web.RequestHandler):
        def post(self) -> None:
            body = parse_json_object(self.request.body)
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(encode({
                "success": True, "charged": True, "service_type": body.get("service_type"),
                "quantity": body.get("quantity", 1), "transaction_id": uuid.uuid4(),
                "amount_charged": Decimal("10000.00"), "balance_after": Decimal("990000.00"),
                "description": "AI tashxis"}))

    class Health(tornado.web.RequestHandler):
        def get(self) -> None:
            self.finish({"status": "ok"})

    async def main() -> None:
        app = tornado.web.Application([(PATH, Charge), ("/healthz", Health)], log_function=lambda h: None)
        app.listen(port, "127.0.0.1")
        await asyncio.Event().wait()  # until SIGTERM

    from entrypoints.server import run

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    run(main())  # on the event loop `hamyon serve` runs on


@attrs.define
class Target:
    """A server under load: what the load generator needs, and what its checks found."""

    label: str
    server: subprocess.Popen[bytes]
    port: int
    tokens: list[str]
    settle: Any = None  # what to run after each of its runs, outside the measurement
    rounds: list[dict[str, Any]] = attrs.Factory(list)
    hold_rounds: list[dict[str, Any]] = attrs.Factory(list)  # with --holds: the hold cycles' runs
    verified: dict[str, Any] = attrs.Factory(dict)  # `hamyon verify`'s exit and output
    charges: int | None = None  # charge transfers in its ledger, counted after it stopped
    receiver: Any = None  # with --webhook: the platform receiving its charge.succeeded events
    lag: dict[str, Any] = attrs.Factory(dict)  # the events' delivery lag, measured after the runs
    worker_env: dict[str, str] = attrs.Factory(dict)
    worker_log: str = ""


@contextlib.contextmanager
def started_baseline(args: argparse.Namespace, scratch: str, wrap: tuple[str, ...] = ()) -> Iterator[Target]:
    """The bare handler's server; ``wrap`` goes before its script (a profiler, say)."""
    port = free_port()
    command = [sys.executable, *wrap, os.path.abspath(__file__), "--serve-baseline", str(port)]
    with serving(command, dict(os.environ), port, os.path.join(scratch, "baseline.log")) as server:
        yield Target("baseline", server, port, ["baseline"] * args.concurrency)


# --- Hamyon, on a fresh database ---------------------------------------------------------------

@contextlib.contextmanager
def hooked(target: Target, env: dict[str, str], admin: str, scratch: str) -> Iterator[None]:
    """With the target's receiver: its endpoint; the worker that delivers to it runs only while
    the target is loaded (``delivering``); on the way out the lag over all runs is measured."""
    if target.receiver is None:
        yield
        return
    status, answer = request(target.port, "POST", "/api/admin/webhooks/", admin,
                             {"url": target.receiver.url, "events": ["charge.succeeded"]})
    if status != 201:
        raise RuntimeError(f"the webhook endpoint was refused: {status} {answer}")
    target.worker_env, target.worker_log = env, os.path.join(scratch, f"{target.label}-worker.log")
    yield
    from receiver import lag_ms

    target.lag = {**lag_ms(target.receiver, env["HAMYON_DATABASE_URL"]),
                  "expected": sum(figures["charged"] for figures in target.rounds),
                  "arrived": len(target.receiver.arrived)}


@contextlib.contextmanager
def delivering(target: Target) -> Iterator[None]:
    """While a hooked target is loaded, a ``hamyon worker`` (the jobs, where production runs
    them) delivers its events; after the run, until every charge answered so far has arrived (so
    that no delivery lands in another server's run)."""
    if target.receiver is None:
        yield
        return
    with open(target.worker_log, "ab") as log:
        worker = subprocess.Popen([sys.executable, "-m", "entrypoints.cli", "worker"], cwd=ROOT,
                                  env=target.worker_env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield
        target.receiver.wait_for(sum(figures["charged"] for figures in target.rounds), 300)
    finally:
        stop(worker)


def hamyon_env(database_url: str, port: int, jwt_secret: str) -> dict[str, str]:
    """The caller's environment without any Hamyon or gateway setting, plus the run's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HAMYON_", "PAYMENT_"))}
    return {**env, "HAMYON_DATABASE_URL": database_url, "HAMYON_HOST": "127.0.0.1",
            "HAMYON_PORT": str(port), "HAMYON_JWT_SECRET": jwt_secret,
            "HAMYON_SECRET_KEY": secrets.token_hex(32), "HAMYON_AUTO_MIGRATE": "1"}


@contextlib.contextmanager
def started_hamyon(label: str, fresh: Any, args: argparse.Namespace, scratch: str,
                   receiver: Any = None, hot: bool = False, wrap: tuple[str, ...] = ()) -> Iterator[Target]:
    """``hamyon serve`` on a fresh database, its users' wallets funded for every round; after it
    stopped, ``hamyon verify`` and the count of charge transfers are kept on the target. With a
    ``receiver``, an endpoint subscribed to ``charge.succeeded`` points at it and a ``hamyon
    worker`` (the jobs, where production runs them) delivers the events; once the runs are over,
    every charge's event must arrive, and the delivery lag is kept."""
    from entrypoints.http.auth import TokenIssuer

    port, jwt_secret = free_port(), secrets.token_hex(32)
    issuer = TokenIssuer(jwt_secret)
    # Hot: every connection charges one shared wallet (a clinic's, a platform's own account).
    users = ["bench-http-hot"] * args.concurrency if hot else \
        [f"bench-http-{n}" for n in range(args.concurrency)]
    per_user = (max(quotas(args.requests, len(users))) + args.warmup) * args.rounds
    per_user *= 2 if args.holds else 1  # a hold cycle captures one price, as a charge pays one
    # The periodic jobs belong to a `hamyon worker` here: the hourly ledger verification's first
    # run, 45 s after start, would otherwise land in one round's measurement and not another's.
    command = [sys.executable, *wrap, "-m", "entrypoints.cli", "serve", "--no-jobs"]
    with fresh() as (database_url, charges, settle):
        env = hamyon_env(database_url, port, jwt_secret)
        with serving(command, env, port, os.path.join(scratch, f"{label}.log")) as server:
            admin = issuer.issue("bench-admin", admin=True)
            for user in users:  # admin adjustments are not capped by max_wallet_balance
                status, answer = request(port, "POST", f"/api/admin/wallets/{user}/adjust/", admin,
                                         {"amount": str(PRICE * per_user * 2), "reason": "benchmark funding"})
                if status != 200:
                    raise RuntimeError(f"funding {user} failed: {status} {answer}")
            tokens = [issuer.issue(user, ttl_seconds=args.max_seconds * args.rounds * 4 + 3600)
                      for user in users]
            target = Target(label, server, port, tokens, settle, receiver=receiver)
            with hooked(target, env, admin, scratch):
                yield target
        if database_url.startswith("memory:"):  # gone with the server: nothing left to verify
            return
        verified = subprocess.run([sys.executable, "-m", "entrypoints.cli", "verify"], cwd=ROOT, env=env,
                                  capture_output=True, text=True, timeout=600, check=False)
        target.verified = {"exit": verified.returncode, "output": verified.stdout.strip()}
        target.charges = charges()


@contextlib.contextmanager
def fresh_memory() -> Iterator[tuple[str, Any, Any]]:
    """No storage to speak of: what the HTTP edge and the use case cost alone."""
    yield "memory://", lambda: None, lambda: None


@contextlib.contextmanager
def fresh_sqlite(scratch: str) -> Iterator[tuple[str, Any, Any]]:
    path = os.path.join(tempfile.mkdtemp(dir=scratch), "hamyon.db")  # a new file in each round

    def charges() -> int:
        import sqlite3

        with contextlib.closing(sqlite3.connect(path)) as db:
            return int(db.execute("SELECT count(*) FROM transfers WHERE kind = 'charge'").fetchone()[0])

    yield f"sqlite:///{path}", charges, lambda: None  # SQLite checkpoints inside the server's commits


@contextlib.contextmanager
def fresh_postgres(url: str) -> Iterator[tuple[str, Any, Any]]:
    """A new database ``bench_<hex>`` on the server of ``url``, dropped on exit."""
    import asyncio

    import asyncpg

    name = f"bench_{secrets.token_hex(6)}"
    bench_url = urlsplit(url)._replace(path=f"/{name}").geturl()

    async def on_server(sql: str, dsn: str = url) -> Any:
        connection = await asyncpg.connect(dsn)
        try:
            return await connection.fetchval(sql)
        finally:
            await connection.close()

    asyncio.run(on_server(f'CREATE DATABASE "{name}"'))
    try:
        def settle() -> None:
            """The database server's deferred work (a checkpoint, autovacuum of what the run wrote)
            done now, between runs, rather than in the next server's run."""
            asyncio.run(on_server("VACUUM (ANALYZE)", bench_url))
            asyncio.run(on_server("CHECKPOINT", bench_url))
            os.sync()  # the checkpoint's writes reach the disk now, not during SQLite's fsyncs

        yield bench_url, lambda: int(asyncio.run(on_server(
            "SELECT count(*) FROM transfers WHERE kind = 'charge'", bench_url))), settle
    finally:
        asyncio.run(on_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def postgres_unreachable(url: str) -> str:
    """Why the Postgres server of ``url`` cannot be used ('' when it can)."""
    import asyncio

    import asyncpg

    async def probe() -> None:
        await (await asyncpg.connect(url, timeout=10)).close()

    try:
        asyncio.run(probe())
    except (TimeoutError, OSError, asyncpg.PostgresError) as failed:
        return f"{type(failed).__name__}: {failed}"
    return ""


# --- the table ---------------------------------------------------------------------------------

def rps(figures: dict[str, Any]) -> float:
    return float(figures["requests"] / figures["wall"]) if figures["wall"] else 0.0


def checks(target: Target) -> str:
    """What the runs proved besides speed: the answers, the ledger, charges = 200 answers (paid
    charges and captured holds)."""
    statuses: dict[str, int] = {}
    runs = target.rounds + target.hold_rounds
    for figures in runs:
        for status, count in figures["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    notes = [] if statuses.keys() <= {"200"} else [f"statuses {statuses}"]
    if runs and runs[0].get("rss_mb"):  # the server's memory after each of its runs
        notes.append("RSS " + " ".join(f"{figures['rss_mb']:.0f}" for figures in target.rounds) + " MB")
    if any(figures["timed_out"] or figures["errors"] for figures in runs):
        notes.append(f"INCOMPLETE {[figures['errors'] for figures in runs]}")
    failures = [figures["first_failure"] for figures in runs if figures["first_failure"]]
    if failures:
        notes.append(f"first failure: {failures[0][:120]}")
    if target.verified:
        oks, charged = statuses.get("200", 0), sum(figures["charged"] for figures in runs)
        notes.append("ledger ok" if target.verified["exit"] == 0 else "VERIFY FAILED")
        same = target.charges == oks == charged
        notes.append(f"{target.charges} charges {'=' if same else '≠'} {oks} answers 200"
                     + ("" if same else f" ({charged} charged)"))
    return "; ".join(notes)


def print_table(targets: list[Target], args: argparse.Namespace) -> None:
    """One line per server: the median over the rounds of its rps, latencies and CPU, and the
    median of its ratios, each against the baseline's run of the same round."""
    baseline = targets[0]
    print(f"\nPOST {PATH} ({SERVICE}, paid), {args.concurrency} keep-alive connections, "
          f"{args.warmup} warm-up requests each, then {args.requests} measured, in each of "
          f"{args.rounds} round(s) (every server in turn); medians shown; load average "
          f"{', '.join(f'{n:.1f}' for n in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"{'backend':<14} {'requests':>8} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}  "
          f"{'target':<6} {'server CPU':>10} {'client CPU':>10} {'db CPU':>9} {'machine':>10} {'busy':>5} "
          f"{'cap':>5}  ratios per round; checks")
    for target in with_hold_lines(targets):
        ratios = [rps(figures) / rps(base) for figures, base in zip(target.rounds, baseline.rounds,
                                                                     strict=True)]
        ratio = statistics.median(ratios)
        holds = target.label.endswith(" holds")  # the target ratio is the charges'
        verdict = "" if target is baseline or holds else "met" if ratio >= TARGET else "MISSED"

        def middle(key: str, rounds: list[dict[str, Any]] = target.rounds) -> float:
            return statistics.median(figures[key] for figures in rounds)

        each = "" if target is baseline else " ".join(f"{r:.2f}" for r in ratios) + "; "
        each += hot_against_spread(target, targets)
        speed = statistics.median(rps(figures) for figures in target.rounds)
        cpus = os.cpu_count() or 1
        busy = statistics.median(figures["machine_cpu_us"] * rps(figures) / 1e6 / cpus
                                 for figures in target.rounds)
        # The ratio this line would reach with every CPU of the machine busy at its CPU per answer.
        caps = [cpus * 1e6 / figures["machine_cpu_us"] / rps(base)
                for figures, base in zip(target.rounds, baseline.rounds, strict=True)
                if figures["machine_cpu_us"] and rps(base)]
        cap = statistics.median(caps) if caps else float("nan")  # no /proc/stat: not known
        print(f"{target.label:<14} {target.rounds[0]['requests']:>8} {speed:>8,.0f} "
              f"{middle('p50_ms'):>8.2f} {middle('p99_ms'):>8.2f} {ratio:>6.2f}  {verdict:<6} "
              f"{middle('server_cpu_us'):>7,.0f} µs {middle('client_cpu_us'):>7,.0f} µs "
              f"{middle('database_cpu_us'):>6,.0f} µs {middle('machine_cpu_us'):>7,.0f} µs "
              f"{busy:>5.0%} {cap:>5.2f}  "
              f"{each}{checks(target)}")
    if args.holds:
        print(f"(a `holds` line: hold cycles per second — POST {HOLDS_PATH}, then its capture — each "
              "cycle two requests; its CPU and latencies are per cycle)")
    print(f"(ratio: rps / rps of the baseline's run in the same round; target ≥ {TARGET}. server / "
          "client CPU: CPU time per answer of the server process (all its threads; not the database "
          "server's) and of the load generator; db CPU: of the PostgreSQL server's processes; machine: "
          "of every process on the machine together, over the whole run (the load generator's start "
          "and warm-up included); busy: that machine CPU as a share of all the CPUs' time at the "
          "line's rps (near 100 %: the machine, not one process, is the limit); cap: the ratio "
          "that the line's machine CPU per answer allows once every CPU is busy, whatever the server "
          "did better in its own process. A hot line: rps against its backend's spread line, round by "
          f"round; target ≥ {HOT_TARGET}. checks: statuses, the server's RSS after each of its "
          "runs, `hamyon verify` after the runs, charge transfers in the ledger vs 200 answers)")


def hot_against_spread(target: Target, targets: list[Target]) -> str:
    """For a hot-wallet line: the median, over the rounds, of its rps against that of the same
    backend's spread charges in the same round, and whether it meets ``HOT_TARGET``."""
    spread = next((other for other in targets if f"{other.label} hot" == target.label), None)
    if spread is None:
        return ""
    ratio = statistics.median(rps(hot) / rps(alike) for hot, alike in zip(target.rounds, spread.rounds,
                                                                        strict=True))
    return f"{ratio:.2f} × spread ({'met' if ratio >= HOT_TARGET else 'MISSED'}); "


def with_hold_lines(targets: list[Target]) -> list[Target]:
    """Each target, followed (with --holds) by a line of its hold cycles (checked on its own line)."""
    lines = []
    for target in targets:
        lines.append(target)
        if target.hold_rounds:
            lines.append(Target(f"{target.label} holds", target.server, target.port, target.tokens,
                                rounds=target.hold_rounds))
    return lines


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000, help="measured requests per server")
    parser.add_argument("--concurrency", type=int, default=32, help="keep-alive connections")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of baseline + each backend; "
                        "the table shows medians, each ratio against its own round's baseline")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up requests per connection")
    parser.add_argument("--max-seconds", type=int, default=300, help="deadline of each load run")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "HAMYON_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        help="a loopback Postgres server; a fresh database is made there ('' skips Postgres)")
    parser.add_argument("--memory", action="store_true", help="also serve Hamyon on memory://, the "
                        "HTTP edge and the use case without storage (a diagnosis, not a target)")
    parser.add_argument("--no-sqlite", dest="sqlite", action="store_false",
                        help="skip SQLite (with --postgres-url '', only the baseline and --memory run)")
    parser.add_argument("--webhook", action="store_true", help="also serve each backend with one "
                        "webhook endpoint subscribed to charge.succeeded (delivered by a worker), and "
                        "report the events' delivery lag")
    parser.add_argument("--hot", action="store_true", help="also serve each backend with every "
                        "connection charging one shared wallet (a hot wallet)")
    parser.add_argument("--holds", action="store_true", help="also load each backend with hold "
                        "cycles (a hold created, then captured) after its charges, in each round")
    parser.add_argument("--py-spy", metavar="PATH", help="attach this py-spy to each server "
                        "during its load, writing collapsed stacks to --profile-dir/<backend>.txt")
    parser.add_argument("--profile-dir", default=".", help="where --py-spy writes (default: here)")
    parser.add_argument("--serve-baseline", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 1 <= args.concurrency <= args.requests:
        parser.error("--concurrency must be between 1 and --requests")
    if args.postgres_url and urlsplit(args.postgres_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--postgres-url must name a loopback server (127.0.0.1)")
    return args


def main() -> None:
    args = arguments()
    sys.path.insert(0, ROOT)  # the project's modules, when it is not installed
    if args.serve_baseline:
        serve_baseline(args.serve_baseline)
        return
    scratch = tempfile.mkdtemp(prefix="hamyon-bench-http-")
    try:
        backends = [("memory", fresh_memory)] if args.memory else []
        if args.sqlite:
            backends.append(("SQLite", lambda: fresh_sqlite(scratch)))
        unreachable = args.postgres_url and postgres_unreachable(args.postgres_url)
        if unreachable:
            print(f"Postgres skipped: {unreachable}", file=sys.stderr)
        elif args.postgres_url:
            backends.append(("Postgres", lambda: fresh_postgres(args.postgres_url)))
        with contextlib.ExitStack() as stack:
            targets = [stack.enter_context(started_baseline(args, scratch))]
            targets += [stack.enter_context(started_hamyon(label, fresh, args, scratch))
                        for label, fresh in backends]
            if args.hot:  # each backend again, every connection charging the same wallet
                targets += [stack.enter_context(started_hamyon(f"{label} hot", fresh, args, scratch,
                                                               hot=True)) for label, fresh in backends]
            if args.webhook:  # each backend again, with one endpoint subscribed to its charges
                from receiver import Receiver

                targets += [stack.enter_context(started_hamyon(f"{label}+hook", fresh, args, scratch,
                                                               stack.enter_context(receiving(Receiver))))
                            for label, fresh in backends]
            for target in targets:
                stack.enter_context(profiled(target.server.pid, args, target.label))
            for _ in range(args.rounds):  # every server in each round, in turn: the machine drifts
                for target in targets:
                    with delivering(target):
                        target.rounds.append(load(target.server, target.port, target.tokens, args))
                    if target.settle is not None:
                        target.settle()
                    if args.holds and target.label != "baseline" and target.receiver is None:
                        target.hold_rounds.append(load(target.server, target.port, target.tokens,
                                                       args, HOLD_CYCLE))
                        if target.settle is not None:
                            target.settle()
        for target in targets:
            if target.verified.get("exit", 0) != 0:
                print(f"{target.label}: hamyon verify said:\n{target.verified['output']}", file=sys.stderr)
        print_table(targets, args)
        for target in targets:
            if target.receiver is not None:
                lag = target.lag
                print(f"{target.label}: {lag.get('arrived')} of {lag.get('expected')} charge.succeeded "
                      f"events arrived; delivery lag (recorded → received) p50 {lag.get('p50', 0):,.0f} ms, "
                      f"p99 {lag.get('p99', 0):,.0f} ms")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
