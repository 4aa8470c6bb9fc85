"""The OpenAPI document's examples work as printed on a development server.

A real ``hamyon serve`` (SQLite, the sandbox gateway, the seeded rules) is sent each operation's
request example from its own ``/openapi.json``, in the order a session would send them: an admin
funds user 42, the user tops up through the sandbox and presses Pay, charges, holds, then the
admin API. Each is answered with its documented success status, and the answer has every field
its documented example shows (``currency`` aside: it is being added beside every amount).
"""

from __future__ import annotations

import http.client
import urllib.parse
from pathlib import Path
from typing import Any

from attrs import Factory, frozen

from entrypoints.http.auth import TokenIssuer
from entrypoints.http.docs import ADMIN, USER
from entrypoints.http.jsonio import encode
from entrypoints.http.table import ROUTES
from tests.http.conftest import SECRET, Reply
from tests.ops.harness import ServerProcess, clean_env, free_port

NOBODY, A_USER, AN_ADMIN, A_KEY = "nobody", "user", "admin", "key"
ROUTED = {route.operation_id: route for route in ROUTES}
# Values of path parameters before an answer gives one (``Step.path`` renames where needed).
KNOWN = {"user_id": USER, "name": "sandbox", "doctor_id": "123", "service_type": "consultation",
         "new_rule": "lab_report", "asset": "swagger-ui.css"}
# Not meaningful on a development server: the caller must be the gateway itself.
SKIPPED = {
    "post_api_payments_click_prepare": "signed with Click's secret; Click is not configured",
    "post_api_payments_click_complete": "signed with Click's secret; Click is not configured",
    "post_api_payments_payme_webhook": "Basic auth with Payme's key; Payme is not configured",
    "post_crazyminer_payment_create": "medogram has no credentials in development (404)",
    "post_crazyminer_payment_callback": "medogram verifies it; it has no credentials (501)",
    "get_crazyminer_payment_callback": "medogram verifies it; it has no credentials (501)",
    "post_sandbox_callback": "signed with this server's sandbox secret over a payment's id",
}


@frozen
class Step:
    operation: str
    caller: str = A_USER
    path: dict[str, str] = Factory(dict)  # path parameter -> the known value it takes
    keep: dict[str, str] = Factory(dict)  # known value -> where the answer has it ("hold.id")


