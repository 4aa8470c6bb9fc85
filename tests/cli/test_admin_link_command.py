"""``hamyon admin-link`` (SPEC §16) as a subprocess: it prints a one-time sign-in URL on the
configured public URL, a new one each time, whose page a running server serves (redeeming it, once,
is proven in the browser: tests/console)."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from tests.ops.harness import ServerProcess, clean_env, free_port, run_cli


def test_the_printed_link_opens_the_consoles_sign_in_on_a_running_server(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = clean_env(tmp_path, HAMYON_PORT=str(port), HAMYON_PUBLIC_URL=url)
    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    first = run_cli("admin-link", "--admin", "ops-1", env=env, cwd=tmp_path)
    second = run_cli("admin-link", env=env, cwd=tmp_path)
    link = first.stdout.strip()
    assert first.returncode == 0 and link.startswith(f"{url}/admin/sign-in/link/?token=")
    assert second.stdout.strip() != link
    for bad in ("", "a\nb", "x" * 129):  # the audit log's name for the session: refused, no link
        refused = run_cli("admin-link", "--admin", bad, env=env, cwd=tmp_path)
        assert refused.returncode == 2 and "--admin" in refused.stderr and not refused.stdout
    with ServerProcess("serve", "--no-jobs", env=env, cwd=tmp_path) as server:
        server.wait_ready(url)
        with urllib.request.urlopen(link, timeout=10) as page:
            body = page.read().decode()
    assert page.status == 200 and "<form" in body  # pressing its button signs in (tests/console)
