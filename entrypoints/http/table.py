"""The route table: every endpoint of both seeds, the admin API and operations, in one list; each
gateway's own endpoints come from the gateway list (``gateways``). ``app.py`` serves it and
``openapi.py`` documents it."""

from __future__ import annotations

from entrypoints.http.gateways import gateway_routes
from entrypoints.http.handlers import admin, billing, payments, system, wallet, webhooks
from entrypoints.http.handlers.doctors import AdminDoctorHandler, AdminDoctorsHandler, DoctorViewHandler
from entrypoints.http.routes import ADMIN, NONE, PAGING, Query, Route
from entrypoints.http.schema_types import integer, string

CURRENCY = Query("currency", string(8), "Wallet currency (default: the service's)")
DAYS = Query("days", integer(1, 3650), "How many days to look back (default 30)")
P, A = "/api/payments", "/api/admin"

_SERVICE: tuple[Route, ...] = (
    # Medical-consultation seed: gateways and payments
    Route("GET", f"{P}/gateways/", payments.GatewaysHandler, "List active payment gateways",
          NONE, response="GatewayList"),
    Route("GET", f"{P}/gateways/status/", payments.GatewayStatusHandler,
          "Probe each active gateway", NONE, response="GatewayStatusList"),
    Route("POST", f"{P}/create/", payments.CreatePaymentHandler, "Create a top-up payment",
          request="CreatePaymentRequest", response="CreatedPayment", status=201,
          errors=(402, 403, 404, 409, 501, 502), idempotent=True),
    Route("GET", f"{P}/{{payment_id}}/status/", payments.PaymentStatusHandler,
          "A payment's status", response="PaymentStatus", errors=(404,)),
    Route("GET", f"{P}/{{payment_id}}/return/", payments.PaymentReturnHandler,
          "The payer's way back from a gateway: 303 to the payment's return (or callback) URL "
          "with payment_id and status in its query", NONE, response="PaymentReturn", errors=(404,),
          media="application/json"),
    Route("POST", f"{P}/{{payment_id}}/cancel/", payments.CancelPaymentHandler,
          "Cancel a pending or processing payment", response="Message", errors=(404, 409),
          idempotent=True),
    Route("GET", f"{P}/history/", payments.PaymentHistoryHandler, "The caller's payments",
          response="PaymentHistory", query=PAGING, headers=("X-Total-Count",)),
    Route("POST", f"{P}/estimate/", payments.EstimateHandler, "Cost of a top-up with commission",
          request="EstimateRequest", response="Estimate", errors=(404,)),
    # wallet
    Route("GET", f"{P}/wallet/", wallet.WalletHandler, "Wallet information", response="Wallet",
          query=(CURRENCY,), tag="wallet"),
    Route("GET", f"{P}/wallet/balance/", wallet.BalanceHandler, "Quick balance check",
          response="Balance", query=(CURRENCY,), tag="wallet"),
    Route("GET", f"{P}/wallet/transactions/", wallet.TransactionsHandler, "Wallet transactions",
          response="Transactions", tag="wallet", query=(
              CURRENCY, Query("type", string(8, enum=("credit", "debit"))),
              Query("status", string(16, enum=("completed", "pending", "failed"))), DAYS, *PAGING)),
    Route("POST", f"{P}/wallet/topup/", wallet.TopupHandler, "Top up the wallet",
          request="CreatePaymentRequest", response="TopupPayment", status=201, tag="wallet",
          errors=(403, 404, 409, 501, 502), idempotent=True),
    # billing
    Route("GET", f"{P}/billing/rules/", billing.BillingRulesHandler, "Service prices and settings",
          NONE, response="BillingRules", tag="billing"),
    Route("POST", f"{P}/billing/check-access/", billing.CheckAccessHandler,
          "What a charge would do, without doing it", request="ChargeRequest",
          response="AccessCheck", tag="billing"),
    Route("POST", f"{P}/billing/charge/", billing.ChargeHandler, "Charge for a service",
          request="ChargeRequest", response="ChargeResult", tag="billing",
          errors=(402, 403, 429, 503), idempotent=True),
    Route("GET", f"{P}/billing/summary/", billing.BillingSummaryHandler, "Billing summary",
          response="BillingSummary", query=(DAYS, CURRENCY), tag="billing"),
    Route("GET", "/api/billing/daily-usage/", billing.DailyUsageHandler, "Today's usage",
          response="DailyUsage", query=(CURRENCY,), tag="billing"),
    Route("GET", "/api/billing/doctor/{doctor_id}/view/", DoctorViewHandler,
          "View a doctor's profile, charged per the billing rules", response="DoctorView",
          tag="billing", errors=(400, 402, 403, 404, 429, 502, 503)),
)

