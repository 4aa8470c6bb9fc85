"""``console_rules(context)``: the console's routes, for ``make_app`` to add to the API's.

The page modules are imported when the rules are built: they import the HTTP edge's modules,
which import this one (``make_app``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import tornado.web

from entrypoints.console.session import SessionKeys

if TYPE_CHECKING:
    from entrypoints.http.context import HttpContext

USER = r"([^/]+)"


def console_rules(context: HttpContext) -> list[Any]:
    """The console's pages and its stylesheet, sessions signed with the service's secret."""
    from entrypoints.console import actions, pages, signin
    from entrypoints.console.base import ROOT, STATIC

    table: tuple[tuple[str, type[tornado.web.RequestHandler]], ...] = (
        ("", pages.DashboardHandler),
        ("sign-in/", signin.SignInHandler),
        ("sign-in/link/", signin.LinkSignInHandler),
        ("sign-out/", signin.SignOutHandler),
        ("payments/", pages.PaymentsHandler),
        ("payments/([^/]+)/", pages.PaymentHandler),
        ("payments/([^/]+)/refund/", actions.RefundAction),
        ("wallets/", pages.WalletsHandler),
        (f"wallets/{USER}/", pages.WalletHandler),
        (f"wallets/{USER}/block/", actions.BlockAction),
        (f"wallets/{USER}/unblock/", actions.UnblockAction),
        (f"wallets/{USER}/adjust/", actions.AdjustAction),
        ("billing/", pages.BillingHandler),
        ("billing/settings/", actions.SettingsAction),
        ("billing/rules/", actions.RuleCreateAction),
        ("billing/rules/([^/]+)/", actions.RuleAction),
        ("gateways/", pages.GatewaysHandler),
        ("gateways/([^/]+)/", actions.GatewayAction),
        ("webhooks/", pages.WebhooksHandler),
        ("webhooks/new/", actions.WebhookCreateAction),  # before the endpoint's page, which it would match
        ("webhooks/([^/]+)/", pages.WebhookHandler),
        ("webhooks/([^/]+)/switch/", actions.WebhookSwitchAction),
        ("webhooks/([^/]+)/delete/", actions.WebhookDeleteAction),
        ("events/([^/]+)/resend/", actions.ResendAction),
        ("doctors/", pages.DoctorsHandler),
        ("doctors/new/", actions.DoctorCreateAction),
        ("doctors/([^/]+)/edit/", actions.DoctorEditAction),
        ("doctors/([^/]+)/remove/", actions.DoctorRemoveAction),
        ("api-keys/", pages.ApiKeysHandler),
        ("api-keys/new/", actions.ApiKeyCreateAction),
        ("api-keys/([^/]+)/revoke/", actions.ApiKeyRevokeAction),
    )
    config = context.config
    arguments = {"context": context, "keys": SessionKeys(config.session_secret or config.jwt_secret)}
    rules: list[Any] = [tornado.web.url(f"{ROOT}{path}$", handler, arguments) for path, handler in table]
    rules.append(tornado.web.url(f"{ROOT}static/(.*)", tornado.web.StaticFileHandler, {"path": str(STATIC)}))
    return rules