SESSION = (
    Step("post_api_admin_wallets_user_id_adjust", AN_ADMIN),
    Step("get_api_payments_gateways", NOBODY),
    Step("get_api_payments_gateways_status", NOBODY),
    Step("post_api_payments_estimate"),
    Step("post_api_payments_wallet_topup", keep={"payment_id": "payment.id"}),
    Step("post_api_payments_payment_id_cancel"),
    Step("post_api_payments_create", keep={"payment_id": "payment.id"}),
    Step("get_sandbox_pay_payment_id", NOBODY),
    Step("post_sandbox_pay_payment_id", NOBODY),
    Step("get_sandbox_done_payment_id", NOBODY),
    Step("get_api_payments_payment_id_status"),
    Step("get_api_payments_payment_id_return", NOBODY),
    Step("get_api_payments_history"),
    Step("get_api_payments_wallet"),
    Step("get_api_payments_wallet_balance"),
    Step("get_api_payments_wallet_transactions"),
    Step("get_api_payments_billing_rules", NOBODY),
    Step("post_api_payments_billing_check_access"),
    Step("post_api_payments_billing_charge", keep={"transaction_id": "transaction_id"}),
    Step("get_api_payments_billing_summary"),
    Step("get_api_billing_daily_usage"),
    Step("post_api_payments_billing_holds", keep={"hold_id": "hold.id"}),
    Step("get_api_payments_billing_holds"),
    Step("get_api_payments_billing_holds_hold_id"),
    Step("post_api_payments_billing_holds_hold_id_capture"),
    Step("post_api_payments_billing_holds", keep={"hold_id": "hold.id"}),
    Step("post_api_payments_billing_holds_hold_id_release"),
    Step("post_api_admin_doctors", AN_ADMIN),
    Step("get_api_admin_doctors", AN_ADMIN),
    Step("get_api_billing_doctor_doctor_id_view"),
    Step("patch_api_admin_doctors_doctor_id", AN_ADMIN),
    Step("get_api_admin_gateways", AN_ADMIN),
    Step("get_api_admin_gateways_name", AN_ADMIN),
    Step("patch_api_admin_gateways_name", AN_ADMIN),
    Step("get_api_admin_billing_settings", AN_ADMIN),
    Step("patch_api_admin_billing_settings", AN_ADMIN),
    Step("get_api_admin_billing_rules", AN_ADMIN),
    Step("post_api_admin_billing_rules", AN_ADMIN),
    Step("patch_api_admin_billing_rules_service_type", AN_ADMIN),
    Step("delete_api_admin_billing_rules_service_type", AN_ADMIN, path={"service_type": "new_rule"}),
    Step("get_api_admin_wallets", AN_ADMIN),
    Step("get_api_admin_wallets_user_id", AN_ADMIN),
    Step("post_api_admin_wallets_user_id_block", AN_ADMIN),
    Step("post_api_admin_wallets_user_id_unblock", AN_ADMIN),
    Step("get_api_admin_payments", AN_ADMIN),
    Step("get_api_admin_payments_payment_id", AN_ADMIN),
    Step("get_api_admin_payments_payment_id_logs", AN_ADMIN),
    Step("post_api_admin_charges_transaction_id_refund", AN_ADMIN),
    Step("post_api_admin_payments_payment_id_refund", AN_ADMIN),
    Step("get_crazyminer_payment_list"),
    Step("get_crazyminer_payment_status_transaction_id", NOBODY, path={"transaction_id": "payment_id"}),
    Step("post_api_admin_api_keys", AN_ADMIN, keep={"api_key_id": "api_key.id", "key": "key"}),
    Step("get_api_admin_api_keys", AN_ADMIN),
    Step("post_api_payments_billing_check_access", A_KEY),  # the new key, acting for user 42
    Step("delete_api_admin_api_keys_api_key_id", AN_ADMIN),
    Step("post_api_admin_webhooks", AN_ADMIN, keep={"webhook_id": "webhook.id"}),
    Step("get_api_admin_webhooks", AN_ADMIN),
    Step("get_api_admin_webhooks_webhook_id", AN_ADMIN),
    Step("patch_api_admin_webhooks_webhook_id", AN_ADMIN),
    Step("post_api_admin_webhooks_webhook_id_rotate_secret", AN_ADMIN),
    Step("post_api_admin_webhooks_webhook_id_ping", AN_ADMIN, keep={"event_id": "event.id"}),
    Step("get_api_admin_webhooks_webhook_id_deliveries", AN_ADMIN),
    Step("get_api_admin_events", AN_ADMIN),
    Step("get_api_admin_events_event_id", AN_ADMIN),
    Step("post_api_admin_events_event_id_resend", AN_ADMIN),
    Step("delete_api_admin_webhooks_webhook_id", AN_ADMIN),
    Step("delete_api_admin_doctors_doctor_id", AN_ADMIN),
    Step("get_healthz", NOBODY),
    Step("get_readyz", NOBODY),
    Step("get_openapi.json", NOBODY),
    Step("get_docs", NOBODY),
    Step("get_docs_asset", NOBODY),
    Step("get_metrics", NOBODY),
)


class DevelopmentServer:
    """Requests to the server as a client would send them: the token, the documented headers."""

    def __init__(self, port: int) -> None:
        self.port = port
        issuer = TokenIssuer(SECRET)
        self.tokens = {A_USER: issuer.issue(USER), AN_ADMIN: issuer.issue(ADMIN, admin=True)}

    def send(self, method: str, path: str, headers: dict[str, str], body: bytes | None) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            return Reply(reply.status, reply.headers, reply.read().decode())
        finally:
            connection.close()


