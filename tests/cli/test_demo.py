"""``hamyon demo``: its printed walkthrough works when pasted into a shell, line for line."""

from __future__ import annotations

import json
import secrets
import subprocess
from decimal import Decimal
from pathlib import Path

from tests.ops.harness import ServerProcess, call, clean_env, free_port, run_cli


def shell_lines(output: str) -> tuple[list[str], list[str]]:
    """The ``export`` lines and the ``curl`` commands of the walkthrough, as printed."""
    lines = output.splitlines()
    return ([line for line in lines if line.startswith("export ")],
            [line for line in lines if line.startswith("curl ")])


def test_demo_walkthrough_replayed_as_printed_pays_charges_and_reads_the_wallet(tmp_path: Path) -> None:
    port = free_port()
    with ServerProcess("demo", "--port", str(port), env=clean_env(tmp_path), cwd=tmp_path) as demo:
        output = demo.wait_for("/logs/")
        exports, commands = shell_lines(output)
        printed = []
        for command in commands:
            script = "\n".join([*exports, command])
            done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30,
                                  check=True)
            printed.append(done.stdout)
    assert (tmp_path / "hamyon-demo.db").is_file()
    pressed, *answers = printed
    assert pressed.startswith(f"303 http://127.0.0.1:{port}/sandbox/done/")  # the Pay button's answer
    status, topup, charge, wallet, logs = (json.loads(text, parse_float=Decimal) for text in answers)
    assert [a["success"] for a in (status, topup, charge, wallet, logs)] == [True] * 5
    assert status["payment"]["status"] == "completed"
    assert topup["payment"]["payment_url"].startswith(f"http://127.0.0.1:{port}/sandbox/pay/")
    assert charge["service_type"] == "doctor_view"
    spent = Decimal(charge.get("amount_charged", 0))
    assert wallet["wallet"]["balance"] == Decimal(50_000) - spent
    assert wallet["wallet"]["total_topped_up"] == Decimal(50_000)
    assert {"callback", "state_change"} <= {step["type"] for step in logs["logs"]}


def test_demo_prints_a_token_for_the_demo_user_and_a_pending_sandbox_checkout(tmp_path: Path) -> None:
    port = free_port()
    with ServerProcess("demo", "--port", str(port), env=clean_env(tmp_path), cwd=tmp_path) as demo:
        output = demo.wait_for("/logs/")
        token = next(line for line in output.splitlines() if line.startswith("export TOKEN="))
        status, body = call(f"http://127.0.0.1:{port}/api/payments/history/",
                            token=token.removeprefix("export TOKEN="))
    assert status == 200
    [payment] = json.loads(body)
    assert payment["status"] in ("pending", "processing")
    assert payment["amount"] == 50000
    assert f"http://127.0.0.1:{port}/sandbox/pay/{payment['id']}" in output


def test_demo_refuses_production_mode(tmp_path: Path) -> None:
    env = clean_env(tmp_path, HAMYON_ENV="production", HAMYON_SECRET_KEY=secrets.token_hex(32),
                    HAMYON_JWT_SECRET=secrets.token_hex(32), HAMYON_SANDBOX="0")
    done = run_cli("demo", "--port", str(free_port()), env=env, cwd=tmp_path)
    assert done.returncode != 0
    assert "HAMYON_ENV=production" in done.stderr
