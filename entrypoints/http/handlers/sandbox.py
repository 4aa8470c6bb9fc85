"""The sandbox gateway's pages (development only; 404 when the sandbox is off).

``GET /sandbox/pay/<id>`` is the checkout page: plain HTML, no scripts, no external assets. Its
Pay and Cancel buttons POST back to the same address; the press becomes a callback signed by the
sandbox gateway and goes through the redirect flow every redirect gateway's callback goes through
(``application.gateways.redirect``), then the payer is sent (303) to the payment's return URL.
``POST /sandbox/callback/`` takes such a signed callback from outside, as a real gateway would
deliver it: a forged signature is 403 and changes nothing.
"""

from __future__ import annotations

from html import escape
from typing import Any

from application.gateways.redirect import RedirectCallback, RedirectFlow
from domain.errors import PaymentNotFound, ValidationError
from domain.payments import Payment
from domain.text import check_web_url, with_outcome
from entrypoints.http.errors import HttpError
from entrypoints.http.handlers.payments import parse_payment_id
from entrypoints.http.request_handler import ApiHandler
from entrypoints.http.routes import NONE, Route

GATEWAY = "sandbox"
ACTIONS = ("pay", "cancel")

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}}
dt{{color:#555}}dd{{margin:0 0 .6rem;font-weight:bold}}form{{display:inline}}
button{{font-size:1.1rem;padding:.5rem 1.4rem;margin-right:.6rem}}</style></head>
<body><h1>{title}</h1><p>Hamyon sandbox: no real money moves.</p>
<dl><dt>Reference</dt><dd id="reference">{reference}</dd>
<dt>Amount</dt><dd id="amount">{amount}</dd>
<dt>Commission</dt><dd id="commission">{commission}</dd>
<dt>Total</dt><dd id="total">{total}</dd>
<dt>Status</dt><dd id="status">{status}</dd></dl>
{buttons}</body></html>"""

BUTTONS = """<form method="post" action="/sandbox/pay/{id}"><input type="hidden" name="action" value="pay">
<button type="submit" id="pay">Pay</button></form>
<form method="post" action="/sandbox/pay/{id}"><input type="hidden" name="action" value="cancel">
<button type="submit" id="cancel">Cancel</button></form>"""


def page(payment: Payment, title: str) -> str:
    open_ = not payment.status.is_final
    return PAGE.format(
        title=escape(title), reference=escape(payment.reference_number),
        amount=escape(str(payment.amount)), commission=escape(str(payment.commission)),
        total=escape(str(payment.total_amount)), status=escape(payment.status.value),
        buttons=BUTTONS.format(id=payment.id) if open_ else "")


class SandboxHandler(ApiHandler):
    def flow(self) -> RedirectFlow:
        flow = self.context.inbound.get(GATEWAY)
        if flow is None:
            raise HttpError(404, "sandbox_off", "The sandbox gateway is off")
        return flow  # type: ignore[no-any-return]

    async def sandbox_payment(self, raw_id: str) -> Payment:
        self.flow()
        payment = await self.hamyon.admin.payment(parse_payment_id(raw_id))
        if payment.gateway != GATEWAY:
            raise PaymentNotFound()
        return payment

    def html(self, text: str) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(text)


class SandboxCheckoutHandler(SandboxHandler):
    async def get(self, payment_id: str) -> None:
        self.html(page(await self.sandbox_payment(payment_id), "Sandbox checkout"))

    async def post(self, payment_id: str) -> None:
        action = self.body().get("action")
        payment = await self.sandbox_payment(payment_id)
        fields = self.flow().gateway.signed_callback(payment, action)
        outcome = await self.flow().callback(
            RedirectCallback(fields["id_get"], fields))
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.redirect(back_to(outcome.payment), status=303)


class SandboxDoneHandler(SandboxHandler):
    async def get(self, payment_id: str) -> None:
        self.html(page(await self.sandbox_payment(payment_id), "Sandbox payment finished"))


class SandboxCallbackHandler(SandboxHandler):
    async def post(self) -> None:
        fields = _callback_fields(self.body())
        outcome = await self.flow().callback(RedirectCallback(fields["id_get"], fields))
        if not outcome.verified and outcome.result != "cancelled":
            raise HttpError(400, "payment_not_verified", "The gateway did not verify the payment",
                            transaction_id=str(outcome.payment.id))
        self.reply({"success": True, "result": outcome.result, "transaction_id": outcome.payment.id,
                    "status": outcome.payment.status.value})


def back_to(payment: Payment) -> str:
    """Where the payer goes after pressing a button: the payment's return (else callback) URL
    with ``payment_id`` and ``status`` in its query, or the sandbox's own finished page when the
    payment has none a browser can be sent to."""
    for url in (payment.return_url, payment.callback_url):
        try:
            if url and check_web_url(url, "return_url"):
                return with_outcome(url, payment.id, payment.status.value)
        except ValidationError:
            continue  # a row written before URLs were checked: never a 500 after the payment
    return f"/sandbox/done/{payment.id}"


def _callback_fields(body: dict[str, Any]) -> dict[str, str]:
    """The signed callback's fields (the route's request schema checked them as text)."""
    return {name: str(body[name]) for name in ("id_get", "action", "signature")}


ROUTES = (  # development only: 404 when the sandbox is off
    Route("GET", "/sandbox/pay/{payment_id}", SandboxCheckoutHandler, "Sandbox checkout page",
          NONE, tag="sandbox", media="text/html", errors=(404,)),
    Route("POST", "/sandbox/pay/{payment_id}", SandboxCheckoutHandler,
          "Press Pay or Cancel (form field action); 303 to the payment's return URL", NONE,
          request="SandboxPress", tag="sandbox", form=True, status=303, media="text/html",
          errors=(403, 404, 409)),
    Route("GET", "/sandbox/done/{payment_id}", SandboxDoneHandler, "Sandbox payment finished",
          NONE, tag="sandbox", media="text/html", errors=(404,)),
    Route("POST", "/sandbox/callback/", SandboxCallbackHandler,
          "A signed sandbox callback (id_get, action, signature)", NONE, response="WebhookAnswer",
          request="SandboxCallbackRequest", tag="sandbox", form=True, errors=(400, 403, 404, 409)),
)
