"""Payme, outgoing: the checkout link the payer opens, and an availability probe.

Payme needs no create call: the checkout URL carries the merchant, the order and the amount, and
Payme then calls our Merchant API (``adapters.gateways.payme.api``). The link is the checkout host
(``HAMYON_PAYME_CHECKOUT_URL``: production ``https://checkout.paycom.uz/``, sandbox
``https://test.paycom.uz/``) followed by base64 of ``m=<merchant>;ac.order_id=<payment id>;
a=<total in tiyin>;c=<return url>;l=<ru|uz|en>``.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Mapping

import tornado.httpclient

from adapters.gateways.outgoing import return_to
from adapters.gateways.probes import PROBE_TTL, ProbeCache
from domain.errors import GatewayError
from domain.gateways import CheckoutSession, Probe
from domain.money import Currency
from domain.payments import Payment

CHECKOUT_URL = "https://checkout.paycom.uz/"
SANDBOX_CHECKOUT_URL = "https://test.paycom.uz/"
LANGUAGES = ("ru", "uz", "en")
PROBE_TIMEOUT_SECONDS = 3.0


class PaymeGateway:
    name = "payme"

    def __init__(self, merchant_id: str, *, checkout_url: str = CHECKOUT_URL, language: str = "uz",
                 probe_timeout: float = PROBE_TIMEOUT_SECONDS, probe_ttl: float = PROBE_TTL,
                 client: tornado.httpclient.AsyncHTTPClient | None = None, return_base: str = "") -> None:
        if language not in LANGUAGES:
            raise ValueError(f"Payme's checkout speaks {', '.join(LANGUAGES)}, not {language!r}")
        self._merchant_id = merchant_id
        self._return_base = return_base.rstrip("/")
        self._checkout_url = checkout_url.rstrip("/") + "/"
        self._language = language
        self._probe_timeout = probe_timeout
        self._client = client
        # The public status endpoint and the console ask often: one GET per ``probe_ttl`` at most.
        self._probe = ProbeCache(self._probe_now, ttl=probe_ttl)

    async def checkout(self, payment: Payment) -> CheckoutSession:
        """Only a link: the payment stays pending until Payme's CreateTransaction."""
        if payment.currency is not Currency.UZS:
            raise GatewayError("Payme takes payments in UZS only", field="currency")
        return CheckoutSession(self.payment_url(payment))

    def payment_url(self, payment: Payment) -> str:
        fields = [f"m={self._merchant_id}", f"ac.order_id={payment.id}",
                  f"a={payment.total_amount.minor}"]
        back = return_to(payment, self._return_base)
        if back:
            # ';' separates the fields, so a return URL may not carry one unescaped.
            fields.append(f"c={back.replace(';', '%3B')}")
        fields.append(f"l={self._language}")
        encoded = base64.b64encode(";".join(fields).encode("utf-8")).decode("ascii")
        return self._checkout_url + encoded

    async def probe(self) -> Probe:
        """A GET of the checkout host with a short timeout, reused for a few seconds; never raises."""
        return await self._probe()

    async def _probe_now(self) -> Probe:
        client = self._client or tornado.httpclient.AsyncHTTPClient()
        started = time.perf_counter()
        try:
            response = await client.fetch(self._checkout_url, method="GET", raise_error=False,
                                          connect_timeout=self._probe_timeout,
                                          request_timeout=self._probe_timeout, follow_redirects=False)
        except Exception as error:  # a probe reports; it never fails the caller
            return Probe(False, f"Payme is unreachable: {type(error).__name__}",
                         time.perf_counter() - started)
        elapsed = time.perf_counter() - started
        if response.code >= 500 or response.code == 599:
            return Probe(False, f"Payme answered HTTP {response.code}", elapsed)
        return Probe(True, "Service available", elapsed)


def payme_gateway(env: Mapping[str, str], return_base: str = "") -> PaymeGateway | None:
    """The adapter when ``HAMYON_PAYME_MERCHANT_ID`` and ``HAMYON_PAYME_KEY`` are set."""
    if not (env.get("HAMYON_PAYME_MERCHANT_ID") and env.get("HAMYON_PAYME_KEY")):
        return None
    return PaymeGateway(env["HAMYON_PAYME_MERCHANT_ID"],
                        checkout_url=env.get("HAMYON_PAYME_CHECKOUT_URL") or CHECKOUT_URL,
                        return_base=return_base)

