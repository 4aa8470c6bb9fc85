"""The console's forms: each POST calls the use case the admin API calls, with the signed-in
admin as the actor the audit log names, then goes back to its page with the outcome."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote

from application.webhooks import EventNotFound
from domain.api_keys import SCOPES
from domain.errors import DomainError, GatewayNotFound, RuleNotFound, ValidationError
from entrypoints.console.forms import (
    DOCTOR_FIELDS,
    GATEWAY_FIELDS,
    RULE_FIELDS,
    SETTINGS_FIELDS,
    changes,
    filled,
)
from entrypoints.console.handler import ROOT, ConsoleHandler
from entrypoints.console.pages import DoctorsPage, WebhookPage, WebhooksPage
from entrypoints.http.handlers.admin import user_path
from entrypoints.http.handlers.api_keys import key_id as parse_key_id
from entrypoints.http.handlers.payments import parse_payment_id
from entrypoints.http.handlers.webhooks import endpoint_id as endpoint_id_of
from entrypoints.http.i18n import error_text

Row = TypeVar("Row")


def the_one(rows: Iterable[Row], wanted: Callable[[Row], bool], missing: Callable[[], Exception]) -> Row:
    """The row a form's path names, else ``missing()`` (a 404 page)."""
    found = next((row for row in rows if wanted(row)), None)
    if found is None:
        raise missing()
    return found


class FormHandler(ConsoleHandler):
    def form(self) -> dict[str, str]:
        return {name: (self.get_body_argument(name, "") or "") for name in self.request.body_arguments}

    def changed(self, fields: Mapping[str, Any], current: object) -> dict[str, object]:
        """What the submitted form changes of ``current``."""
        return changes(fields, self.form(), current)


class RefundAction(FormHandler):
    async def post(self, raw_id: str) -> None:
        payment_id = parse_payment_id(raw_id)
        await self.act(lambda: self.hamyon.settlement.refund(payment_id, actor=self.admin_id),
                       f"{ROOT}payments/{payment_id}/", "Payment refunded")


class BlockAction(FormHandler):
    blocked = True
    done = "Wallets blocked"

    async def post(self, user_id: str) -> None:
        owner = user_path(user_id)
        await self.act(lambda: self.hamyon.wallets.set_blocked(owner, self.blocked, actor=self.admin_id),
                       f"{ROOT}wallets/{quote(owner, safe='')}/", self.done)


class UnblockAction(BlockAction):
    blocked = False
    done = "Wallets unblocked"


class AdjustAction(FormHandler):
    async def post(self, user_id: str) -> None:
        owner, form = user_path(user_id), self.form()
        await self.act(lambda: self.hamyon.wallets.adjust(
            owner, form.get("amount", "").strip(), form.get("currency") or None, form.get("reason", ""),
            actor=self.admin_id), f"{ROOT}wallets/{quote(owner, safe='')}/", "Wallet adjusted")


class SettingsAction(FormHandler):
    async def post(self) -> None:
        current = await self.hamyon.admin.settings()
        changed = self.changed(SETTINGS_FIELDS, current)
        await self.act(lambda: self.hamyon.admin.update_settings(changed, actor=self.admin_id),
                       f"{ROOT}billing/", "Settings saved")


class RuleCreateAction(FormHandler):
    async def post(self) -> None:
        form = self.form()
        wanted = {"price": form.get("price", "").strip(), "currency": form.get("currency") or None}
        if form.get("service_name", "").strip():
            wanted["service_name"] = form["service_name"]
        await self.act(lambda: self.hamyon.admin.save_rule(
            form.get("service_type", "").strip(), wanted, actor=self.admin_id, create=True),
            f"{ROOT}billing/", "Rule created")


class RuleAction(FormHandler):
    async def post(self, service_type: str) -> None:
        current = the_one(await self.hamyon.admin.rules(), lambda rule: rule.service_type == service_type,
                          RuleNotFound)
        changed = self.changed(RULE_FIELDS, current)
        await self.act(lambda: self.hamyon.admin.save_rule(service_type, changed, actor=self.admin_id,
                                                           create=False), f"{ROOT}billing/", "Rule saved")


