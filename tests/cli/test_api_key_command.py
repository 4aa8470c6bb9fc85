"""``hamyon api-key`` (SPEC §15) as a subprocess: a key made on the command line works against a
real server at once, is listed without itself, and is refused once revoked."""

from __future__ import annotations

from pathlib import Path

from tests.ops.harness import ServerProcess, call, clean_env, free_port, run_cli


def test_a_key_made_on_the_command_line_acts_for_a_user_until_revoked(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    made = run_cli("api-key", "create", "--name", "backend", "--scopes", "read", env=env, cwd=tmp_path)
    key = made.stdout.strip()
    key_id = made.stderr.split()[0]
    bad = run_cli("api-key", "create", "--name", "x", "--scopes", "admin", env=env, cwd=tmp_path)
    listed = run_cli("api-key", "list", env=env, cwd=tmp_path)
    port = free_port()
    url, acting = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {key}", "Hamyon-User": "42"}
    with ServerProcess("serve", "--no-jobs", env={**env, "HAMYON_PORT": str(port)}, cwd=tmp_path) as server:
        server.wait_ready(url)
        before = call(f"{url}/api/payments/wallet/balance/", headers=acting)
        revoked = run_cli("api-key", "revoke", key_id, env=env, cwd=tmp_path)
        after = call(f"{url}/api/payments/wallet/balance/", headers=acting)
    unknown = run_cli("api-key", "revoke", "00000000-0000-0000-0000-000000000000", env=env, cwd=tmp_path)
    assert made.returncode == 0 and key.startswith("hk_") and "shown only now" in made.stderr
    assert bad.returncode == 2 and "scopes" in bad.stderr and "Traceback" not in bad.stderr
    assert "backend" in listed.stdout and key not in listed.stdout
    assert before[0] == 200 and revoked.returncode == 0 and after[0] == 401
    assert unknown.returncode == 1
