"""The public API's request and response schemas, in the seeds' shapes (OpenAPI components)."""

from __future__ import annotations

from decimal import Decimal

from entrypoints.http.schema_types import (
    SHORT,
    TEXT,
    URL,
    S,
    array,
    boolean,
    integer,
    money_in,
    money_out,
    nullable,
    number,
    obj,
    ref,
    string,
    success,
    timestamp,
    uuid_string,
    web_url,
)

STATUSES = ("pending", "processing", "completed", "failed", "cancelled", "expired", "refunded")
GATEWAY = string(32, description="Gateway name: click, payme, uzcard, humo, medogram, sandbox")
CURRENCY = string(8, description="UZS, USD, EUR, RUB or IRR (default: the gateway's or service's)")

_gateway_row = {
    "name": string(32), "display_name": string(), "is_active": boolean(),
    "min_amount": money_out(), "max_amount": money_out(),
    "commission_type": string(16, enum=("percentage", "fixed", "combined")),
    "commission_percentage": number(), "commission_fixed": money_out(), "default_currency": string(8),
}
_created_payment = {
    "id": uuid_string(), "amount": money_out(), "total_amount": money_out(),
    "commission": money_out(), "status": string(16, enum=STATUSES), "gateway": string(),
    "payment_url": string(URL), "expires_at": timestamp(),
}
_transaction = {
    "id": uuid_string(), "type": string(8, enum=("credit", "debit")), "amount": money_out(),
    "balance_before": money_out(), "balance_after": money_out(), "description": string(TEXT),
    "status": string(16), "created_at": timestamp(),
}
_crazyminer_payment = {
    "transaction_id": uuid_string(), "status": string(16, enum=STATUSES),
    "status_display": string(), "amount": money_out(), "gateway_tracking_code": string(),
    "created_at": timestamp(), "completed_at": timestamp(optional=True),
    "payment_url": string(URL),
}

