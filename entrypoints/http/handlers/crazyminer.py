"""The CrazyMiner seed's endpoints, in that seed's own shape (Persian ``status_display`` by
default): create a medogram top-up, the gateway's callback, public status, the caller's list."""

from __future__ import annotations

from typing import Any

from application.gateways.redirect import RedirectCallback
from application.payments import CreatedPayment, CreatePayment
from domain.errors import PaymentNotFound
from domain.payments import Payment, PaymentStatus
from entrypoints.http.errors import HttpError
from entrypoints.http.i18n import message, status_display
from entrypoints.http.render import amount
from entrypoints.http.request_handler import ApiHandler
from entrypoints.http.routes import NONE, PAGING, Query, Route, path_uuid
from entrypoints.http.schema_types import string

GATEWAY = "medogram"
CALLBACK_FIELDS = ("trans_id", "id_get", "tracking_code")
CM = "/crazyminer/payment"
CALLBACK = (Query("trans_id", string(255), "medogram's transaction reference"),
            Query("id_get", string(255), "medogram's payment id"),
            Query("tracking_code", string(255), "Optional tracking code"))


def crazyminer_payment(payment: Payment, language: str, payment_url: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {
        "transaction_id": payment.id, "status": payment.status.value,
        "status_display": status_display(payment.status.value, language),
        "amount": amount(payment.amount), "gateway_tracking_code": payment.tracking_code,
        "created_at": payment.created_at, "completed_at": payment.completed_at,
    }
    if payment.status is PaymentStatus.PROCESSING and payment_url:
        body["payment_url"] = payment_url
    return body


class CrazyMinerCreateHandler(ApiHandler):
    async def post(self) -> None:
        body = self.body()
        command = CreatePayment(self.user_id, GATEWAY, body.get("amount"),
                                description=str(body.get("description") or ""))
        await self.money_moving(lambda: self.hamyon.payments.create(command), self._render, body)

    def _render(self, created: CreatedPayment) -> tuple[int, dict[str, Any]]:
        payment = created.payment
        return 201, {"transaction_id": payment.id, "payment_url": created.payment_url,
                     "amount": amount(payment.amount), "status": payment.status.value,
                     "status_display": status_display(payment.status.value, self.language)}


class CrazyMinerCallbackHandler(ApiHandler):
    """medogram sends the payer back by GET (query string) or POST (JSON or form). Nothing is
    credited before medogram verifies the payment; an unknown ``id_get`` is 404 and medogram is
    not asked; a callback medogram does not verify is 400; a replay answers the same success."""

    async def get(self) -> None:
        fields = {name: value for name in CALLBACK_FIELDS if (value := self.query(name)) is not None}
        self.context.validator.validate(fields, {"$ref": "CrazyMinerCallbackRequest"})
        await self._settle(fields)

    async def post(self) -> None:
        await self._settle(self.body())

    async def _settle(self, payload: dict[str, Any]) -> None:
        flow = self.context.inbound.get(GATEWAY)
        if flow is None:
            raise HttpError(501, "gateway_not_implemented", "The medogram gateway is not configured")
        fields = {name: str(payload[name]) for name in CALLBACK_FIELDS if payload.get(name) is not None}
        outcome = await flow.callback(RedirectCallback(
            fields["id_get"], fields, tracking_code=fields.get("tracking_code", "")))
        if not outcome.verified:
            raise HttpError(400, "payment_not_verified", "The gateway did not verify the payment",
                            transaction_id=str(outcome.payment.id))
        self.reply({"success": True, "message": message("callback_verified", self.language),
                    "transaction_id": outcome.payment.id,
                    "tracking_code": outcome.payment.tracking_code})


class CrazyMinerStatusHandler(ApiHandler):
    async def get(self, transaction_id: str) -> None:
        if not self.context.status_limiter.allow(self.client_ip):
            raise HttpError(429, message="Too many status requests; slow down")
        wanted = path_uuid(transaction_id, PaymentNotFound)
        owner = (await self.hamyon.admin.payment(wanted)).user_id
        payment = await self.hamyon.payments.get(owner, wanted)  # the owner's read writes down expiry
        self.reply(crazyminer_payment(payment, self.language, self.hamyon.payments.checkout_url(payment)))


class CrazyMinerListHandler(ApiHandler):
    async def get(self) -> None:
        page = await self.hamyon.payments.history(self.user_id, self.page_request())
        self.reply({"count": page.total_count,
                    "results": [crazyminer_payment(payment, self.language) for payment in page.items]})


ROUTES = (
    Route("POST", f"{CM}/create/", CrazyMinerCreateHandler, "Charge the wallet via medogram",
          request="CrazyMinerCreateRequest", response="CrazyMinerCreated", status=201,
          tag="crazyminer", language="fa", idempotent=True, errors=(403, 404, 501, 502)),
    Route("POST", f"{CM}/callback/", CrazyMinerCallbackHandler, "Gateway callback", NONE,
          request="CrazyMinerCallbackRequest", response="CrazyMinerCallback", tag="crazyminer",
          language="fa", form=True, errors=(404, 409, 501, 502)),
    Route("GET", f"{CM}/callback/", CrazyMinerCallbackHandler,
          "Gateway callback (the payer's browser, query string)", NONE, response="CrazyMinerCallback",
          tag="crazyminer", language="fa", errors=(404, 409, 501, 502), query=CALLBACK),
    Route("GET", f"{CM}/status/{{transaction_id}}/", CrazyMinerStatusHandler,
          "Payment status by transaction id", NONE, response="CrazyMinerPayment",
          tag="crazyminer", language="fa", errors=(404, 429)),
    Route("GET", f"{CM}/list/", CrazyMinerListHandler, "The caller's payments",
          response="CrazyMinerList", tag="crazyminer", language="fa", query=PAGING),
)
