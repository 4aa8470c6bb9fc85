"""The sandbox gateway's pages (development only; 404 when the sandbox is off).

``GET /sandbox/pay/<id>`` is its hosted checkout (``adapters.gateways.sandbox.page``): the payment
while it is open, the finished page once it is final, in the payer's language (``lang`` in the
query, else ``Accept-Language``). Its Pay and Cancel buttons POST back to the same address; the
press becomes a callback signed by the sandbox gateway and goes through the redirect flow every
redirect gateway's callback goes through (``application.gateways.redirect``), then the payer is
sent (303) to the payment's return URL, else to the finished page ``/sandbox/done/<id>``. A
browser (``Accept: text/html``) gets the pages' errors as pages too, an unknown payment as an HTML
404; any other client gets the API's JSON error, as on every route.
``POST /sandbox/callback/`` takes such a signed callback from outside, as a real gateway would
deliver it: a forged signature is 403 and changes nothing.
"""

from __future__ import annotations

from typing import Any, cast

import tornado.web

from adapters.gateways.sandbox import LANGUAGES, Checkout, SandboxGateway, error_page, page
from application.gateways.redirect import RedirectCallback, RedirectFlow
from domain.errors import PaymentNotFound, ValidationError
from domain.payments import Payment
from domain.text import check_web_url, with_outcome
from entrypoints.http.errors import HttpError, answer_for
from entrypoints.http.handlers.payments import parse_payment_id
from entrypoints.http.i18n import STATUS_DISPLAY, negotiate
from entrypoints.http.request_handler import ApiHandler
from entrypoints.http.routes import NONE, Query, Route
from entrypoints.http.schema_types import string

GATEWAY = "sandbox"
# The pages fetch nothing and run nothing; no other site may frame the Pay button.
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'"
LANG = Query("lang", string(8, enum=LANGUAGES),
             "The page's language: uz, ru or en (default: Accept-Language, else uz)")


class SandboxHandler(ApiHandler):
    def flow(self) -> RedirectFlow:
        flow = self.context.inbound.get(GATEWAY)
        if flow is None:
            raise HttpError(404, "sandbox_off", "The sandbox gateway is off")
        return flow  # type: ignore[no-any-return]

    def gateway(self) -> SandboxGateway:
        return cast(SandboxGateway, self.flow().gateway)

    async def sandbox_payment(self, raw_id: str) -> Payment:
        self.flow()
        payment = await self.hamyon.admin.payment(parse_payment_id(raw_id))
        if payment.gateway != GATEWAY:
            raise PaymentNotFound()
        return payment

    def html(self, text: str) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Content-Security-Policy", PAGE_POLICY)
        self.finish(text)


