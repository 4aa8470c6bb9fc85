"""The sandbox checkout's words in the languages it speaks (uz, ru, en), and how each language
writes an amount and a moment.

The checkout is the (simulated) gateway's own page, as Payme's or Click's hosted page is theirs,
so its words live with it; the API's messages and status names stay in ``entrypoints.http.i18n``.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from domain.money import Money

LANGUAGES = ("uz", "ru", "en")
LANGUAGE_NAMES = {"uz": "O'zbekcha", "ru": "Русский", "en": "English"}
NBSP = "\u00a0"  # keeps "50 000" and "50 000,00 UZS" on one line

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "checkout": "Checkout", "finished": "Payment finished", "test_mode": "Test mode",
        "sandbox": "Sandbox checkout: no real money moves.", "paying_for": "Payment for",
        "topup": "Wallet top-up", "to_pay": "To pay", "amount": "Amount",
        "commission": "Commission", "reference": "Reference", "pay_by": "Pay by",
        "time_left": "{time} left", "hours": "h", "minutes": "min", "status": "Status",
        "pay": "Pay {amount}", "cancel": "Cancel", "back": "Return to {merchant}",
        "languages": "Language",
        "outcome_completed": "Payment successful",
        "lead_completed": "Thank you! {merchant} has received your payment.",
        "outcome_cancelled": "Payment cancelled", "lead_cancelled": "No money was taken.",
        "outcome_failed": "Payment failed", "lead_failed": "No money was taken.",
        "outcome_expired": "Payment expired",
        "lead_expired": "The time to pay ran out; no money was taken.",
        "outcome_refunded": "Payment refunded", "lead_refunded": "The money was returned.",
        "error_404": "Payment not found",
        "lead_404": "This payment link is wrong or no longer works.",
        "error_409": "This payment is already finished",
        "lead_409": "It can no longer be paid or cancelled.", "see_payment": "See the payment",
        "error_400": "The request was not accepted", "lead_400": "Please go back and try again.",
        "error_500": "Something went wrong",
        "lead_500": "Check the payment's status before you try again.",
    },
    "ru": {
        "checkout": "Оплата", "finished": "Оплата завершена", "test_mode": "Тестовый режим",
        "sandbox": "Тестовая оплата: реальные деньги не списываются.",
        "paying_for": "Назначение платежа", "topup": "Пополнение кошелька",
        "to_pay": "К оплате", "amount": "Сумма", "commission": "Комиссия",
        "reference": "№ платежа", "pay_by": "Оплатить до", "time_left": "осталось {time}",
        "hours": "ч", "minutes": "мин", "status": "Статус", "pay": "Оплатить {amount}",
        "cancel": "Отменить", "back": "Вернуться на сайт {merchant}", "languages": "Язык",
        "outcome_completed": "Оплата прошла успешно",
        "lead_completed": "Спасибо! {merchant} получил ваш платёж.",
        "outcome_cancelled": "Оплата отменена", "lead_cancelled": "Деньги не списаны.",
        "outcome_failed": "Оплата не прошла", "lead_failed": "Деньги не списаны.",
        "outcome_expired": "Время оплаты истекло",
        "lead_expired": "Срок оплаты прошёл, деньги не списаны.",
        "outcome_refunded": "Платёж возвращён", "lead_refunded": "Деньги возвращены.",
        "error_404": "Платёж не найден",
        "lead_404": "Ссылка на оплату неверна или больше не действует.",
        "error_409": "Этот платёж уже завершён",
        "lead_409": "Его больше нельзя оплатить или отменить.", "see_payment": "Открыть платёж",
        "error_400": "Запрос не принят", "lead_400": "Вернитесь назад и попробуйте ещё раз.",
        "error_500": "Что-то пошло не так",
        "lead_500": "Проверьте статус платежа, прежде чем пробовать снова.",
    },
    "uz": {
        "checkout": "To'lov", "finished": "To'lov yakunlandi", "test_mode": "Test rejimi",
        "sandbox": "Sinov to'lovi: haqiqiy pul yechilmaydi.", "paying_for": "To'lov maqsadi",
        "topup": "Hamyonni to'ldirish", "to_pay": "To'lov summasi", "amount": "Summa",
        "commission": "Komissiya", "reference": "To'lov raqami", "pay_by": "To'lov muddati",
        "time_left": "{time} qoldi", "hours": "soat", "minutes": "daqiqa", "status": "Holati",
        "pay": "{amount} to'lash", "cancel": "Bekor qilish", "back": "{merchant} saytiga qaytish",
        "languages": "Til",
        "outcome_completed": "To'lov muvaffaqiyatli amalga oshirildi",
        "lead_completed": "Rahmat! To'lovingiz {merchant} tomonidan qabul qilindi.",
        "outcome_cancelled": "To'lov bekor qilindi", "lead_cancelled": "Hech qanday pul yechilmadi.",
        "outcome_failed": "To'lov amalga oshmadi", "lead_failed": "Hech qanday pul yechilmadi.",
        "outcome_expired": "To'lov muddati tugadi",
        "lead_expired": "To'lov vaqti o'tib ketdi, pul yechilmadi.",
        "outcome_refunded": "To'lov qaytarildi", "lead_refunded": "Pul qaytarib berildi.",
        "error_404": "To'lov topilmadi",
        "lead_404": "To'lov havolasi noto'g'ri yoki endi ishlamaydi.",
        "error_409": "Bu to'lov allaqachon yakunlangan",
        "lead_409": "Uni endi to'lab ham, bekor qilib ham bo'lmaydi.",
        "see_payment": "To'lovni ko'rish",
        "error_400": "So'rov qabul qilinmadi", "lead_400": "Orqaga qaytib, qayta urinib ko'ring.",
        "error_500": "Nimadir noto'g'ri ketdi",
        "lead_500": "Qayta urinishdan oldin to'lov holatini tekshiring.",
    },
}

# Each language's (thousands, decimal) separators, as CLDR writes them.
SEPARATORS = {"en": (",", "."), "ru": (NBSP, ","), "uz": (NBSP, ",")}
MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
           "октября", "ноября", "декабря"),
    "uz": ("yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr",
           "oktabr", "noyabr", "dekabr"),
}


def text(language: str, key: str, **values: str) -> str:
    return TEXTS[language][key].format(**values)


def amount_text(money: Money, language: str) -> str:
    """``50,000.00 UZS`` in English, ``50 000,00 UZS`` in Russian and Uzbek."""
    thousands, point = SEPARATORS[language]
    whole, _, fraction = f"{money.amount:,}".partition(".")
    number = whole.replace(",", thousands) + (point + fraction if fraction else "")
    return f"{number}{NBSP}{money.currency.value}"


def moment_text(moment: datetime, language: str) -> str:
    """``12:30, 15 Jan (UTC+5)``: the moment in its own zone, named by its offset. No year: a
    payment is open for a week at most."""
    month = MONTHS[language][moment.month - 1]
    day = f"{moment.day}-{month}" if language == "uz" else f"{moment.day} {month}"
    return f"{moment:%H:%M}, {day} ({_utc_offset(moment)})"


def time_left_text(left: timedelta, language: str) -> str:
    """``1 h 5 min left``, rounded up to the minute (a payer is never told less than there is)."""
    hours, minutes = divmod(max(0, math.ceil(left.total_seconds() / 60)), 60)
    parts = ([f"{hours}{NBSP}{text(language, 'hours')}"] if hours else []) + \
        ([f"{minutes}{NBSP}{text(language, 'minutes')}"] if minutes or not hours else [])
    return text(language, "time_left", time=" ".join(parts))


def _utc_offset(moment: datetime) -> str:
    minutes = round((moment.utcoffset() or timedelta(0)).total_seconds() / 60)
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'-' if minutes < 0 else '+'}{hours}" + (f":{rest:02}" if rest else "")