PUBLIC: dict[str, S] = {
    "Error": obj({"success": {"type": "boolean", "const": False}, "error": string(TEXT),
                  "code": string(64), "field": string(), "request_id": string(128),
                  "current_balance": money_out(), "required_amount": money_out()},
                 ("success", "error", "code"), extra=True),
    "Pagination": obj({"page": integer(1), "per_page": integer(1, 100),
                       "total_count": integer(0), "total_pages": integer(0),
                       "has_next": boolean(), "has_previous": boolean()}),
    "Gateway": obj(_gateway_row),
    "GatewayList": success(gateways=array(ref("Gateway"))),
    "GatewayStatusList": success(
        gateways=array(obj({"gateway": string(), "name": string(32), "available": boolean(),
                            "message": string(TEXT), "response_time": number("seconds")})),
        timestamp=timestamp()),
    "CreatePaymentRequest": obj({
        "gateway": GATEWAY, "amount": money_in(), "currency": CURRENCY,
        "callback_url": web_url(), "return_url": web_url(),
        "description": string(TEXT, multiline=True),
    }, ("gateway", "amount")) | {"examples": [
        {"gateway": "click", "amount": Decimal("50000.00"),
         "callback_url": "https://example.com/payment/callback"}]},
    "CreatedPayment": success(payment=obj(_created_payment)),
    "TopupPayment": success(payment=obj({**_created_payment, "reference_number": string(64)})),
    "PaymentStatus": success(payment=obj({
        "id": uuid_string(), "reference_number": string(64), "status": string(16, enum=STATUSES),
        "status_display": string(), "amount": money_out(), "gateway": string(32),
        "created_at": timestamp(), "completed_at": timestamp(optional=True)})),
    "Message": success(message=string(TEXT)),
    "PaymentHistory": array(obj({
        "id": uuid_string(), "reference_number": string(64), "amount": money_out(),
        "status": string(16, enum=STATUSES), "status_display": string(), "created_at": timestamp()})),
    "EstimateRequest": obj({"gateway": GATEWAY, "amount": money_in(), "currency": CURRENCY},
                           ("gateway", "amount")) | {"examples": [
                               {"gateway": "click", "amount": Decimal("50000.00")}]},
    "Estimate": success(estimate=obj({
        "amount": money_out(), "commission": money_out(), "total_amount": money_out(),
        "gateway": string(), "commission_percentage": number(), "commission_fixed": money_out()})),
    "Wallet": success(wallet=obj({
        "balance": money_out(), "total_spent": money_out(), "total_topped_up": money_out(),
        "is_blocked": boolean(), "today_spending": money_out(),
        "recent_transactions": array(obj({k: v for k, v in _transaction.items()
                                          if k != "balance_before"})),
        "billing_settings": obj({"min_topup": money_out(), "max_balance": money_out(),
                                 "free_views_per_day": integer(0), "enable_billing": boolean()}),
    })),
    "Balance": obj({"balance": money_out(), "is_blocked": boolean()}),
    "Transactions": success(transactions=array(obj(_transaction)), pagination=ref("Pagination")),
    "BillingRules": success(
        billing_rules=array(obj({
            "service_type": string(64), "service_name": string(), "price": money_out(),
            "discount_percentage": number(), "min_quantity_for_discount": integer(0),
            "effective_prices": obj({}, extra=money_out())})),
        settings=obj({"enable_billing": boolean(), "maintenance_mode": boolean(),
                      "free_views_per_day": integer(0), "free_views_for_new_users": integer(0),
                      "min_wallet_topup": money_out(), "max_wallet_balance": money_out()})),
    "ChargeRequest": obj({
        "service_type": string(64), "quantity": integer(1, 10_000),
        "related_object_id": {"type": ["string", "integer"], "maxLength": 64},
    }, ("service_type",)) | {"examples": [
        {"service_type": "doctor_view", "quantity": 1, "related_object_id": 123}]},
    "AccessCheck": success(
        can_access=boolean(), message=string(TEXT), price=money_out(), unit_price=money_out(),
        quantity=integer(1), service_type=string(64), user_balance=money_out()),
    "ChargeResult": obj({
        "success": {"type": "boolean", "const": True}, "charged": boolean(),
        "service_type": string(64), "quantity": integer(1), "transaction_id": uuid_string(),
        "amount_charged": money_out(), "balance_after": money_out(), "description": string(TEXT),
        "message": string(TEXT)}, ("success", "charged", "service_type", "quantity")),
    "BillingSummary": success(summary=obj({
        "period_days": integer(1),
        "wallet_info": obj({"current_balance": money_out(), "total_credited": money_out(),
                            "total_debited": money_out(), "credit_transactions": integer(0),
                            "debit_transactions": integer(0), "net_change": money_out()}),
        "payment_summary": obj({"total_payments": integer(0), "completed_payments": integer(0),
                                "total_amount": money_out(), "pending_payments": integer(0),
                                "failed_payments": integer(0)}),
        "service_summary": obj({"doctor_views": integer(0), "doctor_view_charges": money_out(),
                                "free_doctor_views": integer(0)})})),
    "DailyUsage": success(daily_usage=obj({
        "free_views_used": integer(0), "free_views_remaining": integer(0),
        "paid_views": integer(0), "total_views": integer(0), "spending_today": money_out(),
        "current_balance": money_out()})),
    "DoctorView": obj({
        "success": {"type": "boolean", "const": True}, "doctor": ref("DoctorCard"),
        "charged": boolean(), "amount_charged": nullable(money_out()),
        "new_balance": money_out(), "message": string(TEXT)}),
    "CrazyMinerCreateRequest": obj({"amount": money_in(),
                                    "description": string(TEXT, multiline=True)},
                                   ("amount",)) | {"examples": [
                                       {"amount": 100000, "description": "شارژ کیف پول"}]},
    "CrazyMinerCreated": obj({k: _crazyminer_payment[k] for k in (
        "transaction_id", "payment_url", "amount", "status", "status_display")}),
    "CrazyMinerCallbackRequest": obj({
        "trans_id": {"type": ["string", "integer"], "maxLength": SHORT},
        "id_get": {"type": ["string", "integer"], "maxLength": SHORT},
        "tracking_code": string()}, ("trans_id", "id_get")),
    "CrazyMinerCallback": obj({"success": boolean(), "message": string(TEXT),
                               "transaction_id": uuid_string(), "tracking_code": string()}),
    "CrazyMinerPayment": obj(_crazyminer_payment, optional=("payment_url",)),
    "CrazyMinerList": obj({"count": integer(0), "results": array(ref("CrazyMinerPayment"))}),
    "SandboxPress": obj({"action": string(16, enum=("pay", "cancel"))}),
    "SandboxCallbackRequest": obj({"id_get": string(min_length=1),
                                   "action": string(16, enum=("pay", "cancel")),
                                   "signature": string(128, min_length=1)}),
    "WebhookAnswer": obj({}, (), extra=True),
    "Health": obj({"status": string(16)}),
}