def request_of(operation: dict[str, Any], form: bool) -> tuple[dict[str, str], bytes | None]:
    """The operation's request example as a client sends it (a form route's as a form)."""
    content = operation.get("requestBody", {}).get("content", {})
    if not content:
        return {}, None
    if form and "application/x-www-form-urlencoded" in content:
        fields = content["application/x-www-form-urlencoded"]["example"]
        return ({"Content-Type": "application/x-www-form-urlencoded"},
                urllib.parse.urlencode(fields).encode())
    return {"Content-Type": "application/json"}, encode(content["application/json"]["example"]).encode()


def credentials(server: DevelopmentServer, caller: str, known: dict[str, str]) -> dict[str, str]:
    if caller == A_KEY:
        return {"Authorization": f"Bearer {known['key']}", "Hamyon-User": USER}
    token = server.tokens.get(caller)
    return {"Authorization": f"Bearer {token}"} if token else {}


def found(answer: Any, where: str) -> str:
    for part in where.split("."):
        answer = answer[part]
    return str(answer)


def missing_fields(example: Any, answer: Any, at: str = "") -> list[str]:
    """The fields the example shows that the answer lacks (``currency`` aside), at any depth."""
    if isinstance(example, dict) and isinstance(answer, dict):
        return [gap for name, value in example.items() if name != "currency"
                for gap in ([f"{at}{name}"] if name not in answer else
                            missing_fields(value, answer[name], f"{at}{name}."))]
    if isinstance(example, list) and isinstance(answer, list) and example and answer:
        return missing_fields(example[0], answer[0], f"{at}[0].")
    return []


def replay(server: DevelopmentServer, document: dict[str, Any], step: Step, known: dict[str, str],
           number: int) -> list[str]:
    """Send one operation's example as printed; what went wrong, if anything."""
    route = ROUTED[step.operation]
    operation = document["paths"][route.path][route.method.lower()]
    needed = {name: step.path.get(name, name) for name in route.path_params}
    if not set(needed.values()) <= set(known):
        return [f"{step.operation}: no {sorted(set(needed.values()) - set(known))} from an earlier step"]
    path = route.path.format(**{name: urllib.parse.quote(known[value], safe="")
                                for name, value in needed.items()})
    headers, body = request_of(operation, route.form)
    headers.update(credentials(server, step.caller, known))
    if route.idempotent:
        headers["Idempotency-Key"] = f"example-{number}"
    answer = server.send(route.method, path, headers, body)
    label = f"{route.method} {path}"
    documented = {int(status) for status in operation["responses"] if int(status) < 400}
    if answer.status not in documented:
        return [f"{label}: {answer.status} (documented {sorted(documented)}): {answer.text[:300]}"]
    success = operation["responses"][str(answer.status)].get("content", {})
    if route.media not in success:
        return []
    media = answer.headers.get("Content-Type", "")
    if route.media != "application/octet-stream" and not media.startswith(route.media):
        return [f"{label}: answered {media}, documented {route.media}"]
    if route.media != "application/json":
        return []
    for name, where in step.keep.items():
        known[name] = found(answer.json, where)
    gaps = missing_fields(success[route.media].get("example"), answer.json)
    return [f"{label}: the example shows {gaps}, the answer has not: {answer.text[:300]}"] if gaps else []


def test_every_operation_is_replayed_or_skipped_for_a_reason():
    replayed = {step.operation for step in SESSION}
    assert replayed.isdisjoint(SKIPPED)
    assert replayed | set(SKIPPED) == set(ROUTED)


def test_the_documented_examples_work_as_printed_on_a_development_server(tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(tmp_path, HAMYON_PORT=str(port), HAMYON_ENV="development",
                    HAMYON_JWT_SECRET=SECRET)
    with ServerProcess("serve", "--no-jobs", env=env, cwd=tmp_path) as process:
        process.wait_ready(f"http://127.0.0.1:{port}")
        server = DevelopmentServer(port)
        document = server.send("GET", "/openapi.json", {}, None).json
        known = dict(KNOWN)
        failures: list[str] = []
        for number, step in enumerate(SESSION):
            failures += replay(server, document, step, known, number)
    assert not failures, "\n".join(failures)