_ADMIN_AND_OPERATIONS: tuple[Route, ...] = (
    # admin
    Route("GET", f"{A}/gateways/", admin.AdminGatewaysHandler, "All gateway rows", ADMIN,
          response="AdminGatewayList", tag="admin"),
    Route("GET", f"{A}/gateways/{{name}}/", admin.AdminGatewayHandler, "One gateway row", ADMIN,
          response="AdminGatewayResponse", tag="admin", errors=(404,)),
    Route("PATCH", f"{A}/gateways/{{name}}/", admin.AdminGatewayHandler, "Change a gateway row",
          ADMIN, request="GatewayChanges", response="AdminGatewayResponse", tag="admin",
          errors=(404,)),
    Route("GET", f"{A}/billing/settings/", admin.AdminSettingsHandler, "Billing settings", ADMIN,
          response="BillingSettings", tag="admin"),
    Route("PATCH", f"{A}/billing/settings/", admin.AdminSettingsHandler, "Change billing settings",
          ADMIN, request="SettingsChanges", response="BillingSettings", tag="admin"),
    Route("GET", f"{A}/billing/rules/", admin.AdminRulesHandler, "All billing rules", ADMIN,
          response="AdminRuleList", tag="admin"),
    Route("POST", f"{A}/billing/rules/", admin.AdminRulesHandler, "Add a billing rule", ADMIN,
          request="RuleCreate", response="AdminRuleResponse", status=201, tag="admin"),
    Route("PATCH", f"{A}/billing/rules/{{service_type}}/", admin.AdminRuleHandler,
          "Change a billing rule", ADMIN, request="RuleChanges", response="AdminRuleResponse",
          tag="admin", errors=(404,)),
    Route("DELETE", f"{A}/billing/rules/{{service_type}}/", admin.AdminRuleHandler,
          "Delete a billing rule", ADMIN, response="Deleted", tag="admin", errors=(404,)),
    Route("GET", f"{A}/wallets/{{user_id}}/", admin.AdminWalletHandler, "A user's wallet", ADMIN,
          response="AdminWallets", query=(CURRENCY,), tag="admin", errors=(400,)),
    Route("POST", f"{A}/wallets/{{user_id}}/block/", admin.AdminBlockHandler,
          "Block all of a user's wallets", ADMIN, response="AdminWallets", tag="admin"),
    Route("POST", f"{A}/wallets/{{user_id}}/unblock/", admin.AdminUnblockHandler,
          "Unblock all of a user's wallets", ADMIN, response="AdminWallets", tag="admin"),
    Route("POST", f"{A}/wallets/{{user_id}}/adjust/", admin.AdminAdjustHandler,
          "Credit or debit a wallet (adjustment)", ADMIN, request="Adjustment",
          response="AdjustmentResult", tag="admin", idempotent=True, errors=(402,)),
    Route("GET", f"{A}/payments/", admin.AdminPaymentsHandler, "Search payments", ADMIN,
          response="AdminPayments", tag="admin", query=(
              Query("status", string(16)), Query("gateway", string(32)),
              Query("user_id", string(128)), *PAGING)),
    Route("POST", f"{A}/payments/{{payment_id}}/refund/", admin.AdminRefundHandler,
          "Refund a completed payment", ADMIN, response="AdminPayment", tag="admin",
          idempotent=True, errors=(402, 404, 409)),
    Route("GET", f"{A}/payments/{{payment_id}}/logs/", admin.AdminPaymentLogsHandler,
          "A payment's log, decrypted", ADMIN, response="PaymentLogs", tag="admin", errors=(404,)),
    Route("GET", f"{A}/doctors/", AdminDoctorsHandler, "The doctor directory table", ADMIN,
          response="DoctorList", tag="admin", query=PAGING),
    Route("POST", f"{A}/doctors/", AdminDoctorsHandler, "Add a doctor", ADMIN,
          request="DoctorCreate", response="DoctorResponse", status=201, tag="admin"),
    Route("PATCH", f"{A}/doctors/{{doctor_id}}/", AdminDoctorHandler, "Change a doctor",
          ADMIN, request="DoctorChanges", response="DoctorResponse", tag="admin", errors=(404,)),
    Route("DELETE", f"{A}/doctors/{{doctor_id}}/", AdminDoctorHandler, "Remove a doctor",
          ADMIN, response="Deleted", tag="admin", errors=(404,)),
    # events to the platform (SPEC §12)
    Route("GET", f"{A}/webhooks/", webhooks.WebhooksHandler, "The platform's webhook endpoints", ADMIN,
          response="WebhookList", tag="webhooks"),
    Route("POST", f"{A}/webhooks/", webhooks.WebhooksHandler,
          "Add a webhook endpoint (its secret is in this answer only)", ADMIN,
          request="WebhookCreate", response="WebhookCreated", status=201, tag="webhooks"),
    Route("GET", f"{A}/webhooks/{{webhook_id}}/", webhooks.WebhookHandler, "One webhook endpoint",
          ADMIN, response="WebhookResponse", tag="webhooks", errors=(404,)),
    Route("PATCH", f"{A}/webhooks/{{webhook_id}}/", webhooks.WebhookHandler,
          "Change a webhook endpoint", ADMIN, request="WebhookChanges", response="WebhookResponse",
          tag="webhooks", errors=(404,)),
    Route("DELETE", f"{A}/webhooks/{{webhook_id}}/", webhooks.WebhookHandler,
          "Remove a webhook endpoint and its deliveries", ADMIN, response="Deleted", tag="webhooks",
          errors=(404,)),
    Route("POST", f"{A}/webhooks/{{webhook_id}}/rotate-secret/", webhooks.WebhookSecretHandler,
          "A new secret; the old one signs beside it for 24 hours", ADMIN,
          response="WebhookCreated", tag="webhooks", errors=(404,)),
    Route("POST", f"{A}/webhooks/{{webhook_id}}/ping/", webhooks.WebhookPingHandler,
          "Queue a ping event for this endpoint only", ADMIN, response="EventQueued",
          tag="webhooks", errors=(404,)),
    Route("GET", f"{A}/webhooks/{{webhook_id}}/deliveries/", webhooks.WebhookDeliveriesHandler,
          "This endpoint's deliveries, newest first", ADMIN, response="DeliveryList",
          tag="webhooks", query=PAGING, errors=(404,)),
    Route("GET", f"{A}/events/", webhooks.EventsHandler, "Events, newest first", ADMIN,
          response="EventList", tag="webhooks", query=(
              Query("type", string(32)), Query("user_id", string(128)), *PAGING)),
    Route("GET", f"{A}/events/{{event_id}}/", webhooks.EventHandler, "One event, as delivered",
          ADMIN, response="EventResponse", tag="webhooks", errors=(404,)),
    Route("POST", f"{A}/events/{{event_id}}/resend/", webhooks.EventResendHandler,
          "Queue an event again for every endpoint subscribed to it", ADMIN, response="Resent",
          tag="webhooks", errors=(404,)),
    # operations
    Route("GET", "/healthz", system.HealthHandler, "Liveness", NONE, response="Health", tag="ops"),
    Route("GET", "/readyz", system.ReadyHandler, "Readiness (storage reachable)", NONE,
          response="Health", tag="ops", errors=(503,)),
    Route("GET", "/openapi.json", system.OpenApiHandler, "This document", NONE, tag="ops"),
    Route("GET", "/docs", system.DocsHandler, "Swagger UI", NONE, tag="ops", media="text/html"),
    Route("GET", "/docs/{asset}", system.DocsAssetHandler, "Swagger UI assets", NONE, tag="ops",
          media="application/octet-stream", errors=(404,)),
    Route("GET", "/metrics", system.MetricsHandler, "Prometheus metrics", NONE, tag="ops",
          media="text/plain"),
)

ROUTES: tuple[Route, ...] = (*_SERVICE, *gateway_routes(), *_ADMIN_AND_OPERATIONS)
