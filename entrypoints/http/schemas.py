"""The public API's request and answer shapes, in the seeds' shapes (the OpenAPI components)."""

from __future__ import annotations

from decimal import Decimal

from domain.money import Currency
from domain.payments import CommissionType
from domain.payments import PaymentStatus as Status
from entrypoints.http.schema_types import SHORT, TEXT, URL
from entrypoints.http.wire import (
    COMPONENTS,
    SUCCESS,
    Spec,
    absent,
    amount,
    answer,
    choice,
    flag,
    many,
    mapping,
    moment,
    money,
    nullable,
    number,
    one,
    request,
    row,
    spread,
    success,
    text,
    text_or_whole,
    uuid,
    web_url,
    whole,
    with_default,
)

GATEWAY = text(32, description="Gateway name: click, payme, uzcard, humo, medogram, sandbox")
CURRENCY = text(8, description="UZS, USD, EUR, RUB or IRR (default: the gateway's or service's)")
CODE = choice(Currency, 8, listed=False)


GATEWAY_ROW = {
    "name": text(32), "display_name": text(), "is_active": flag(), "min_amount": money(),
    "max_amount": money(), "commission_type": choice(CommissionType, 16),
    "commission_percentage": number(), "commission_fixed": money(), "default_currency": CODE,
}
_new_payment = {
    "amount": money(), "total_amount": money(), "commission": money(),
    "status": choice(Status, 16), "gateway": text(), "payment_url": text(URL),
    "expires_at": moment(),
}
_transaction = {
    "id": uuid(), "type": text(8, enum=("credit", "debit")), "amount": money(),
    "balance_before": money(), "balance_after": money(), "description": text(TEXT),
    "status": text(16), "created_at": moment(), "refunded_amount": nullable(money()),
}
_crazyminer = {
    "transaction_id": uuid(), "status": choice(Status, 16), "status_display": text(),
    "amount": money(), "gateway_tracking_code": text(), "created_at": moment(),
    "completed_at": nullable(moment()), "payment_url": text(URL),
}

Error = answer("Error", {
    "success": Spec(bool, {"type": "boolean", "const": False}, default=False),
    "error": text(TEXT), "code": text(64), "field": text(), "request_id": text(128),
    "current_balance": money(), "required_amount": money()},
    required=("success", "error", "code"), extra=True)
Pagination = answer("Pagination", {
    "page": whole(1), "per_page": whole(1, 100), "total_count": whole(0), "total_pages": whole(0),
    "has_next": flag(), "has_previous": flag()})
Gateway = answer("Gateway", GATEWAY_ROW)
GatewayList = success("GatewayList", gateways=many(Gateway))
GatewayProbe = row("GatewayProbe", {
    "gateway": text(), "name": text(32), "available": flag(), "message": text(TEXT),
    "response_time": number("seconds")})
GatewayStatusList = success("GatewayStatusList", gateways=many(GatewayProbe), timestamp=moment())

CreatePaymentRequest = request("CreatePaymentRequest", {
    "gateway": GATEWAY, "amount": amount(), "currency": CURRENCY, "callback_url": web_url(),
    "return_url": web_url(), "description": text(TEXT, multiline=True),
}, required=("gateway", "amount"), examples=(
    {"gateway": "click", "amount": Decimal("50000.00"),
     "callback_url": "https://example.com/payment/callback"},))
NewPayment = row("NewPayment", {"id": uuid(), **_new_payment})
NewTopup = row("NewTopup", {"id": uuid(), "reference_number": text(64), **_new_payment},
               required=("id", *_new_payment, "reference_number"))  # as the document lists it
CreatedPayment = success("CreatedPayment", payment=one(NewPayment))
TopupPayment = success("TopupPayment", payment=one(NewTopup))
ReceiptRow = row("FiscalReceipt", {
    "type": text(8, enum=("sale", "refund")), "qr_code_url": text(512), "fiscal_sign": text(512),
    "terminal_id": text(512), "receipt_id": text(512), "status_code": text(32),
    "registered_at": moment()})
PaymentState = row("PaymentState", {
    "id": uuid(), "reference_number": text(64), "status": choice(Status, 16),
    "status_display": text(), "amount": money(), "gateway": text(32), "created_at": moment(),
    "completed_at": nullable(moment()), "fiscal_receipts": many(ReceiptRow)})
PaymentStatus = success("PaymentStatus", payment=one(PaymentState))
PaymentReturn = success("PaymentReturn", payment_id=uuid(), status=choice(Status, 16))
Message = success("Message", message=text(TEXT))
HistoryItem = row("HistoryItem", {
    "id": uuid(), "reference_number": text(64), "amount": money(), "status": choice(Status, 16),
    "status_display": text(), "created_at": moment()})
PaymentHistory = COMPONENTS["PaymentHistory"] = many(HistoryItem)

EstimateRequest = request("EstimateRequest", {
    "gateway": GATEWAY, "amount": amount(), "currency": CURRENCY}, required=("gateway", "amount"),
    examples=({"gateway": "click", "amount": Decimal("50000.00")},))
EstimateBody = row("EstimateBody", {
    "amount": money(), "commission": money(), "total_amount": money(), "gateway": text(),
    "commission_percentage": number(), "commission_fixed": money()})
Estimate = success("Estimate", estimate=one(EstimateBody))

Transaction = row("Transaction", _transaction)
RecentTransaction = row("RecentTransaction", {
    name: spec for name, spec in _transaction.items() if name != "balance_before"})
WalletSettings = row("WalletSettings", {
    "min_topup": money(), "max_balance": money(), "free_views_per_day": whole(0),
    "enable_billing": flag()})
