"""The admin API's request and answer shapes (SPEC §6).

The change requests are partial: a field that is not sent does not change, and the admin use
cases read the changes field by field from the body as sent (``ApiHandler.payload``).
"""

from __future__ import annotations

from domain.payments import PaymentStatus, PaymentType
from entrypoints.http.schema_types import TEXT
from entrypoints.http.schemas import CODE, DOCTOR_ID, GATEWAY_ROW, DoctorCard, Pagination, ReceiptRow
from entrypoints.http.wire import (
    Amount,
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
    success,
    text,
    uuid,
    whole,
)

NAMES = mapping(text())
PERCENTAGE = amount("", max_length=16)
COMMISSION_TYPES = ("percentage", "fixed", "combined")
_doctor_fields = {
    "id": DOCTOR_ID, "first_name": text(min_length=1), "last_name": text(min_length=1),
    "specialization": text(),
    "rating": Spec(Amount | None, {"type": ["number", "string", "null"], "maxLength": 16,
                                   "description": "From 0 to 5, at most 2 decimals"}),
    "is_active": flag(),
    "photo_url": text(TEXT, description="Any other text field is kept on the card too"),
}
_codes = {  # a receipt line's codes (SPEC §14)
    "mxik_code": text(17, description="The product (MXIK/IKPU) code: 17 digits"),
    "package_code": text(20, description="The package code: digits"),
    "vat_percent": whole(0, 100)}
_topup_codes = {f"topup_{name}": spec for name, spec in _codes.items()}
_fiscal_settings = {**_topup_codes, "topup_receipt_title": text(63),
                    "fiscal_tin": text(14, description="The merchant's TIN (9 digits) or PINFL (14)")}
_rule_changes = {
    "price": amount(), "discount_percentage": PERCENTAGE,
    "min_quantity_for_discount": whole(0, 1_000_000), "is_active": flag(), "service_name": text(),
    "service_names": NAMES, **_codes,
}

AdminGateway = answer("AdminGateway", {**GATEWAY_ROW, "currencies": many(CODE)})
AdminGatewayList = success("AdminGatewayList", gateways=many(AdminGateway))
AdminGatewayResponse = success("AdminGatewayResponse", gateway=one(AdminGateway))
GatewayChanges = request("GatewayChanges", {
    "display_name": text(), "is_active": flag(), "min_amount": amount(), "max_amount": amount(),
    "commission_type": text(16, enum=COMMISSION_TYPES), "commission_percentage": PERCENTAGE,
    "commission_fixed": amount()}, required=())

SettingsRow = row("SettingsRow", {
    "currency": CODE, "enable_billing": flag(), "maintenance_mode": flag(),
    "free_views_per_day": whole(0), "free_views_for_new_users": whole(0),
    "new_user_days": whole(0), "min_wallet_topup": money(), "max_wallet_balance": money(),
    "max_debits_per_hour": nullable(whole(0)), "daily_spending_limit": nullable(money()),
    "low_balance_threshold": nullable(money()), **_fiscal_settings})
BillingSettings = success("BillingSettings", settings=one(SettingsRow))
SettingsChanges = request("SettingsChanges", {
    "enable_billing": flag(), "maintenance_mode": flag(),
    "free_views_per_day": whole(0, 1_000_000), "free_views_for_new_users": whole(0, 1_000_000),
    "new_user_days": whole(0, 1_000_000), "min_wallet_topup": amount(),
    "max_wallet_balance": amount(), "max_debits_per_hour": whole(0, 1_000_000),
    "daily_spending_limit": amount(), "low_balance_threshold": amount(), **_fiscal_settings},
    required=())

AdminRule = answer("AdminRule", {
    "service_type": text(64), "service_name": text(), "service_names": NAMES, "price": money(),
    "currency": CODE, "discount_percentage": number(), "min_quantity_for_discount": whole(0),
    "is_active": flag(), **_codes})
AdminRuleList = success("AdminRuleList", billing_rules=many(AdminRule))
AdminRuleResponse = success("AdminRuleResponse", rule=one(AdminRule))
RuleCreate = request("RuleCreate", {
    "service_type": text(64, min_length=1), "currency": text(8), **_rule_changes},
    required=("service_type", "price"))
RuleChanges = request("RuleChanges", _rule_changes, required=())

WalletRow = row("WalletRow", {
    "user_id": text(128), "currency": CODE, "balance": money(), "held_balance": absent(money()),
    "is_blocked": flag(),
    "created_at": moment()})
AdminWallets = success("AdminWallets", user_id=text(128), wallets=many(WalletRow))
WalletList = success("WalletList", wallets=many(WalletRow), pagination=one(Pagination))
Adjustment = request("Adjustment", {
    "amount": amount("Signed amount: positive credits, negative debits"), "currency": text(8),
    "reason": text(TEXT, min_length=1, multiline=True)}, required=("amount", "reason"))
AdjustmentResult = success("AdjustmentResult", wallet=one(WalletRow), transaction_id=uuid())

PaymentRow = row("PaymentRow", {
    "id": uuid(), "reference_number": text(64), "user_id": text(128), "gateway": text(32),
    "amount": money(), "commission": money(), "total_amount": money(), "currency": CODE,
    "status": choice(PaymentStatus, 16), "payment_type": choice(PaymentType, 32, listed=False),
    "description": text(TEXT), "created_at": moment(), "expires_at": moment(),
    "completed_at": nullable(moment()), "cancelled_at": nullable(moment())})
AdminPayments = success("AdminPayments", payments=many(PaymentRow), pagination=one(Pagination))
AdminPayment = success("AdminPayment", payment=one(PaymentRow))
AdminPaymentDetail = success("AdminPaymentDetail", payment=one(PaymentRow), fiscal_receipts=many(ReceiptRow))
LogRow = row("LogRow", {
    "id": uuid(), "type": text(32), "created_at": moment(), "message": text(TEXT),
    "http_status": nullable(whole()), "payload": text(65_536)})
PaymentLogs = success("PaymentLogs", logs=many(LogRow))

DoctorCreate = request("DoctorCreate", _doctor_fields, required=("id", "first_name", "last_name"), open=True,
                       examples=({"id": 1, "first_name": "John", "last_name": "Doe",
                                  "specialization": "Cardiologist", "rating": 4.8,
                                  "photo_url": "https://cdn.example/doctors/1.jpg"},))
DoctorChanges = request("DoctorChanges", _doctor_fields, required=(), open=True, description=(
    "Only the fields given change; an extra text field set to null is removed"))
DoctorList = success("DoctorList", doctors=many(DoctorCard), pagination=one(Pagination))
DoctorResponse = success("DoctorResponse", doctor=one(DoctorCard))
Deleted = success("Deleted", deleted=flag())

ChargeRefundRequest = request("ChargeRefundRequest", {
    "amount": amount("Amount to give back (default: what is left of the charge)"),
    "reason": text(TEXT, min_length=1, multiline=True)}, required=("reason",),
    examples=({"amount": 20000, "reason": "The consultation did not take place"},))
ChargeRefunded = success("ChargeRefunded", transaction_id=uuid(), refund_transaction_id=uuid(),
                         amount=money(), refunded_amount=money(), charge_amount=money(), currency=CODE,
                         balance_after=money())
