"""What the console says, in en, ru and uz. Pages write English; ``translate`` gives the chosen
language's text where the catalogue has it (the English otherwise). The language is ``?lang=``
(then remembered in a cookie), else ``Accept-Language``, else English."""

from __future__ import annotations

from entrypoints.http.i18n import negotiate

LANGUAGES = ("en", "ru", "uz")
DEFAULT = "en"

# English → (Russian, Uzbek)
CATALOGUE: dict[str, tuple[str, str]] = {
    "Hamyon console": ("Консоль Hamyon", "Hamyon konsoli"),
    "Dashboard": ("Сводка", "Boshqaruv paneli"),
    "Payments": ("Платежи", "To'lovlar"),
    "Payment": ("Платёж", "To'lov"),
    "Wallets": ("Кошельки", "Hamyonlar"),
    "Wallet": ("Кошелёк", "Hamyon"),
    "Billing": ("Тарифы", "Tariflar"),
    "Gateways": ("Шлюзы", "Shlyuzlar"),
    "Webhooks": ("Вебхуки", "Vebxuklar"),
    "Doctors": ("Врачи", "Shifokorlar"),
    "API keys": ("API-ключи", "API kalitlari"),
    "Sign in": ("Войти", "Kirish"),
    "Sign out": ("Выйти", "Chiqish"),
    "Signed in as": ("Вы вошли как", "Kirgan foydalanuvchi"),
    "Admin token": ("Токен администратора", "Administrator tokeni"),
    "Paste an admin JWT, or open the link printed by hamyon admin-link.":
        ("Вставьте JWT администратора или откройте ссылку из hamyon admin-link.",
         "Administrator JWT tokenini kiriting yoki hamyon admin-link bergan havolani oching."),
    "Sign in with this one-time link": ("Войти по одноразовой ссылке", "Bir martalik havola bilan kirish"),
    "Paste an admin token": ("Вставьте токен администратора", "Administrator tokenini kiriting"),
    "This token is not an admin's (role: admin)":
        ("Это не токен администратора (role: admin)", "Bu administrator tokeni emas (role: admin)"),
    "This sign-in link was used already or has expired":
        ("Ссылка для входа уже использована или истекла", "Kirish havolasi ishlatilgan yoki muddati o'tgan"),
    "Invalid token": ("Недействительный токен", "Yaroqsiz token"),
    "Token has expired": ("Срок действия токена истёк", "Token muddati tugagan"),
    "Invalid token subject": ("Недействительный субъект токена", "Token egasi yaroqsiz"),
    "Top-ups per day": ("Пополнения по дням", "Kunlik to'ldirishlar"),
    "Charges per day": ("Списания по дням", "Kunlik yechimlar"),
    "Last 30 days": ("За 30 дней", "So'nggi 30 kun"),
    "Revenue per service": ("Выручка по услугам", "Xizmatlar bo'yicha tushum"),
    "Gateway success rates": ("Успешность шлюзов", "Shlyuzlar muvaffaqiyati"),
    "Gateway health": ("Состояние шлюзов", "Shlyuzlar holati"),
    "Ledger check": ("Проверка реестра", "Reestr tekshiruvi"),
    "The ledger balances": ("Реестр сходится", "Reestr mos keladi"),
    "The ledger has violations": ("В реестре нарушения", "Reestrda buzilishlar bor"),
    "Service": ("Услуга", "Xizmat"),
    "Charges": ("Списания", "Yechimlar"),
    "Amount": ("Сумма", "Summa"),
    "Gateway": ("Шлюз", "Shlyuz"),
    "Success rate": ("Успешность", "Muvaffaqiyat"),
    "Available": ("Доступен", "Mavjud"),
    "Unavailable": ("Недоступен", "Mavjud emas"),
    "Status": ("Статус", "Holat"),
    "User": ("Пользователь", "Foydalanuvchi"),
    "Any": ("Любой", "Istalgan"),
    "Filter": ("Фильтр", "Saralash"),
    "Search": ("Поиск", "Qidirish"),
    "From": ("С", "Dan"),
    "To": ("По", "Gacha"),
    "Id or reference": ("Id или номер", "Id yoki raqam"),
    "Reference": ("Номер", "Raqam"),
    "Created": ("Создан", "Yaratilgan"),
    "Nothing here yet": ("Пока пусто", "Hozircha bo'sh"),
    "Previous": ("Назад", "Oldingi"),
    "Next": ("Далее", "Keyingi"),
    "Page": ("Страница", "Sahifa"),
    "Timeline": ("Хронология", "Xronologiya"),
    "Attempts": ("Попытки", "Urinishlar"),
    "Fiscal receipts": ("Фискальные чеки", "Fiskal cheklar"),
    "Refund": ("Вернуть", "Qaytarish"),
    "Refund this payment": ("Вернуть этот платёж", "Bu to'lovni qaytarish"),
    "Payment refunded": ("Платёж возвращён", "To'lov qaytarildi"),
    "Commission": ("Комиссия", "Komissiya"),
    "Balance": ("Баланс", "Balans"),
    "Held": ("Заморожено", "Band qilingan"),
    "Blocked": ("Заблокирован", "Bloklangan"),
    "Yes": ("Да", "Ha"),
    "No": ("Нет", "Yo'q"),
    "Block": ("Заблокировать", "Bloklash"),
    "Unblock": ("Разблокировать", "Blokdan chiqarish"),
    "Wallets blocked": ("Кошельки заблокированы", "Hamyonlar bloklandi"),
    "Wallets unblocked": ("Кошельки разблокированы", "Hamyonlar blokdan chiqarildi"),
    "Adjust": ("Корректировка", "Tuzatish"),
    "Reason": ("Причина", "Sabab"),
    "Currency": ("Валюта", "Valyuta"),
    "Wallet adjusted": ("Кошелёк скорректирован", "Hamyon tuzatildi"),
    "Ledger lines": ("Строки реестра", "Reestr yozuvlari"),
    "Kind": ("Вид", "Turi"),
    "Description": ("Описание", "Tavsif"),
    "Balance after": ("Баланс после", "Keyingi balans"),
    "Settings": ("Настройки", "Sozlamalar"),
    "Save": ("Сохранить", "Saqlash"),
    "Settings saved": ("Настройки сохранены", "Sozlamalar saqlandi"),
    "Billing rules": ("Тарифные правила", "Tarif qoidalari"),
    "New rule": ("Новое правило", "Yangi qoida"),
    "Price": ("Цена", "Narx"),
    "Name": ("Название", "Nomi"),
    "Create": ("Создать", "Yaratish"),
    "Rule created": ("Правило создано", "Qoida yaratildi"),
    "Rule saved": ("Правило сохранено", "Qoida saqlandi"),
    "Gateway saved": ("Шлюз сохранён", "Shlyuz saqlandi"),
    "Endpoints": ("Адреса", "Manzillar"),
    "Events": ("События", "Hodisalar"),
    "Deliveries": ("Доставки", "Yetkazishlar"),
    "Resend": ("Отправить снова", "Qayta yuborish"),
    "Event queued again": ("Событие поставлено в очередь снова", "Hodisa qayta navbatga qo'yildi"),
    "Active": ("Активен", "Faol"),
    "New endpoint": ("Новый адрес", "Yangi manzil"),
    "All events": ("Все события", "Barcha hodisalar"),
    "Endpoint created": ("Адрес создан", "Manzil yaratildi"),
    "Copy this secret now: it is not shown again.":
        ("Скопируйте секрет сейчас: он больше не будет показан.",
         "Maxfiy kalitni hozir nusxalang: u boshqa ko'rsatilmaydi."),
    "Switch on": ("Включить", "Yoqish"),
    "Switch off": ("Выключить", "O'chirish"),
    "Endpoint switched on": ("Адрес включён", "Manzil yoqildi"),
    "Endpoint switched off": ("Адрес выключен", "Manzil o'chirildi"),
    "Yes, delete this endpoint and its deliveries":
        ("Да, удалить этот адрес и его доставки", "Ha, bu manzilni va uning yetkazishlarini o'chirish"),
    "Delete this endpoint": ("Удалить этот адрес", "Bu manzilni o'chirish"),
    "Tick the box to confirm the deletion":
        ("Отметьте флажок, чтобы подтвердить удаление", "O'chirishni tasdiqlash uchun belgini qo'ying"),
    "Endpoint deleted": ("Адрес удалён", "Manzil o'chirildi"),
    "New doctor": ("Новый врач", "Yangi shifokor"),
    "First name": ("Имя", "Ism"),
    "Last name": ("Фамилия", "Familiya"),
    "Add": ("Добавить", "Qo'shish"),
    "Edit": ("Изменить", "Tahrirlash"),
    "Doctor added": ("Врач добавлен", "Shifokor qo'shildi"),
    "Doctor saved": ("Врач сохранён", "Shifokor saqlandi"),
    "Remove this doctor": ("Удалить этого врача", "Bu shifokorni o'chirish"),
    "Doctor removed": ("Врач удалён", "Shifokor o'chirildi"),
    "Specialization": ("Специализация", "Mutaxassislik"),
    "Rating": ("Рейтинг", "Reyting"),
    "Scopes": ("Права", "Ruxsatlar"),
    "Last used": ("Последнее использование", "Oxirgi foydalanish"),
    "Revoked": ("Отозван", "Bekor qilingan"),
    "Revoke": ("Отозвать", "Bekor qilish"),
    "Key revoked": ("Ключ отозван", "Kalit bekor qilindi"),
    "New key": ("Новый ключ", "Yangi kalit"),
    "Copy this key now: it is not shown again.":
        ("Скопируйте ключ сейчас: он больше не будет показан.",
         "Kalitni hozir nusxalang: u boshqa ko'rsatilmaydi."),
    "Error": ("Ошибка", "Xato"),
    "Back to the console": ("Вернуться в консоль", "Konsolga qaytish"),
    "Sign in first": ("Сначала войдите", "Avval kiring"),
    "The form's CSRF token is missing or wrong":
        ("CSRF-токен формы отсутствует или неверен", "Formaning CSRF tokeni yo'q yoki noto'g'ri"),
    "Time": ("Время", "Vaqt"),
    "Type": ("Тип", "Turi"),
    "Message": ("Сообщение", "Xabar"),
    "Attempt": ("Попытка", "Urinish"),
    "Count": ("Количество", "Soni"),
    "Total": ("Итого", "Jami"),
}


def translate(text: str, language: str, **values: object) -> str:
    found = CATALOGUE.get(text)
    chosen = found[LANGUAGES.index(language) - 1] if found and language in LANGUAGES[1:] else text
    return chosen.format(**values) if values else chosen


def choose_language(remembered: str | None, accept_language: str | None) -> str:
    """The remembered choice, else ``Accept-Language``'s best where the console speaks it, else English."""
    if remembered in LANGUAGES:
        return remembered
    asked = negotiate(accept_language, DEFAULT)
    return asked if asked in LANGUAGES else DEFAULT