class SandboxPageHandler(SandboxHandler):
    """A page the payer's browser opens: the payment as it stands, in the payer's language."""

    chosen_language: str | None = None  # from the query: kept in the page's links and forms

    async def get(self, payment_id: str) -> None:
        language = self.page_language()
        payment = await self.sandbox_payment(payment_id)
        self.html(page(Checkout(
            payment, merchant=self.gateway().merchant_name, language=language,
            now=self.hamyon.clock.now(), zone=self.hamyon.config.zone,
            status_names=STATUS_DISPLAY[language], return_url=return_address(payment) or "",
            lang_query=self.lang_query)))

    def page_language(self) -> str:
        chosen = self.query("lang")
        if chosen is not None and chosen not in LANGUAGES:
            raise ValidationError("lang must be uz, ru or en", field="lang")
        self.chosen_language = chosen
        return chosen or spoken_language(self.request.headers.get("Accept-Language"))

    @property
    def lang_query(self) -> str:
        return f"?lang={self.chosen_language}" if self.chosen_language else ""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A browser gets the error as a page; the status is the one the JSON answer would have."""
        if "text/html" not in self.request.headers.get("Accept", ""):
            super().write_error(status_code, **kwargs)
            return
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, Exception) and not isinstance(error, tornado.web.HTTPError):
            status_code = answer_for(error, self.request_id).status
        flow = self.context.inbound.get(GATEWAY)  # None: the sandbox is off, no merchant to name
        merchant = cast(SandboxGateway, flow.gateway).merchant_name if flow is not None else ""
        language = self.chosen_language or spoken_language(self.request.headers.get("Accept-Language"))
        payment_page = f"/sandbox/done/{self.path_kwargs.get('payment_id', '')}{self.lang_query}"
        self.set_status(status_code)
        self.html(error_page(status_code, language, merchant, payment_page))


class SandboxCheckoutHandler(SandboxPageHandler):
    async def post(self, payment_id: str) -> None:
        self.page_language()  # before the body: a bad ``lang`` is refused by its name
        action = self.body().get("action")
        payment = await self.sandbox_payment(payment_id)
        fields = self.gateway().signed_callback(payment, action)
        outcome = await self.flow().callback(
            RedirectCallback(fields["id_get"], fields))
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        finished = f"/sandbox/done/{outcome.payment.id}{self.lang_query}"
        self.redirect(return_address(outcome.payment) or finished, status=303)


class SandboxDoneHandler(SandboxPageHandler):
    """Where the payer lands after a press when the payment has no return URL (by then the
    payment is final: the finished page)."""


class SandboxCallbackHandler(SandboxHandler):
    async def post(self) -> None:
        fields = _callback_fields(self.body())
        outcome = await self.flow().callback(RedirectCallback(fields["id_get"], fields))
        if not outcome.verified and outcome.result != "cancelled":
            raise HttpError(400, "payment_not_verified", "The gateway did not verify the payment",
                            transaction_id=str(outcome.payment.id))
        self.reply({"success": True, "result": outcome.result, "transaction_id": outcome.payment.id,
                    "status": outcome.payment.status.value})


def return_address(payment: Payment) -> str | None:
    """Where the payer goes back to the platform: the payment's return (else callback) URL with
    ``payment_id`` and ``status`` in its query; None when it has none a browser can be sent to."""
    for url in (payment.return_url, payment.callback_url):
        try:
            if url and check_web_url(url, "return_url"):
                return with_outcome(url, payment.id, payment.status.value)
        except ValidationError:
            continue  # a row written before URLs were checked: never a 500 after the payment
    return None


def spoken_language(accept_language: str | None) -> str:
    """The best of the page's languages in ``Accept-Language`` (one it does not speak is skipped)."""
    spoken = [part for part in (accept_language or "").split(",")[:20]
              if negotiate(part, "") in LANGUAGES]
    return negotiate(",".join(spoken))


def _callback_fields(body: dict[str, Any]) -> dict[str, str]:
    """The signed callback's fields (the route's request schema checked them as text)."""
    return {name: str(body[name]) for name in ("id_get", "action", "signature")}


ROUTES = (  # development only: 404 when the sandbox is off
    Route("GET", "/sandbox/pay/{payment_id}", SandboxCheckoutHandler, "Sandbox checkout page",
          NONE, tag="sandbox", media="text/html", errors=(404,), query=(LANG,)),
    Route("POST", "/sandbox/pay/{payment_id}", SandboxCheckoutHandler,
          "Press Pay or Cancel (form field action); 303 to the payment's return URL", NONE,
          request="SandboxPress", tag="sandbox", form=True, status=303, media="text/html",
          errors=(403, 404, 409), query=(LANG,)),
    Route("GET", "/sandbox/done/{payment_id}", SandboxDoneHandler, "Sandbox payment finished",
          NONE, tag="sandbox", media="text/html", errors=(404,), query=(LANG,)),
    Route("POST", "/sandbox/callback/", SandboxCallbackHandler,
          "A signed sandbox callback (id_get, action, signature)", NONE, response="WebhookAnswer",
          request="SandboxCallbackRequest", tag="sandbox", form=True, errors=(400, 403, 404, 409)),
)