OtherWallet = row("OtherWallet", {"currency": CODE, "balance": money(), "held_balance": money(),
                                  "is_blocked": flag()})
WalletBody = row("WalletBody", {
    "balance": money(), "held_balance": money(), "total_spent": money(), "total_topped_up": money(),
    "is_blocked": flag(), "today_spending": money(), "recent_transactions": many(RecentTransaction),
    "billing_settings": one(WalletSettings), "other_currencies": many(OtherWallet)})
Wallet = success("Wallet", wallet=one(WalletBody))
Balance = answer("Balance", {"balance": money(), "held_balance": money(), "is_blocked": flag()})
Transactions = success("Transactions", transactions=many(Transaction), pagination=one(Pagination))

RuleRow = row("RuleRow", {
    "service_type": text(64), "service_name": text(), "price": money(),
    "discount_percentage": number(), "min_quantity_for_discount": whole(0),
    "effective_prices": mapping(money())})
RuleSettings = row("RuleSettings", {
    "enable_billing": flag(), "maintenance_mode": flag(), "free_views_per_day": whole(0),
    "free_views_for_new_users": whole(0), "min_wallet_topup": money(),
    "max_wallet_balance": money()})
BillingRules = success("BillingRules", billing_rules=many(RuleRow), settings=one(RuleSettings))

ChargeRequest = request("ChargeRequest", {
    "service_type": text(64), "quantity": with_default(whole(1, 10_000), 1),
    "related_object_id": text_or_whole(64)}, required=("service_type",),
    examples=({"service_type": "doctor_view", "quantity": 1, "related_object_id": 123},))
AccessCheck = success(
    "AccessCheck", can_access=flag(), message=text(TEXT), price=money(), unit_price=money(),
    quantity=whole(1), service_type=text(64), user_balance=money())
ChargeResult = answer("ChargeResult", {
    "success": SUCCESS, "charged": flag(), "service_type": text(64), "quantity": whole(1),
    "transaction_id": absent(uuid()), "amount_charged": absent(money()),
    "balance_after": absent(money()), "description": absent(text(TEXT)),
    "message": absent(text(TEXT))})

WalletSummary = row("WalletSummary", {
    "current_balance": money(), "total_credited": money(), "total_debited": money(),
    "credit_transactions": whole(0), "debit_transactions": whole(0), "net_change": money()})
PaymentSummary = row("PaymentSummary", {
    "total_payments": whole(0), "completed_payments": whole(0), "total_amount": money(),
    "pending_payments": whole(0), "failed_payments": whole(0)})
ServiceSummary = row("ServiceSummary", {
    "doctor_views": whole(0), "doctor_view_charges": money(), "free_doctor_views": whole(0)})
SummaryBody = row("SummaryBody", {
    "period_days": whole(1), "wallet_info": one(WalletSummary),
    "payment_summary": one(PaymentSummary), "service_summary": one(ServiceSummary)})
BillingSummary = success("BillingSummary", summary=one(SummaryBody))
DailyUsageBody = row("DailyUsageBody", {
    "free_views_used": whole(0), "free_views_remaining": whole(0), "paid_views": whole(0),
    "total_views": whole(0), "spending_today": money(), "current_balance": money()})
DailyUsage = success("DailyUsage", daily_usage=one(DailyUsageBody))

DOCTOR_ID = text_or_whole(64, "The platform's doctor id: a whole number or letters, digits, - and _")
DoctorCard = answer("DoctorCard", {
    "extra": spread(text(TEXT)), "id": DOCTOR_ID, "first_name": text(), "last_name": text(),
    "specialization": text(), "rating": nullable(number("From 0 to 5")),
    "is_active": absent(flag("Admin answers only: inactive doctors are not shown to users")),
}, required=("id", "first_name", "last_name"), description=(
    "A doctor's card; other text fields of the card (photo_url, phone, ...) appear beside the "
    "named ones"))
DoctorView = answer("DoctorView", {
    "success": SUCCESS, "doctor": one(DoctorCard), "charged": flag(),
    "amount_charged": nullable(money()), "new_balance": money(), "message": text(TEXT)})

CrazyMinerCreateRequest = request("CrazyMinerCreateRequest", {
    "amount": amount(), "description": text(TEXT, multiline=True)}, required=("amount",),
    examples=({"amount": 100000, "description": "شارژ کیف پول"},))
CrazyMinerCreated = answer("CrazyMinerCreated", {name: _crazyminer[name] for name in (
    "transaction_id", "payment_url", "amount", "status", "status_display")})
CrazyMinerCallbackRequest = request("CrazyMinerCallbackRequest", {
    "trans_id": text_or_whole(SHORT), "id_get": text_or_whole(SHORT),
    "tracking_code": text()}, required=("trans_id", "id_get"))
CrazyMinerCallback = answer("CrazyMinerCallback", {
    "success": flag(), "message": text(TEXT), "transaction_id": uuid(), "tracking_code": text()})
CrazyMinerPayment = answer("CrazyMinerPayment", {
    **_crazyminer, "payment_url": absent(_crazyminer["payment_url"])})
CrazyMinerList = answer("CrazyMinerList", {"count": whole(0), "results": many(CrazyMinerPayment)})
SandboxPress = request("SandboxPress", {"action": text(16, enum=("pay", "cancel"))})
SandboxCallbackRequest = request("SandboxCallbackRequest", {
    "id_get": text(min_length=1), "action": text(16, enum=("pay", "cancel")),
    "signature": text(128, min_length=1)})
WebhookAnswer = answer("WebhookAnswer", {}, required=(), extra=True)
Health = answer("Health", {"status": text(16)})
