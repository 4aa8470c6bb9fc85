"""What the OpenAPI document tells a newcomer beside the shapes: for each operation (by
``Route.operation_id``) a description (what it does, who may call it, what it changes, the rules
worth knowing) and examples of its request body and success answer.

The examples work as printed on a development server (``hamyon serve``: SQLite, the sandbox
gateway, the seeded billing rules), in the order a session would send them: fund user 42, top up
through the sandbox, charge, hold, then the admin API. ``tests/http/test_openapi_examples.py``
replays them against such a server. Amounts are written as the API writes them (``50000.00``:
exactly the currency's decimals), each answer's amounts beside their ``currency``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

Doc = dict[str, Any]


def uzs(written: str) -> Decimal:
    """An amount as the API writes it (a JSON number with the currency's decimals)."""
    return Decimal(written)


def _doc(description: str, request: Any = None, response: Any = None, *,
         redirect: str = "") -> Doc:
    doc: Doc = {"description": description, "request_example": request, "response_example": response}
    if redirect:
        doc["redirect"] = redirect  # a 303 the operation answers besides its success status
    return doc


USER, ADMIN = "42", "admin-1"
PAYMENT_ID = "9d668834-fc70-4f50-af0a-9a52c0df8ccc"
TOPUP_ID = "f7ccc868-dc02-4ba8-a02b-b35fdf240699"
REFERENCE = "PAY-1768460400-21A66588"
CHARGE_ID = "93b37901-fe48-4d44-bf86-88bef64107a7"
CREDIT_ID = "6903e9c1-77cf-4152-bf78-08d8a87faa84"
HOLD_ID = "3726876c-7705-43fe-91e7-df072a2318d8"
WEBHOOK_ID = "8a6d0348-d32e-4423-88d6-aee5b8cb80ee"
EVENT_ID = "evt_01a24273-6382-7416-9b37-4b7fc76e3204"
API_KEY_ID = "5849ca06-8a2b-42aa-8383-029f3cdfc0a8"
AT, LATER, EXPIRES = "2026-01-15T07:00:00Z", "2026-01-15T07:05:00Z", "2026-01-15T07:30:00Z"
PAGE = {"page": 1, "per_page": 20, "total_count": 1, "total_pages": 1, "has_next": False,
        "has_previous": False}
SANDBOX_URL = f"http://127.0.0.1:8000/sandbox/pay/{PAYMENT_ID}"
RECEIPT = {"type": "sale", "qr_code_url": "https://ofd.soliq.uz/check?t=SANDBOX&s=551621160140",
           "fiscal_sign": "551621160140", "terminal_id": "SANDBOX-TERMINAL",
           "receipt_id": f"SBX-{REFERENCE}", "status_code": "0", "registered_at": AT}
PAYMENT_ROW = {
    "id": PAYMENT_ID, "reference_number": REFERENCE, "user_id": USER, "gateway": "sandbox",
    "amount": uzs("50000.00"), "commission": uzs("0.00"), "total_amount": uzs("50000.00"),
    "currency": "UZS", "status": "completed", "payment_type": "wallet_charge",
    "description": "Wallet top-up", "created_at": AT, "expires_at": EXPIRES, "completed_at": AT,
    "cancelled_at": None}
WALLET_ROW = {"user_id": USER, "currency": "UZS", "balance": uzs("70000.00"), "is_blocked": False,
              "created_at": AT, "held_balance": uzs("0.00")}
GATEWAY_ROW = {
    "name": "sandbox", "display_name": "Sandbox", "is_active": True, "min_amount": uzs("1000.00"),
    "max_amount": uzs("10000000.00"), "commission_type": "percentage", "commission_percentage": 0,
    "commission_fixed": uzs("0.00"), "default_currency": "UZS"}
ADMIN_GATEWAY = {**GATEWAY_ROW, "currencies": ["UZS"]}
SETTINGS_ROW = {
    "currency": "UZS", "enable_billing": True, "maintenance_mode": False, "free_views_per_day": 5,
    "free_views_for_new_users": 5, "new_user_days": 7, "min_wallet_topup": uzs("10000.00"),
    "max_wallet_balance": uzs("1000000.00"), "max_debits_per_hour": None,
    "daily_spending_limit": None, "low_balance_threshold": uzs("10000.00"), "topup_mxik_code": "",
    "topup_package_code": "", "topup_vat_percent": 12, "topup_receipt_title": "", "fiscal_tin": ""}
CONSULTATION = {
    "service_type": "consultation", "service_name": "Konsultatsiya",
    "service_names": {"uz": "Konsultatsiya", "ru": "Консультация", "en": "Consultation",
                      "fa": "مشاوره"},
    "price": uzs("60000.00"), "currency": "UZS", "discount_percentage": 10,
    "min_quantity_for_discount": 3, "is_active": True, "mxik_code": "", "package_code": "",
    "vat_percent": 12}
LAB_REPORT = {
    "service_type": "lab_report", "service_name": "Lab report", "service_names": {"uz": "Lab report"},
    "price": uzs("15000.00"), "currency": "UZS", "discount_percentage": 0,
    "min_quantity_for_discount": 0, "is_active": True, "mxik_code": "", "package_code": "",
    "vat_percent": 12}
DOCTOR = {"photo_url": "https://cdn.example/doctors/123.jpg", "id": 123, "first_name": "Dilnoza",
          "last_name": "Karimova", "specialization": "Cardiologist", "rating": 4.8,
          "is_active": True}
WEBHOOK = {"id": WEBHOOK_ID, "url": "https://platform.example/hamyon/events",
           "events": ["payment.completed"], "description": "Top-ups", "is_active": True,
           "created_at": AT, "updated_at": AT}
SECRET = "whsec_ba4f22187919f1606af9a1090a991176767ac026bb550399"
ROTATED = "whsec_a9e558acfe8cdeba1e6f82f0ff563feaca649a4dc3a4c94e"
PING = {"id": EVENT_ID, "type": "ping", "created_at": AT, "user_id": "",
        "data": {"webhook_id": WEBHOOK_ID}}
API_KEY = {"id": API_KEY_ID, "name": "platform backend", "scopes": ["charges", "holds", "read"],
           "hint": "hk_…9f2fb8ac", "created_at": AT, "last_used_at": None, "revoked_at": None}
WALLETS = {"success": True, "user_id": USER, "wallets": [WALLET_ROW]}
DELETED = {"success": True, "deleted": True}


def hold(status: str, captured: str = "0.00", transaction_id: str | None = None) -> dict[str, Any]:
    return {"id": HOLD_ID, "status": status, "service_type": "consultation",
            "amount": uzs("50000.00"), "captured_amount": uzs(captured), "currency": "UZS",
            "related_object_id": "991", "transaction_id": transaction_id,
            "expires_at": "2026-01-15T08:00:00Z", "created_at": AT}


def held(row: dict[str, Any], balance: str, held_balance: str) -> dict[str, Any]:
    return {"success": True, "hold": row, "balance": uzs(balance),
            "held_balance": uzs(held_balance), "currency": "UZS"}


PAYMENTS: dict[str, Doc] = {
    "get_api_payments_gateways": _doc(
        "The gateways a payer can top up through now, with their limits and commission, for a "
        "platform to build its payment picker. Anyone may call it (no token). A gateway is listed "
        "only while it is active: credentials set and not switched off by an admin; on a "
        "development server that is the sandbox.",
        response={"success": True, "gateways": [GATEWAY_ROW]}),
    "get_api_payments_gateways_status": _doc(
        "Asks each active gateway whether it answers, and how fast, for a status page. Anyone may "
        "call it. It changes nothing; a gateway that does not answer is listed with "
        "`available: false` and the reason, never as an error.",
        response={"success": True, "gateways": [
            {"gateway": "Sandbox", "name": "sandbox", "available": True,
             "message": "Service available", "response_time": 0.0}], "timestamp": AT}),
    "post_api_payments_create": _doc(
        "Opens a top-up of the caller's wallet through a gateway and answers the `payment_url` to "
        "send the payer to. The caller is the user of the bearer token. Nothing is credited yet: "
        "the wallet is credited exactly once, when the gateway confirms the payment (on the "
        "sandbox: when the payer presses Pay on `payment_url`). The amount must lie within the "
        "gateway's `min_amount`..`max_amount` and keep the wallet under the billing setting "
        "`max_wallet_balance` (400 `amount_out_of_range`, `max_balance_exceeded`); the gateway's "
        "commission is added on top. An unpaid payment expires after `HAMYON_PAYMENT_TTL` "
        "seconds (default 30 minutes). An inactive gateway is 404 `gateway_inactive` (in "
        "development with a hint naming the settings that switch it on). Send an "
        "`Idempotency-Key` to make a retry safe.",
        {"gateway": "sandbox", "amount": uzs("50000.00"), "currency": "UZS",
         "return_url": "https://example.com/wallet", "description": "Wallet top-up"},
        {"success": True, "payment": {
            "id": PAYMENT_ID, "amount": uzs("50000.00"), "total_amount": uzs("50000.00"),
            "commission": uzs("0.00"), "status": "processing", "gateway": "Sandbox",
            "payment_url": SANDBOX_URL, "expires_at": EXPIRES, "currency": "UZS"}}),
    "get_api_payments_payment_id_status": _doc(
        "One of the caller's payments as it stands, with its fiscal receipts, for a platform to "
        "show the outcome after the payer returns. A user sees only their own payments (another's "
        "is 404); a platform key with the `read` scope reads those of the user in `Hamyon-User`. "
        "Reading a payment whose time ran out marks it `expired`; nothing else changes. "
        "`status_display` is in the `Accept-Language` language.",
        response={"success": True, "payment": {
            "id": PAYMENT_ID, "reference_number": REFERENCE, "status": "completed",
            "status_display": "yakunlangan", "amount": uzs("50000.00"), "gateway": "sandbox",
            "created_at": AT, "completed_at": AT, "fiscal_receipts": [RECEIPT],
            "currency": "UZS"}}),
    "get_api_payments_payment_id_return": _doc(
        "Where Click and Payme send the payer back from their pages. It answers 303 to the "
        "payment's `return_url` (else `callback_url`) with `payment_id` and `status` added to "
        "its query, or, when the payment has neither, this JSON. No token: the unguessable "
        "payment id is the key, and the status is only told, never decided, here; the wallet is "
        "credited by the gateway's own confirmation.",
        response={"success": True, "payment_id": PAYMENT_ID, "status": "completed"},
        redirect="To the payment's return URL with `payment_id` and `status` in its query"),
    "post_api_payments_payment_id_cancel": _doc(
        "Cancels one of the caller's payments that is still `pending` or `processing`, so a late "
        "confirmation credits nothing. A final payment (completed, failed, cancelled, expired, "
        "refunded) is 409 `invalid_state_transition`; another user's payment is 404. The body is "
        "empty or `{}`. Writes a `payment.cancelled` event.",
        {}, {"success": True, "message": "To'lov muvaffaqiyatli bekor qilindi"}),
    "get_api_payments_history": _doc(
        "The caller's top-up payments, newest first, a page at a time (`page`, `per_page`); the "
        "total count across pages is in `X-Total-Count`. The body is a bare JSON array, as the "
        "Medical-consultation seed has it. A platform key with the `read` scope reads the history "
        "of the user in `Hamyon-User`. Read only.",
        response=[{"id": PAYMENT_ID, "reference_number": REFERENCE, "amount": uzs("50000.00"),
                   "status": "completed", "status_display": "yakunlangan", "created_at": AT,
                   "currency": "UZS"}]),
    "post_api_payments_estimate": _doc(
        "What a top-up of `amount` through `gateway` would cost: the gateway's commission and the "
        "total the payer pays. The caller is the user of the token (the amount is checked against "
        "their wallet's currency). Nothing is created or reserved; an inactive or unknown gateway "
        "is 404, an amount outside the gateway's limits 400.",
        {"gateway": "sandbox", "amount": uzs("50000.00"), "currency": "UZS"},
        {"success": True, "estimate": {
            "amount": uzs("50000.00"), "commission": uzs("0.00"), "total_amount": uzs("50000.00"),
            "gateway": "Sandbox", "commission_percentage": 0, "commission_fixed": uzs("0.00"),
            "currency": "UZS"}}),
}

WALLET: dict[str, Doc] = {
    "get_api_payments_wallet": _doc(
        "The caller's wallet: balance, the part reserved by holds (`held_balance`, not spendable), the "
        "money that went in (`total_topped_up`) and out (`total_spent`; a hold's own lines, the amount "
        "reserved and given back, are in neither: `total_topped_up − total_spent = balance + "
        "held_balance`), today's spending, the most recent transactions, the billing settings that bind it "
        "and the user's wallets in other currencies. A wallet is created, empty, the first time a user is "
        "seen. `currency` picks the wallet (default: the service's). A platform key with the `read` scope "
        "reads the wallet of the user in `Hamyon-User`. Read only.",
        response={"success": True, "wallet": {
            "balance": uzs("70000.00"), "held_balance": uzs("0.00"), "total_spent": uzs("80000.00"),
            "total_topped_up": uzs("150000.00"), "is_blocked": False,
            "today_spending": uzs("80000.00"),
            "recent_transactions": [
                {"id": CREDIT_ID, "type": "credit", "amount": uzs("50000.00"),
                 "balance_after": uzs("150000.00"), "description": "Hamyon to'ldirish - Sandbox",
                 "status": "completed", "created_at": AT, "refunded_amount": None,
                 "currency": "UZS"}],
            "billing_settings": {"min_topup": uzs("10000.00"), "max_balance": uzs("1000000.00"),
                                 "free_views_per_day": 3, "enable_billing": True, "currency": "UZS"},
            "other_currencies": [], "currency": "UZS"}}),
    "get_api_payments_wallet_balance": _doc(
        "The caller's spendable balance, the amount reserved by holds and whether the wallet is "
        "blocked: the cheap call to make before offering a paid service. A platform key with the "
        "`read` scope reads the balance of the user in `Hamyon-User`. Read only.",
        response={"balance": uzs("70000.00"), "held_balance": uzs("0.00"), "is_blocked": False,
                  "currency": "UZS"}),
    "get_api_payments_wallet_transactions": _doc(
        "The caller's ledger lines, newest first: credits (top-ups, refunds, adjustments) and "
        "debits (charges, holds), each with the balance before and after. Filter by `type`, "
        "`status` and `days` (default 30); pages of `per_page` (at most 100). A charge's line "
        "shows `refunded_amount`, what its refunds gave back (`null` on other lines). A platform "
        "key with the `read` scope reads those of the user in `Hamyon-User`. Read only.",
        response={"success": True, "transactions": [
            {"id": CHARGE_ID, "type": "debit", "amount": uzs("50000.00"),
             "balance_before": uzs("150000.00"), "balance_after": uzs("100000.00"),
             "description": "Konsultatsiya", "status": "completed", "created_at": AT,
             "refunded_amount": uzs("0.00"), "currency": "UZS"}], "pagination": PAGE}),
    "post_api_payments_wallet_topup": _doc(
        "The same top-up as `POST /api/payments/create/`, answered with the payment's "
        "`reference_number` too: open a payment through a gateway, send the payer to "
        "`payment_url`, and the wallet is credited once the gateway confirms. The caller is the "
        "user of the token; the gateway's limits and `max_wallet_balance` apply (400), a blocked "
        "wallet is 403. Send an `Idempotency-Key` to make a retry safe.",
        {"gateway": "sandbox", "amount": uzs("50000.00"), "currency": "UZS",
         "description": "Wallet top-up"},
        {"success": True, "payment": {
            "id": TOPUP_ID, "reference_number": "PAY-1768460400-BE82E639",
            "amount": uzs("50000.00"), "total_amount": uzs("50000.00"), "commission": uzs("0.00"),
            "status": "processing", "gateway": "Sandbox",
            "payment_url": f"http://127.0.0.1:8000/sandbox/pay/{TOPUP_ID}",
            "expires_at": EXPIRES, "currency": "UZS"}}),
}

BILLING: dict[str, Doc] = {
    "get_api_payments_billing_rules": _doc(
        "The price list: every active billing rule (price, volume discount, the unit prices it "
        "gives at a few quantities) and the settings a payer sees (free views per day, top-up "
        "limits). Anyone may call it; names are in the `Accept-Language` language. Read only.",
        response={"success": True, "billing_rules": [
            {"service_type": "consultation", "service_name": "Konsultatsiya",
             "price": uzs("50000.00"), "discount_percentage": 0, "min_quantity_for_discount": 0,
             "effective_prices": {"1": uzs("50000.00")}, "currency": "UZS"}],
            "settings": {"enable_billing": True, "maintenance_mode": False,
                         "free_views_per_day": 3, "free_views_for_new_users": 5,
                         "min_wallet_topup": uzs("10000.00"),
                         "max_wallet_balance": uzs("1000000.00"), "currency": "UZS"}}),
    "post_api_payments_billing_check_access": _doc(
        "What `POST …/billing/charge/` would do with the same body, without doing it: whether "
        "the caller may use the service, what it would cost (0.00 when free) and their balance. "
        "A refusal the charge would make (insufficient balance, a blocked wallet, maintenance, a "
        "limit) is answered here as `can_access: false` with the reason in `message`, not as an "
        "error; an unknown `service_type` is 400. Moves no money. A platform key with the "
        "`charges` scope asks for the user in `Hamyon-User`.",
        {"service_type": "consultation", "quantity": 1},
        {"success": True, "can_access": True, "message": "Mablag' yetarli",
         "price": uzs("50000.00"), "unit_price": uzs("50000.00"), "quantity": 1,
         "service_type": "consultation", "user_balance": uzs("150000.00"), "currency": "UZS"}),
    "post_api_payments_billing_charge": _doc(
        "Charges the caller's wallet for a service by its billing rule, in the spec's order: a "
        "blocked wallet is 403; billing switched off, a doctor already viewed today, the daily "
        "free views (`doctor_view`) or a new user's free views make it free (`charged: false`, "
        "no money moves); maintenance is 503; otherwise the price (with the rule's volume "
        "discount at `quantity`) is debited, or refused with 402 (`current_balance`, "
        "`required_amount`) when the wallet cannot pay, then 429 when an hourly or daily limit "
        "would be passed. A platform key with the `charges` scope charges the user in "
        "`Hamyon-User`. Writes a `charge.succeeded` event; send an `Idempotency-Key` so a retry "
        "never charges twice.",
        {"service_type": "consultation", "quantity": 1},
        {"success": True, "charged": True, "service_type": "consultation", "quantity": 1,
         "transaction_id": CHARGE_ID, "amount_charged": uzs("50000.00"),
         "balance_after": uzs("100000.00"), "description": "Konsultatsiya", "currency": "UZS"}),
    "get_api_payments_billing_summary": _doc(
        "The caller's totals over the last `days` (default 30): credits and debits, top-up "
        "payments by outcome, and doctor views (free and paid). Read only.",
        response={"success": True, "summary": {
            "period_days": 30,
            "wallet_info": {"current_balance": uzs("100000.00"), "total_credited": uzs("150000.00"),
                            "total_debited": uzs("50000.00"), "credit_transactions": 2,
                            "debit_transactions": 1, "net_change": uzs("100000.00"),
                            "currency": "UZS"},
            "payment_summary": {"total_payments": 1, "completed_payments": 1,
                                "total_amount": uzs("50000.00"), "pending_payments": 0,
                                "failed_payments": 0, "currency": "UZS"},
            "service_summary": {"doctor_views": 0, "doctor_view_charges": uzs("0.00"),
                                "free_doctor_views": 0, "currency": "UZS"}}}),
    "get_api_billing_daily_usage": _doc(
        "The caller's doctor views today (the platform's day, `HAMYON_TIMEZONE`): free ones used "
        "and left, paid ones, and today's spending. Read only.",
        response={"success": True, "daily_usage": {
            "free_views_used": 0, "free_views_remaining": 3, "paid_views": 0, "total_views": 0,
            "spending_today": uzs("50000.00"), "current_balance": uzs("100000.00"),
            "currency": "UZS"}}),
    "post_api_payments_billing_holds": _doc(
        "Reserves a service's price when it starts (a consultation), to settle when it ends: the "
        "amount (default: the rule's price for `quantity`) leaves the spendable balance at once "
        "and shows as `held_balance`. Refused as a charge is (402, 403, 503); free quotas do not "
        "apply. An active hold past `expires_at` (`expires_in` seconds, 60 to 604800, default "
        "3600) is released as `expired`. A platform key with the `holds` scope holds for the user "
        "in `Hamyon-User`. Writes `hold.created`; send an `Idempotency-Key`.",
        {"service_type": "consultation", "related_object_id": 991, "expires_in": 3600},
        held(hold("active"), "50000.00", "50000.00")),
    "get_api_payments_billing_holds": _doc(
        "The caller's holds, newest first, optionally of one `status` (active, captured, "
        "released, expired), a page at a time. A platform key with the `holds` scope lists those "
        "of the user in `Hamyon-User`. Reading first expires every one of the user's active "
        "holds whose time ran out, whatever the page or status asked for.",
        response={"success": True, "holds": [hold("active")], "pagination": PAGE}),
    "get_api_payments_billing_holds_hold_id": _doc(
        "One of the caller's holds, with the wallet's balance and held balance. Another user's "
        "hold is 404 `hold_not_found`. Reading expires an active hold whose time ran out.",
        response=held(hold("active"), "50000.00", "50000.00")),
    "post_api_payments_billing_holds_hold_id_capture": _doc(
        "Settles an active hold: `amount` (default: all of it, at most the hold) is charged to "
        "the service, its `transaction_id` kept on the hold, and the rest goes back to the "
        "balance. Once only: a captured, released or expired hold is 409 (`hold_not_active`, "
        "`hold_expired`). A blocked wallet takes no charge, so its hold is not captured (403 "
        "`wallet_blocked`); it can still be released. Writes `hold.captured`; send an "
        "`Idempotency-Key`.",
        {"amount": uzs("30000.00")},
        held(hold("captured", "30000.00", "11a13712-1c37-4c71-9421-82717725cb9d"),
             "70000.00", "0.00")),
    "post_api_payments_billing_holds_hold_id_release": _doc(
        "Gives all of an active hold back to the balance (the service did not take place). Once "
        "only: a hold that is no longer active is 409. The body is empty or `{}`. Writes "
        "`hold.released`; send an `Idempotency-Key`.",
        {}, held(hold("released"), "70000.00", "0.00")),
    "get_api_billing_doctor_doctor_id_view": _doc(
        "A doctor's card, charged as a `doctor_view` of that doctor by the billing rules: the "
        "first distinct doctors of the day (`free_views_per_day`) and a doctor already viewed "
        "today are free, later views are paid (402 when the wallet cannot pay, 403 blocked, 429 "
        "a limit, 503 maintenance). An unknown or inactive doctor is 404 and charges nothing. "
        "This GET moves money: call it once per view. A platform key with the `charges` scope "
        "views for the user in `Hamyon-User`.",
        response={"success": True, "doctor": {k: v for k, v in DOCTOR.items() if k != "is_active"},
                  "charged": False, "amount_charged": uzs("0.00"), "new_balance": uzs("70000.00"),
                  "message": "Xizmatdan bepul foydalanildi", "currency": "UZS"}),
}

CLICK_FORM = {"click_trans_id": "2305981734", "service_id": "12345",
              "click_paydoc_id": "3104289421", "merchant_trans_id": PAYMENT_ID,
              "amount": "51250.00", "error": "0", "error_note": "Success",
              "sign_time": "2026-01-15 12:00:00", "sign_string": "9f1c0c6e8a2b4d7e0b3a5c8d1e4f7a20"}
MEDOGRAM_PAYMENT = {"transaction_id": PAYMENT_ID, "status": "completed",
                    "status_display": "تکمیل شده", "amount": 100000,
                    "gateway_tracking_code": "TRK-778812", "created_at": AT, "completed_at": AT}
MEDOGRAM_CALLBACK = {"success": True, "message": "پرداخت تأیید شد و کیف پول شارژ شد",
                     "transaction_id": PAYMENT_ID, "tracking_code": "TRK-778812"}
SANDBOX_PAGE = ("<!doctype html><html lang=\"uz\"><head><meta charset=\"utf-8\"><title>"
                "To&#x27;lov · Hamyon</title>…</head><body>…</body></html>")

GATEWAYS: dict[str, Doc] = {
    "post_api_payments_click_prepare": _doc(
        "Click's SHOP-API Prepare step, called by Click's servers (no token; the `sign_string` "
        "signs the call with the merchant's secret). It checks the payment named by "
        "`merchant_trans_id` (its total, its state) and opens Click's attempt; nothing is "
        "credited yet.",
        {**CLICK_FORM, "action": "0"},
        {"click_trans_id": "2305981734", "merchant_trans_id": PAYMENT_ID,
         "merchant_prepare_id": 1823740211, "error": 0, "error_note": "Success"}),
    "post_api_payments_click_complete": _doc(
        "Click's SHOP-API Complete step, called by Click's servers (no token; signed like "
        "Prepare). With `error` 0 it credits the wallet exactly once however often it arrives "
        "(a repeat is answered the same) and asks for the fiscal receipt; a negative `error` "
        "cancels the attempt.",
        {**CLICK_FORM, "action": "1", "merchant_prepare_id": "1823740211"},
        {"click_trans_id": "2305981734", "merchant_trans_id": PAYMENT_ID,
         "merchant_confirm_id": 1823740211, "error": 0, "error_note": "Success"}),
    "post_api_payments_payme_webhook": _doc(
        "Payme's Merchant API, called by Payme's servers with Basic auth (no bearer token): "
        "CheckPerformTransaction, CreateTransaction, PerformTransaction (credits the wallet "
        "exactly once), CancelTransaction, CheckTransaction, GetStatement and SetFiscalData. "
        "Amounts are in tiyin; `account.order_id` is the payment's id.",
        {"jsonrpc": "2.0", "id": 1, "method": "CheckPerformTransaction",
         "params": {"amount": 5125000, "account": {"order_id": PAYMENT_ID}}},
        {"jsonrpc": "2.0", "id": 1, "result": {"allow": True}}),
    "post_crazyminer_payment_create": _doc(
        "The CrazyMiner seed's top-up: opens a medogram payment (Iranian rials) for the caller "
        "and answers the gateway's `payment_url`; the wallet is credited when medogram verifies "
        "the payment through the callback. 404 `gateway_inactive` while medogram has no "
        "credentials (`PAYMENT_GATEWAY_URL`, `PAYMENT_API_KEY`), as on a development server; "
        "501 without its adapter, 502 when medogram refuses. Send an `Idempotency-Key`.",
        {"amount": 100000, "description": "شارژ کیف پول"},
        {"transaction_id": PAYMENT_ID, "payment_url": "https://api.medogram.ir/payment/gateway-123-get",
         "amount": 100000, "status": "processing", "status_display": "در حال پردازش"}),
    "post_crazyminer_payment_callback": _doc(
        "medogram's callback, as JSON or a form (no token). Nothing is trusted from it: Hamyon "
        "asks medogram to verify the payment named by `id_get` and credits the wallet once only "
        "then; an unknown `id_get` is 404 and medogram is not asked, a payment medogram does not "
        "verify is 400 `payment_not_verified`, a repeat answers the same success.",
        {"trans_id": PAYMENT_ID, "id_get": "123", "tracking_code": "TRK-778812"},
        MEDOGRAM_CALLBACK),
    "get_crazyminer_payment_callback": _doc(
        "The same callback arriving with the payer's browser, in the query string (`trans_id`, "
        "`id_get`, `tracking_code`): verified with medogram before anything is credited, exactly "
        "as the POST.",
        response=MEDOGRAM_CALLBACK),
    "get_crazyminer_payment_status_transaction_id": _doc(
        "A payment's status by its id, in the CrazyMiner seed's shape (Persian `status_display` "
        "by default). No token: the unguessable id is the key; calls are rate-limited per client "
        "address (429). `payment_url` is present while the payment is still open.",
        response=MEDOGRAM_PAYMENT),
    "get_crazyminer_payment_list": _doc(
        "The caller's payments, newest first, in the CrazyMiner seed's shape: `count` across "
        "pages and one page of `results`. Read only.",
        response={"count": 1, "results": [MEDOGRAM_PAYMENT]}),
    "get_sandbox_pay_payment_id": _doc(
        "The sandbox's hosted checkout page (development only; 404 `sandbox_off` when the "
        "sandbox is off, as in production): the payment's amount, commission and total with Pay "
        "and Cancel buttons, or the finished page once it is final. No token: it is the "
        "`payment_url` a sandbox top-up answers. `lang` (else `Accept-Language`) picks uz, ru or "
        "en. A browser gets errors as pages, other clients as JSON.",
        response=SANDBOX_PAGE),
    "post_sandbox_pay_payment_id": _doc(
        "Pressing Pay (`action=pay`) or Cancel (`action=cancel`) on the sandbox checkout, as a "
        "form (development only; no token). The press becomes a callback signed by the sandbox "
        "and goes through the same verification as a real redirect gateway's: Pay completes the "
        "payment and credits the wallet once (a second press changes nothing), Cancel cancels "
        "it. Then 303 to the payment's return URL (with `payment_id` and `status`), else to "
        "`/sandbox/done/<id>`.",
        {"action": "pay"}),
    "get_sandbox_done_payment_id": _doc(
        "The sandbox's finished page, where a payer lands after Pay or Cancel when the payment "
        "has no return URL (development only; no token). It shows the outcome and changes "
        "nothing.",
        response=SANDBOX_PAGE),
    "post_sandbox_callback": _doc(
        "A signed sandbox callback from outside, as a real gateway would deliver it "
        "(development only; no token): `id_get` is `sbx-<payment id>`, `signature` the sandbox's "
        "HMAC over the fields. A forged signature is 403 and changes nothing; a valid `pay` "
        "credits the wallet once (`result`: credited, then already_credited), `cancel` cancels.",
        {"id_get": f"sbx-{PAYMENT_ID}", "action": "pay",
         "signature": "ba0b9f1b61680346f3ce49bb60a5a05486b520c36e7a0b0ca936fcf1d4b72940"},
        {"success": True, "result": "credited", "transaction_id": PAYMENT_ID,
         "status": "completed"}),
}

ADMIN_API: dict[str, Doc] = {
    "get_api_admin_gateways": _doc(
        "Every gateway row, active or not, with its limits, commission and currencies. Admins "
        "only (a token with `role: admin`). Credentials are never shown.",
        response={"success": True, "gateways": [ADMIN_GATEWAY]}),
    "get_api_admin_gateways_name": _doc(
        "One gateway row by name (click, payme, uzcard, humo, medogram, sandbox). Admins only; "
        "an unknown name is 404.",
        response={"success": True, "gateway": ADMIN_GATEWAY}),
    "patch_api_admin_gateways_name": _doc(
        "Changes a gateway row: only the fields sent change (display name, `is_active`, limits, "
        "commission). Admins only; audited with the admin's id. Switching a gateway on needs its "
        "credentials (409 `gateway_not_configured` without them); one switched off stays off "
        "until switched on here, whatever the settings say.",
        {"display_name": "Sandbox", "max_amount": uzs("5000000.00")},
        {"success": True, "gateway": {**ADMIN_GATEWAY, "max_amount": uzs("5000000.00")}}),
    "get_api_admin_billing_settings": _doc(
        "The billing settings: switches (billing, maintenance), free views, wallet limits, the "
        "hourly and daily limits, the low-balance threshold and the top-up's fiscal codes. "
        "Admins only.",
        response={"success": True, "settings": SETTINGS_ROW}),
    "patch_api_admin_billing_settings": _doc(
        "Changes the billing settings: only the fields sent change, `null` clears an optional "
        "limit. Applies at once in this process and within `HAMYON_CATALOG_TTL` seconds in the "
        "others. Admins only; audited. Fiscal codes are checked (an MXIK code is 17 digits, a TIN "
        "9 or PINFL 14): 400 naming the field.",
        {"free_views_per_day": 5, "low_balance_threshold": uzs("10000.00")},
        {"success": True, "settings": SETTINGS_ROW}),
    "get_api_admin_billing_rules": _doc(
        "Every billing rule, inactive ones too, with its names in every language and its fiscal "
        "codes. Admins only.",
        response={"success": True, "billing_rules": [CONSULTATION]}),
    "post_api_admin_billing_rules": _doc(
        "Adds a billing rule: a `service_type` the platform charges by, its `price` (in the "
        "service's currency unless `currency` is given), an optional volume discount and "
        "names. Admins only; audited. A `service_type` that exists is 400.",
        {"service_type": "lab_report", "price": uzs("15000.00"), "service_name": "Lab report"},
        {"success": True, "rule": LAB_REPORT}),
    "patch_api_admin_billing_rules_service_type": _doc(
        "Changes a billing rule: only the fields sent change. The new price binds charges and "
        "holds made from now on (a hold keeps its amount). Admins only; audited; an unknown "
        "rule is 404.",
        {"price": uzs("60000.00"), "discount_percentage": 10, "min_quantity_for_discount": 3},
        {"success": True, "rule": CONSULTATION}),
    "delete_api_admin_billing_rules_service_type": _doc(
        "Deletes a billing rule: the service can no longer be charged (400 unknown "
        "`service_type`); past charges stay in the ledger. Admins only; audited; an unknown rule "
        "is 404.",
        response=DELETED),
    "get_api_admin_wallets": _doc(
        "Every user's wallets, a page at a time, optionally only users whose id starts with "
        "`search`; the total is in `X-Total-Count` and `pagination`. Admins only. Read only.",
        response={"success": True, "wallets": [WALLET_ROW], "pagination": PAGE}),
    "get_api_admin_wallets_user_id": _doc(
        "A user's wallets (one per currency, or the one of `currency`), with balances and the "
        "blocked flag. Admins only. Read only.",
        response=WALLETS),
    "post_api_admin_wallets_user_id_block": _doc(
        "Blocks all of a user's wallets: their charges, holds and top-ups are refused with 403 "
        "`wallet_blocked` until unblocked; the balance stays. Admins only; audited; writes "
        "`wallet.blocked`. The body is empty or `{}`.",
        {}, {**WALLETS, "wallets": [{**WALLET_ROW, "is_blocked": True}]}),
    "post_api_admin_wallets_user_id_unblock": _doc(
        "Unblocks all of a user's wallets. Admins only; audited; writes `wallet.unblocked`. The "
        "body is empty or `{}`.",
        {}, WALLETS),
    "post_api_admin_wallets_user_id_adjust": _doc(
        "Credits (positive `amount`) or debits (negative) a user's wallet by hand, with a "
        "`reason` kept in the audit log: the way to give a goodwill credit or correct a mistake. "
        "A debit the wallet cannot pay is 402. Admins only; send an `Idempotency-Key` so a retry "
        "never adjusts twice.",
        {"amount": uzs("100000.00"), "currency": "UZS",
         "reason": "Goodwill credit after a failed consultation"},
        {"success": True, "wallet": {k: v for k, v in WALLET_ROW.items() if k != "held_balance"}
         | {"balance": uzs("100000.00")}, "transaction_id": "ac8e26f9-c0a9-4139-bed6-b150651adf3f"}),
    "get_api_admin_payments": _doc(
        "Searches all users' payments by `status`, `gateway` and `user_id`, by when they were "
        "created (`created_from`, `created_to`: days of the platform's time zone or ISO 8601 date "
        "and times, both inclusive; a start after the end is 400 naming `created_from`), and for "
        "one payment by `q`, its id or its reference number (any case), newest first, a page at a "
        "time. A bad filter is 400 naming it. Admins only.",
        response={"success": True, "payments": [PAYMENT_ROW], "pagination": PAGE}),
    "get_api_admin_payments_payment_id": _doc(
        "One payment of any user, with its fiscal receipts. Admins only; an unknown id is 404.",
        response={"success": True, "payment": PAYMENT_ROW, "fiscal_receipts": [RECEIPT]}),
    "post_api_admin_payments_payment_id_refund": _doc(
        "Reverses a completed top-up: its amount leaves the wallet (402 when the wallet no "
        "longer holds it) and the payment becomes `refunded`; the sandbox registers a refund "
        "receipt. Only a completed payment (409 otherwise). Admins only; audited; writes "
        "`payment.refunded`. Send an `Idempotency-Key`.",
        {}, {"success": True, "payment": {**PAYMENT_ROW, "status": "refunded", "cancelled_at": LATER}}),
    "post_api_admin_charges_transaction_id_refund": _doc(
        "Gives back all or part of a charge (a captured hold's charge too) to the wallet that "
        "paid, as a credit with a `reason`: `amount` defaults to what is left of the charge. The "
        "refunds of one charge never add up to more than it (409 `refund_exceeds_charge`). "
        "Admins, or a platform key with the `refunds` scope (audited as `api-key:<name>`); "
        "writes `charge.refunded`. Send an `Idempotency-Key`.",
        {"amount": uzs("20000.00"), "reason": "The consultation did not take place"},
        {"success": True, "transaction_id": CHARGE_ID,
         "refund_transaction_id": "9bbffe19-25cd-4ba0-9f29-5d183eafbb81",
         "amount": uzs("20000.00"), "refunded_amount": uzs("20000.00"),
         "charge_amount": uzs("50000.00"), "currency": "UZS", "balance_after": uzs("90000.00")}),
    "get_api_admin_payments_payment_id_logs": _doc(
        "A payment's log, decrypted: every state change, gateway call, callback and fiscal step "
        "with its payload, oldest first. Admins only; an unknown id is 404. The log is stored "
        "encrypted with `HAMYON_SECRET_KEY`.",
        response={"success": True, "logs": [
            {"id": "6930a822-9359-4e39-b759-9fce697b2ec5", "type": "state_change",
             "created_at": AT, "message": "created", "http_status": None, "payload": ""},
            {"id": "6eb66491-ba15-4152-80fe-42a1f5a8dc03", "type": "state_change",
             "created_at": AT, "message": "completed; wallet credited", "http_status": None,
             "payload": ""}]}),
    "get_api_admin_doctors": _doc(
        "Hamyon's own doctor directory (used when `HAMYON_DOCTOR_API_URL` is empty), inactive "
        "doctors too, a page at a time. Admins only.",
        response={"success": True, "doctors": [DOCTOR], "pagination": PAGE}),
    "post_api_admin_doctors": _doc(
        "Adds a doctor to the directory, so `GET /api/billing/doctor/<id>/view/` can show and "
        "charge for the card. `id` is the platform's doctor id (a whole number or letters, digits, "
        "- and _); any other text field (photo_url, phone, …) is kept on the card. Admins only; "
        "audited (field names only, never values); an id that exists is 400.",
        {"id": 123, "first_name": "Dilnoza", "last_name": "Karimova",
         "specialization": "Cardiologist", "rating": 4.8,
         "photo_url": "https://cdn.example/doctors/123.jpg"},
        {"success": True, "doctor": DOCTOR}),
    "patch_api_admin_doctors_doctor_id": _doc(
        "Changes a doctor's card: only the fields sent change; an extra text field set to `null` "
        "is removed; `is_active: false` hides the doctor from users (404 on view). Admins only; "
        "audited; an unknown doctor is 404.",
        {"specialization": "Cardiology", "rating": 4.9},
        {"success": True, "doctor": {**DOCTOR, "specialization": "Cardiology", "rating": 4.9}}),
    "delete_api_admin_doctors_doctor_id": _doc(
        "Removes a doctor from the directory; past views stay in the usage records. Admins only; "
        "audited; an unknown doctor is 404.",
        response=DELETED),
    "post_api_admin_api_keys": _doc(
        "Creates a platform key for the platform's own backend: `Authorization: Bearer hk_…` "
        "then acts for the user named in `Hamyon-User` on the routes of its scopes (`charges`: "
        "check-access, charge, doctor views; `holds`; `refunds`: charge refunds; `read`: wallet, "
        "balance, transactions, payment status, history); anything else is 403 `scope_missing`. "
        "The key is in this answer only: Hamyon keeps its SHA-256. Admins only; audited.",
        {"name": "platform backend", "scopes": ["charges", "holds", "read"]},
        {"success": True, "api_key": API_KEY,
         "key": "hk_sk9RTJmKkihvqxsnbUnKnTHpO47Z3uzyegxkAp5xDKE"}),
    "get_api_admin_api_keys": _doc(
        "The platform keys, revoked ones too: name, scopes, a hint of the key, when it was "
        "created, last used (to the minute) and revoked. Never the key itself. Admins only.",
        response={"success": True, "api_keys": [API_KEY]}),
    "delete_api_admin_api_keys_api_key_id": _doc(
        "Revokes a platform key at once: its next request is 401 in every process. The key stays "
        "listed with `revoked_at`. Admins only; audited; an unknown id is 404.",
        response={"success": True, "api_key": {**API_KEY, "revoked_at": LATER}}),
}

WEBHOOKS: dict[str, Doc] = {
    "get_api_admin_webhooks": _doc(
        "The platform's webhook endpoints, without their secrets. Admins only.",
        response={"success": True, "webhooks": [WEBHOOK]}),
    "post_api_admin_webhooks": _doc(
        "Adds an endpoint Hamyon posts events to (`events`: types, or `*` for all), signed with "
        "the `secret` in this answer only (`Hamyon-Signature`, see the document's webhooks). "
        "Delivery is at least once, retried for 3 days. `http` or `https`; in production only "
        "`https` to a public address. Admins only; audited.",
        {"url": "https://platform.example/hamyon/events", "events": ["payment.completed"],
         "description": "Top-ups"},
        {"success": True, "webhook": {**WEBHOOK, "secret": SECRET}}),
    "get_api_admin_webhooks_webhook_id": _doc(
        "One webhook endpoint, without its secret. Admins only; an unknown id is 404.",
        response={"success": True, "webhook": WEBHOOK}),
    "patch_api_admin_webhooks_webhook_id": _doc(
        "Changes an endpoint's `url`, `events`, `description` or `is_active` (an inactive one "
        "receives nothing): only the fields sent change. Admins only; audited; an unknown id is "
        "404.",
        {"events": ["payment.completed", "charge.succeeded"], "is_active": True},
        {"success": True, "webhook": {**WEBHOOK, "events": ["payment.completed", "charge.succeeded"],
                                      "updated_at": LATER}}),
    "delete_api_admin_webhooks_webhook_id": _doc(
        "Removes an endpoint and its deliveries; nothing more is sent to it. Admins only; "
        "audited; an unknown id is 404.",
        response=DELETED),
    "post_api_admin_webhooks_webhook_id_rotate_secret": _doc(
        "Gives an endpoint a new secret, in this answer only; the old one keeps signing beside it "
        "(a second `v1` in `Hamyon-Signature`) for 24 hours, so the receiver can switch without "
        "missing an event; a secret replaced by an earlier rotation keeps signing to the end of "
        "its own 24 hours. Admins only; audited; an unknown id is 404.",
        None, {"success": True, "webhook": {**WEBHOOK, "updated_at": LATER, "secret": ROTATED}}),
    "post_api_admin_webhooks_webhook_id_ping": _doc(
        "Queues a `ping` event for this endpoint only, to test the receiver; the background jobs "
        "deliver it. Admins only; an unknown id is 404.",
        None, {"success": True, "event": PING}),
    "get_api_admin_webhooks_webhook_id_deliveries": _doc(
        "This endpoint's deliveries, newest first: the event, the attempt, the HTTP status and "
        "duration, the error and the next retry. Admins only; an unknown id is 404.",
        response={"success": True, "deliveries": [
            {"id": "ea947e5d-de0d-4db6-8623-64fc1ac3bfc0", "event_id": EVENT_ID,
             "event_type": "ping", "status": "pending", "attempt": 0, "http_status": None,
             "duration_ms": None, "error": "", "next_attempt_at": AT, "created_at": AT,
             "updated_at": AT}], "pagination": PAGE}),
    "get_api_admin_events": _doc(
        "Events, newest first, of one `type` or `user_id` if given: every business change "
        "writes one in the same transaction as the change. Admins only.",
        response={"success": True, "events": [PING], "pagination": PAGE}),
    "get_api_admin_events_event_id": _doc(
        "One event as it is delivered (the POST body an endpoint receives). Admins only; an "
        "unknown id is 404.",
        response={"success": True, "event": PING}),
    "post_api_admin_events_event_id_resend": _doc(
        "Queues an event again for every active endpoint subscribed to its type (`deliveries`: "
        "how many), with the same `Hamyon-Event-Id` so receivers can deduplicate. An endpoint "
        "that still has the event pending (being sent, or waiting for its retry) gets no second "
        "delivery of it. Admins only; audited; an unknown id is 404.",
        None, {"success": True, "event_id": EVENT_ID, "deliveries": 1}),
}

OPERATIONS: dict[str, Doc] = {
    "get_healthz": _doc(
        "Liveness: the process answers. Anyone may call it; it reads nothing.",
        response={"status": "ok"}),
    "get_readyz": _doc(
        "Readiness: the storage answers a query. Anyone may call it; 503 with "
        "`{\"status\": \"unavailable\"}` while it does not (the reason is logged).",
        response={"status": "ok"}),
    "get_openapi.json": _doc(
        "This document, generated from the route table the server serves (an operation cannot "
        "be served undocumented). Anyone may call it.",
        response={"openapi": "3.1.0", "info": {"title": "Hamyon", "version": "0.1.0"},
                  "paths": {}}),
    "get_docs": _doc(
        "Swagger UI over this document, from the installed swagger-ui-bundle (no external "
        "assets); a plain page linking `/openapi.json` when it is not installed. Anyone may call "
        "it.",
        response="<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Hamyon "
                 "API</title>…</head><body><div id=\"swagger-ui\"></div>…</body></html>"),
    "get_docs_asset": _doc(
        "Swagger UI's own files (swagger-ui.css, swagger-ui-bundle.js, "
        "swagger-ui-standalone-preset.js, the favicons); any other name is 404. Anyone may call "
        "it; cached for a day.",
        response=".swagger-ui{color:#3b4151;…}"),
    "get_metrics": _doc(
        "Prometheus metrics: requests by route and status, their durations, webhook deliveries "
        "and how far behind delivery is. Anyone who can reach it may call it: keep it off the "
        "public network (or serve it on `--metrics-port`).",
        response="# HELP hamyon_http_requests_total HTTP requests answered\n"
                 "# TYPE hamyon_http_requests_total counter\n"
                 "hamyon_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1.0\n"),
}

DOCS: dict[str, Doc] = {**PAYMENTS, **WALLET, **BILLING, **GATEWAYS, **ADMIN_API, **WEBHOOKS,
                        **OPERATIONS}

ERROR_EXAMPLES: dict[int, dict[str, Any]] = {
    400: {"success": False, "error": "amount must be a number or a numeric string",
          "code": "invalid_amount", "field": "amount"},
    401: {"success": False, "error": "Invalid token", "code": "unauthorized"},
    402: {"success": False, "error": "Insufficient balance", "code": "insufficient_balance",
          "current_balance": uzs("20000.00"), "required_amount": uzs("50000.00"), "currency": "UZS"},
    403: {"success": False, "error": "Wallet is blocked", "code": "wallet_blocked"},
    404: {"success": False, "error": "Payment not found", "code": "payment_not_found"},
    409: {"success": False, "error": "Idempotency-Key was already used with another request",
          "code": "idempotency_conflict"},
    413: {"success": False, "error": "Request body must be at most 65536 bytes",
          "code": "body_too_large"},
    429: {"success": False, "error": "Hourly charge limit reached",
          "code": "billing_limit_exceeded", "limit": "max_debits_per_hour"},
    500: {"success": False, "error": "Internal server error", "code": "internal_error",
          "request_id": "6339d2684f23d19f6911a33b3f9f6f95"},
    501: {"success": False, "error": "The medogram gateway is not configured",
          "code": "gateway_not_implemented"},
    502: {"success": False, "error": "Payment gateway error", "code": "gateway_error",
          "gateway": "click"},
    503: {"success": False, "error": "Billing is under maintenance", "code": "billing_maintenance"},
}
