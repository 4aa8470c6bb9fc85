"""What users read, in en, ru, uz and fa: payment status names and the API's success messages.

The catalogs live here and nowhere else; handlers ask for a message by key. The language comes
from ``Accept-Language`` (quality values honoured); the default is ``uz``, and the CrazyMiner
endpoints default to ``fa`` as their seed does.
"""

from __future__ import annotations

LANGUAGES = ("uz", "ru", "en", "fa")
DEFAULT_LANGUAGE = "uz"

STATUS_DISPLAY: dict[str, dict[str, str]] = {
    "en": {"pending": "Pending", "processing": "Processing", "completed": "Completed",
           "failed": "Failed", "cancelled": "Cancelled", "expired": "Expired",
           "refunded": "Refunded"},
    "ru": {"pending": "Ожидает оплаты", "processing": "В обработке", "completed": "Завершён",
           "failed": "Ошибка", "cancelled": "Отменён", "expired": "Истёк срок",
           "refunded": "Возвращён"},
    "uz": {"pending": "kutilmoqda", "processing": "jarayonda", "completed": "yakunlangan",
           "failed": "muvaffaqiyatsiz", "cancelled": "bekor qilingan", "expired": "muddati o'tgan",
           "refunded": "qaytarilgan"},
    "fa": {"pending": "در انتظار پرداخت", "processing": "در حال پردازش", "completed": "تکمیل شده",
           "failed": "ناموفق", "cancelled": "لغو شده", "expired": "منقضی شده",
           "refunded": "بازپرداخت شده"},
}

MESSAGES: dict[str, dict[str, str]] = {
    "payment_cancelled": {
        "en": "Payment cancelled successfully", "ru": "Платёж успешно отменён",
        "uz": "To'lov muvaffaqiyatli bekor qilindi", "fa": "پرداخت با موفقیت لغو شد"},
    "free_access": {
        "en": "Service accessed without charge (free)",
        "ru": "Доступ к услуге предоставлен бесплатно",
        "uz": "Xizmatdan bepul foydalanildi", "fa": "دسترسی به سرویس بدون هزینه (رایگان)"},
    "sufficient_balance": {
        "en": "Sufficient balance", "ru": "Достаточно средств", "uz": "Mablag' yetarli",
        "fa": "موجودی کافی است"},
    "free_access_available": {
        "en": "Free access", "ru": "Бесплатный доступ", "uz": "Bepul foydalanish",
        "fa": "دسترسی رایگان"},
    "full_discount": {
        "en": "Service accessed without charge (fully discounted)",
        "ru": "Доступ к услуге предоставлен бесплатно (полная скидка)",
        "uz": "Xizmatdan bepul foydalanildi (to'liq chegirma)",
        "fa": "دسترسی به سرویس بدون هزینه (تخفیف کامل)"},
    "full_discount_available": {
        "en": "Free access (fully discounted)", "ru": "Бесплатный доступ (полная скидка)",
        "uz": "Bepul foydalanish (to'liq chegirma)", "fa": "دسترسی رایگان (تخفیف کامل)"},
    "charged_for": {
        "en": "Successfully charged for {service}", "ru": "Успешно оплачено: {service}",
        "uz": "{service} uchun to'lov yechildi", "fa": "هزینه {service} با موفقیت کسر شد"},
    "callback_verified": {
        "en": "Payment verified and wallet credited", "ru": "Платёж подтверждён, кошелёк пополнен",
        "uz": "To'lov tasdiqlandi, hamyon to'ldirildi",
        "fa": "پرداخت تأیید شد و کیف پول شارژ شد"},
}