class GatewayAction(FormHandler):
    async def post(self, name: str) -> None:
        current = the_one(await self.hamyon.admin.gateways(), lambda gateway: gateway.name == name,
                          GatewayNotFound)
        changed = self.changed(GATEWAY_FIELDS, current)
        await self.act(lambda: self.hamyon.admin.update_gateway(name, changed, actor=self.admin_id),
                       f"{ROOT}gateways/", "Gateway saved")


class ResendAction(FormHandler):
    async def post(self, event_id: str) -> None:
        if not event_id.startswith("evt_"):
            raise EventNotFound()
        await self.act(lambda: self.hamyon.webhooks.resend(event_id, actor=self.admin_id),
                       f"{ROOT}webhooks/", "Event queued again")


class ApiKeyCreateAction(FormHandler):
    async def post(self) -> None:
        """The key is shown on this answer only (the page is not redirected to, nor kept)."""
        scopes = [scope for scope in self.get_body_arguments("scopes") if scope in SCOPES]
        try:
            created = await self.hamyon.api_keys.create(self.get_body_argument("name", ""), scopes,
                                                        actor=self.admin_id)
        except DomainError as refusal:
            self.redirect_to(f"{ROOT}api-keys/", error=error_text(refusal.message, self.language))
            return
        self.page("api_keys.html", keys=await self.hamyon.api_keys.list(), created=created, scopes=SCOPES)


class ApiKeyRevokeAction(FormHandler):
    async def post(self, raw_id: str) -> None:
        key_id = parse_key_id(raw_id)
        await self.act(lambda: self.hamyon.api_keys.revoke(key_id, actor=self.admin_id),
                       f"{ROOT}api-keys/", "Key revoked")


class WebhookCreateAction(FormHandler, WebhooksPage):
    async def post(self) -> None:
        """The secret is shown on this answer only; a refusal shows the form again (400)."""
        form, events = self.form(), self.get_body_arguments("events")
        try:
            created = await self.hamyon.webhooks.create(form.get("url", ""), events,
                                                        form.get("description", ""), actor=self.admin_id)
        except ValidationError as refusal:
            await self.show(wanted={**form, "events": events}, error=self.refused(refusal))
            return
        await self.show(created=created)


class WebhookSwitchAction(FormHandler):
    async def post(self, raw_id: str) -> None:
        endpoint_id = endpoint_id_of(raw_id)
        on = self.get_body_argument("is_active", "") == "on"
        await self.hamyon.webhooks.update(endpoint_id, {"is_active": on}, actor=self.admin_id)
        self.redirect_to(f"{ROOT}webhooks/{endpoint_id}/",
                         notice="Endpoint switched on" if on else "Endpoint switched off")


class WebhookDeleteAction(FormHandler, WebhookPage):
    async def post(self, raw_id: str) -> None:
        """Only with the confirmation box ticked; else the endpoint's page again (400)."""
        endpoint_id = endpoint_id_of(raw_id)
        if not self.get_body_argument("confirm", ""):
            self.set_status(400)
            await self.show(raw_id, error=self.t("Tick the box to confirm the deletion"))
            return
        await self.hamyon.webhooks.delete(endpoint_id, actor=self.admin_id)
        self.redirect_to(f"{ROOT}webhooks/", notice="Endpoint deleted")


class DoctorCreateAction(FormHandler, DoctorsPage):
    async def post(self) -> None:
        form = self.form()
        try:
            await self.hamyon.doctors.save(form.get("id", ""), filled(DOCTOR_FIELDS, form),
                                           actor=self.admin_id, create=True)
        except ValidationError as refusal:
            await self.show(wanted=form, error=self.refused(refusal))
            return
        self.redirect_to(f"{ROOT}doctors/", notice="Doctor added")


class DoctorEditAction(FormHandler, DoctorsPage):
    async def post(self, doctor_id: str) -> None:
        current = await self.hamyon.doctors.card(doctor_id)
        try:
            await self.hamyon.doctors.save(current.id, self.changed(DOCTOR_FIELDS, current),
                                           actor=self.admin_id, create=False)
        except ValidationError as refusal:
            await self.show(error=self.refused(refusal))
            return
        self.redirect_to(f"{ROOT}doctors/", notice="Doctor saved")


class DoctorRemoveAction(FormHandler):
    async def post(self, doctor_id: str) -> None:
        await self.act(lambda: self.hamyon.doctors.delete(doctor_id, actor=self.admin_id),
                       f"{ROOT}doctors/", "Doctor removed")
