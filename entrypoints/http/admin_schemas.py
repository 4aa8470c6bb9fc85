"""The admin API's request and response schemas (SPEC §6)."""

from __future__ import annotations

from entrypoints.http.schema_types import (
    TEXT,
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
)
from entrypoints.http.schemas import STATUSES

_names = obj({}, (), extra=string())
_doctor_id = {"type": ["string", "integer"], "maxLength": 64,
              "description": "The platform's doctor id: a whole number or letters, digits, - and _"}
_doctor_fields = {
    "id": _doctor_id, "first_name": string(min_length=1), "last_name": string(min_length=1),
    "specialization": string(), "rating": {"type": ["number", "string", "null"], "maxLength": 16,
                                           "description": "From 0 to 5, at most 2 decimals"},
    "is_active": boolean(), "photo_url": string(TEXT, description="Any other text field is kept "
                                                                   "on the card too"),
}
_admin_gateway = {
    "name": string(32), "display_name": string(), "is_active": boolean(),
    "min_amount": money_out(), "max_amount": money_out(),
    "commission_type": string(16, enum=("percentage", "fixed", "combined")),
    "commission_percentage": number(), "commission_fixed": money_out(),
    "default_currency": string(8), "currencies": array(string(8)),
}
_settings = {
    "currency": string(8), "enable_billing": boolean(), "maintenance_mode": boolean(),
    "free_views_per_day": integer(0), "free_views_for_new_users": integer(0),
    "new_user_days": integer(0), "min_wallet_topup": money_out(),
    "max_wallet_balance": money_out(), "max_debits_per_hour": nullable(integer(0)),
    "daily_spending_limit": nullable(money_out()),
}
_rule = {
    "service_type": string(64), "service_name": string(), "service_names": _names,
    "price": money_out(), "currency": string(8), "discount_percentage": number(),
    "min_quantity_for_discount": integer(0), "is_active": boolean(),
}
_rule_changes = {
    "price": money_in(), "discount_percentage": {"type": ["number", "string"], "maxLength": 16},
    "min_quantity_for_discount": integer(0, 1_000_000), "is_active": boolean(),
    "service_name": string(), "service_names": _names,
}
_wallet = {"user_id": string(128), "currency": string(8), "balance": money_out(),
           "is_blocked": boolean(), "created_at": timestamp()}
_payment = {
    "id": uuid_string(), "reference_number": string(64), "user_id": string(128),
    "gateway": string(32), "amount": money_out(), "commission": money_out(),
    "total_amount": money_out(), "currency": string(8), "status": string(16, enum=STATUSES),
    "payment_type": string(32), "description": string(TEXT), "created_at": timestamp(),
    "expires_at": timestamp(), "completed_at": timestamp(optional=True),
    "cancelled_at": timestamp(optional=True),
}

ADMIN: dict[str, S] = {
    "AdminGateway": obj(_admin_gateway),
    "AdminGatewayList": success(gateways=array(ref("AdminGateway"))),
    "AdminGatewayResponse": success(gateway=ref("AdminGateway")),
    "GatewayChanges": obj({
        "display_name": string(), "is_active": boolean(), "min_amount": money_in(),
        "max_amount": money_in(),
        "commission_type": string(16, enum=("percentage", "fixed", "combined")),
        "commission_percentage": {"type": ["number", "string"], "maxLength": 16},
        "commission_fixed": money_in()}, ()),
    "BillingSettings": success(settings=obj(_settings)),
    "SettingsChanges": obj({
        "enable_billing": boolean(), "maintenance_mode": boolean(),
        "free_views_per_day": integer(0, 1_000_000), "free_views_for_new_users": integer(0, 1_000_000),
        "new_user_days": integer(0, 1_000_000), "min_wallet_topup": money_in(),
        "max_wallet_balance": money_in(), "max_debits_per_hour": integer(0, 1_000_000),
        "daily_spending_limit": money_in()}, ()),
    "AdminRule": obj(_rule),
    "AdminRuleList": success(billing_rules=array(ref("AdminRule"))),
    "AdminRuleResponse": success(rule=ref("AdminRule")),
    "RuleCreate": obj({"service_type": string(64, min_length=1), "currency": string(8),
                       **_rule_changes}, ("service_type", "price")),
    "RuleChanges": obj(_rule_changes, ()),
    "AdminWallets": success(user_id=string(128), wallets=array(obj(_wallet))),
    "Adjustment": obj({"amount": money_in("Signed amount: positive credits, negative debits"),
                       "currency": string(8), "reason": string(TEXT, min_length=1, multiline=True)},
                      ("amount", "reason")),
    "AdjustmentResult": success(wallet=obj(_wallet), transaction_id=uuid_string()),
    "AdminPayments": success(payments=array(obj(_payment)), pagination=ref("Pagination")),
    "AdminPayment": success(payment=obj(_payment)),
    "PaymentLogs": success(logs=array(obj({
        "id": uuid_string(), "type": string(32), "created_at": timestamp(),
        "message": string(TEXT), "http_status": nullable(integer()), "payload": string(65_536)}))),
    "DoctorCard": obj({
        "id": _doctor_id, "first_name": string(), "last_name": string(),
        "specialization": string(), "rating": nullable(number("From 0 to 5")),
        "is_active": boolean("Admin answers only: inactive doctors are not shown to users")},
        ("id", "first_name", "last_name"), extra=string(TEXT)) | {
        "description": "A doctor's card; other text fields of the card (photo_url, phone, ...) "
                       "appear beside the named ones"},
    "DoctorCreate": obj(_doctor_fields, ("id", "first_name", "last_name")) | {"examples": [
        {"id": 1, "first_name": "John", "last_name": "Doe", "specialization": "Cardiologist",
         "rating": 4.8, "photo_url": "https://cdn.example/doctors/1.jpg"}]},
    "DoctorChanges": obj(_doctor_fields, ()) | {
        "description": "Only the fields given change; an extra text field set to null is removed"},
    "DoctorList": success(doctors=array(ref("DoctorCard")), pagination=ref("Pagination")),
    "DoctorResponse": success(doctor=ref("DoctorCard")),
    "Deleted": success(deleted=boolean()),
}
