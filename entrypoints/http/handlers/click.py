"""Click SHOP-API webhooks: ``/api/payments/click/prepare/`` and ``/complete/`` (form-encoded).

Every answer is HTTP 200 with Click's flat JSON, whatever happens:
- a body that is not a readable form (a field sent twice, bytes that are not UTF-8), a wrong
  method or an oversized body: -8 "Error in request from click";
- Click not configured on this server (no ``HAMYON_CLICK_*`` credentials): -1 "SIGN CHECK
  FAILED!", with a note saying why. Without the secret no signature can be checked, and -1 is
  what Click's dashboard reports as a credentials problem, which this is;
- an internal failure: -7 "Failed to update user". Nothing was committed, so Click may retry.
"""

from __future__ import annotations

from typing import Any

import structlog
import tornado.web

from adapters.gateways.click import COMPLETE, PREPARE, ClickError, Step, answer
from entrypoints.http.errors import HttpError
from entrypoints.http.jsonio import encode
from entrypoints.http.request_handler import ApiHandler
from entrypoints.http.routes import NONE, Route

ALWAYS_200 = ("Form-encoded, MD5 sign_string over the raw fields. Every answer is HTTP 200 with Click's "
              "flat JSON {click_trans_id, merchant_trans_id, merchant_prepare_id | merchant_confirm_id, "
              "error, error_note}; a malformed call is error -8, an unconfigured server -1.")
NOT_CONFIGURED = "SIGN CHECK FAILED! Click is not configured on this server"
log = structlog.get_logger("hamyon.click")


class ClickWebhook(ApiHandler):
    step: Step = PREPARE

    async def post(self) -> None:
        form = self._form()
        protocol = self.context.inbound.get("click")
        if form is None:
            result = answer({}, self.step, ClickError.BAD_REQUEST)
        elif protocol is None:
            result = answer(form, self.step, ClickError.SIGN_CHECK_FAILED, note=NOT_CONFIGURED)
        else:
            result = await self._ask(protocol, form)
        # Forged and replayed calls are written down here; never the signature or a secret.
        log.info("click_webhook", request_id=self.request_id, step=self.step.name,
                 click_trans_id=result["click_trans_id"], merchant_trans_id=result["merchant_trans_id"],
                 error=result["error"])
        if self.context.metrics is not None:
            self.context.metrics.webhook("click", result["error"])
        self.reply(result)

    async def _ask(self, protocol: Any, form: dict[str, str]) -> dict[str, Any]:
        try:
            result: dict[str, Any] = await getattr(protocol, self.step.name)(form)
        except Exception:  # Click must get its answer shape, never a 500
            log.exception("click_webhook_failed", request_id=self.request_id, step=self.step.name)
            return answer(form, self.step, ClickError.FAILED_TO_UPDATE_USER)
        return result

    def _form(self) -> dict[str, str] | None:
        """The form's fields, each sent once, as text; None when the body is no such form."""
        form = {}
        for name, values in self.form_arguments().items():
            if len(values) != 1:
                return None
            try:
                form[name] = values[0].decode("utf-8")
            except UnicodeDecodeError:
                return None
        return form

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A refusal before the protocol ran (wrong method, body too large) still answers 200."""
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, (HttpError, tornado.web.HTTPError)):
            status_code = error.status if isinstance(error, HttpError) else error.status_code
        code = ClickError.FAILED_TO_UPDATE_USER if status_code >= 500 else ClickError.BAD_REQUEST
        self.set_status(200)
        self.finish(encode(answer({}, self.step, code)))


class ClickPrepareHandler(ClickWebhook):
    step = PREPARE


class ClickCompleteHandler(ClickWebhook):
    step = COMPLETE


ROUTES = (
    Route("POST", "/api/payments/click/prepare/", ClickPrepareHandler, "Click SHOP-API Prepare", NONE,
          response="WebhookAnswer", tag="webhooks", form=True, description=ALWAYS_200),
    Route("POST", "/api/payments/click/complete/", ClickCompleteHandler, "Click SHOP-API Complete",
          NONE, response="WebhookAnswer", tag="webhooks", form=True, description=ALWAYS_200),
)
