"""medogram (api.medogram.ir), the CrazyMiner seed's redirect gateway; it speaks the BitPay protocol.

- Create: ``POST {url}/payment/gateway-send`` with JSON ``{api, amount (rials), factorId (our
  payment id), redirect}``; the body is an integer, ``id_get`` when positive, an error when not.
- The payer pays at ``{url}/payment/gateway-{id_get}-get`` and comes back with ``trans_id``.
- Verify: ``POST {url}/payment/gateway-result-second`` with ``{api, id_get, trans_id, json: 1}``,
  answered ``{status, amount, factorId, cardNum}`` or a bare status; 1 paid, 11 paid before.

The API key goes to the gateway only: it is in no log line, payload or error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from attrs import field, frozen

from adapters.gateways.outgoing import DEFAULT_RETRY, Answer, GatewayHttp, OutgoingRetry
from adapters.gateways.probes import PROBE_TTL, ProbeCache, probe_url
from domain.errors import DomainError, GatewayError
from domain.gateways import CheckoutSession, Probe, Verification
from domain.money import Currency, Money
from domain.payments import Payment

CREATE_ERRORS = {-1: "bad API key", -2: "bad amount", -3: "bad redirect address",
                 -4: "gateway not valid", -5: "other error"}
VERIFY_STATUSES = {1: "verified", 11: "verified before", -1: "bad API key", -2: "bad trans_id",
                   -3: "bad id_get", -4: "no successful transaction"}
PAID = (1, 11)


@frozen
class MedogramCredentials:
    gateway_url: str
    api_key: str = field(repr=False)
    redirect_url: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MedogramCredentials | None:
        """The seed's own variable names; None (gateway inactive) without a URL and an API key."""
        url, key = env.get("PAYMENT_GATEWAY_URL", ""), env.get("PAYMENT_API_KEY", "")
        if not url or not key:
            return None
        return cls(url.rstrip("/"), key, env.get("PAYMENT_REDIRECT_URL", ""))


class MedogramGateway:
    name = "medogram"

    def __init__(self, credentials: MedogramCredentials, *, retry: OutgoingRetry = DEFAULT_RETRY,
                 timeout: float = 10.0, probe_ttl: float = PROBE_TTL) -> None:
        self._credentials = credentials
        self._http = GatewayHttp(self.name, timeout=timeout, retry=retry)
        self._probe = ProbeCache(lambda: probe_url(self._http, f"{credentials.gateway_url}/"), probe_ttl)

    async def checkout(self, payment: Payment) -> CheckoutSession:
        if payment.currency is not Currency.IRR:
            raise GatewayError("medogram takes rials (IRR) only", gateway=self.name)
        sent = {"amount": payment.total_amount.minor, "factorId": str(payment.id),
                "redirect": self._credentials.redirect_url}
        answer = await self._post("gateway-send", sent)
        id_get = _integer(answer.text)
        if id_get is None:
            raise GatewayError("medogram's answer to gateway-send is not a number",
                               gateway=self.name, http_status=answer.status)
        if id_get <= 0:
            raise GatewayError(f"medogram refused the payment: {CREATE_ERRORS.get(id_get, 'unknown')}",
                               gateway=self.name, gateway_code=id_get)
        raw = json.dumps({"sent": sent, "answer": answer.text.strip(), "http_status": answer.status})
        return CheckoutSession(self._pay_url(str(id_get)), external_id=str(id_get),
                               opens_attempt=True, raw=raw)

    def payment_url(self, payment: Payment) -> str:
        return self._pay_url(payment.external_id) if payment.external_id else ""

    async def verify(self, payment: Payment, callback: Mapping[str, str]) -> Verification:
        """Ask medogram about the session the payment holds, with the callback's ``trans_id``."""
        sent = {"id_get": payment.external_id, "trans_id": callback.get("trans_id", ""), "json": 1}
        answer = await self._post("gateway-result-second", sent)
        return _verification(answer, payment.currency)

    async def probe(self) -> Probe:
        """A GET of the gateway's front page (2 s), reused for a few seconds."""
        return await self._probe()

    def _pay_url(self, id_get: str) -> str:
        return f"{self._credentials.gateway_url}/payment/gateway-{id_get}-get"

    async def _post(self, endpoint: str, sent: dict[str, Any]) -> Answer:
        url = f"{self._credentials.gateway_url}/payment/{endpoint}"
        return await self._http.post_json(url, {"api": self._credentials.api_key, **sent})


def _integer(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


def _verification(answer: Answer, currency: Currency) -> Verification:
    try:
        body = json.loads(answer.text, parse_float=Decimal)  # money is never a float
    except ValueError:
        body = None
    if isinstance(body, bool) or not isinstance(body, int | dict):
        raise GatewayError("medogram's verification answer is unreadable", gateway="medogram",
                           http_status=answer.status)
    fields = body if isinstance(body, dict) else {"status": body}
    status = _integer(str(fields.get("status", "")))
    if status is None:
        raise GatewayError("medogram's verification answer has no status", gateway="medogram",
                           http_status=answer.status)
    if status in PAID and not isinstance(body, dict):
        # A bare "paid" carries no amount or factorId to compare: credit nothing, fail nothing;
        # the payment stays processing for reconciliation (and an admin) to settle.
        raise GatewayError("medogram confirmed the payment without its amount and factorId",
                           gateway="medogram", gateway_code=status)
    return Verification(
        paid=status in PAID, amount=_rials(fields.get("amount"), currency),
        order_id=str(fields.get("factorId") or ""), card_mask=str(fields.get("cardNum") or ""),
        message=VERIFY_STATUSES.get(status, f"status {status}"), raw=answer.text)


def _rials(raw: object, currency: Currency) -> Money | None:
    if raw is None or isinstance(raw, bool):
        return None
    try:
        return Money.of(Decimal(str(raw).strip()), currency)
    except (InvalidOperation, ValueError, DomainError):
        return None


def medogram_gateway(env: Mapping[str, str], **options: Any) -> MedogramGateway | None:
    """The adapter when ``PAYMENT_GATEWAY_URL`` and ``PAYMENT_API_KEY`` are set, else None."""
    credentials = MedogramCredentials.from_env(env)
    return MedogramGateway(credentials, **options) if credentials is not None else None

