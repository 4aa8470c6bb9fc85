"""The console's URL table: each path below ``/admin/`` and the handler that serves it, in the
order Tornado tries them."""

from __future__ import annotations

import tornado.web

from entrypoints.console import actions, pages, signin

USER = r"([^/]+)"

PAGES: tuple[tuple[str, type[tornado.web.RequestHandler]], ...] = (
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