# Error texts in the other languages, by the English text the API writes (a text built from the
# request, "amount must be more than 0", stays as it is). English stays the answer's language
# unless the client asks for another in ``Accept-Language``, since the seeds' clients read it.
ERRORS: dict[str, dict[str, str]] = {
    "Insufficient balance": {"ru": "Недостаточно средств", "uz": "Mablag' yetarli emas",
                             "fa": "موجودی کافی نیست"},
    "Wallet is blocked": {"ru": "Кошелёк заблокирован", "uz": "Hamyon bloklangan",
                          "fa": "کیف پول مسدود است"},
    "Not found": {"ru": "Не найдено", "uz": "Topilmadi", "fa": "یافت نشد"},
    "Payment not found": {"ru": "Платёж не найден", "uz": "To'lov topilmadi", "fa": "پرداخت یافت نشد"},
    "Payment gateway not found": {"ru": "Платёжный шлюз не найден", "uz": "To'lov tizimi topilmadi",
                                  "fa": "درگاه پرداخت یافت نشد"},
    "Billing rule not found": {"ru": "Тариф не найден", "uz": "Tarif topilmadi", "fa": "تعرفه یافت نشد"},
    "Hold not found": {"ru": "Резерв не найден", "uz": "Band qilingan mablag' topilmadi",
                       "fa": "رزرو یافت نشد"},
    "The hold is no longer active": {"ru": "Резерв больше не активен",
                                     "uz": "Band qilish endi faol emas", "fa": "رزرو دیگر فعال نیست"},
    "The hold has expired": {"ru": "Срок резерва истёк", "uz": "Band qilish muddati tugagan",
                             "fa": "مهلت رزرو به پایان رسیده است"},
    "Charge not found": {"ru": "Списание не найдено", "uz": "Yechib olish topilmadi",
                         "fa": "برداشت یافت نشد"},
    "Payment has expired": {"ru": "Срок платежа истёк", "uz": "To'lov muddati tugagan",
                            "fa": "مهلت پرداخت به پایان رسیده است"},
    "Billing is under maintenance": {"ru": "Биллинг на обслуживании",
                                     "uz": "Hisob-kitob tizimi texnik xizmatda",
                                     "fa": "سیستم صورتحساب در حال تعمیر است"},
    "Billing limit reached": {"ru": "Достигнут лимит списаний", "uz": "Yechib olish chegarasiga yetildi",
                              "fa": "به سقف برداشت رسیده‌اید"},
    "Top-up would exceed the maximum wallet balance": {
        "ru": "Пополнение превысит максимальный баланс кошелька",
        "uz": "To'ldirish hamyonning eng katta qoldig'idan oshib ketadi",
        "fa": "شارژ از حداکثر موجودی کیف پول بیشتر می‌شود"},
    "Authentication credentials were not provided": {
        "ru": "Данные для входа не переданы", "uz": "Kirish ma'lumotlari berilmagan",
        "fa": "اطلاعات احراز هویت ارسال نشده است"},
    "Token has expired": {"ru": "Срок действия токена истёк", "uz": "Token muddati tugagan",
                          "fa": "توکن منقضی شده است"},
    "Invalid token": {"ru": "Недействительный токен", "uz": "Token yaroqsiz", "fa": "توکن نامعتبر است"},
    "Admin role required": {"ru": "Нужна роль администратора", "uz": "Administrator roli kerak",
                            "fa": "نقش مدیر لازم است"},
    "Payment gateway error": {"ru": "Ошибка платёжного шлюза", "uz": "To'lov tizimida xatolik",
                              "fa": "خطای درگاه پرداخت"},
    "Internal server error": {"ru": "Внутренняя ошибка сервера", "uz": "Serverda ichki xatolik",
                              "fa": "خطای داخلی سرور"},
}


def error_text(text: str, language: str) -> str:
    """An error's text in ``language`` where the catalogue has it, else as written."""
    return ERRORS.get(text, {}).get(language, text)


def negotiate(accept_language: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """The best supported language of an ``Accept-Language`` header (``ru-RU;q=0.8, en``)."""
    best, best_quality = default, 0.0
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        language = tag.strip().lower().split("-")[0]
        if language not in LANGUAGES:
            continue
        quality = _quality(params) - position * 1e-6  # earlier wins a tie
        if quality > best_quality:
            best, best_quality = language, quality
    return best


def status_display(status: str, language: str) -> str:
    return STATUS_DISPLAY.get(language, STATUS_DISPLAY["en"]).get(status, status)


def message(key: str, language: str, **values: str) -> str:
    texts = MESSAGES[key]
    return (texts.get(language) or texts["en"]).format(**values)


def _quality(params: str) -> float:
    name, _, value = params.strip().partition("=")
    if name.strip() != "q":
        return 1.0
    try:
        return max(0.0, min(1.0, float(value)))
    except ValueError:
        return 0.0
