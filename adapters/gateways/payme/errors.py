"""Payme's error table: every code Hamyon answers, with its message in Russian, Uzbek and English.

An error travels as ``PaymeError`` (raised, or returned from a unit of work whose writes must be
kept) and leaves as the JSON-RPC ``error`` object. Account errors (-31050 … -31099) name the
account field at fault in ``data``, as Payme's documentation asks: always ``order_id`` here.
"""

from __future__ import annotations

from typing import Any

NOT_POST = -32300
NOT_JSON = -32700
INVALID_REQUEST = -32600
UNKNOWN_METHOD = -32601
AUTH_FAILED = -32504
INTERNAL = -32400
WRONG_AMOUNT = -31001
TRANSACTION_NOT_FOUND = -31003
CANNOT_CANCEL = -31007
CANNOT_PERFORM = -31008
ORDER_NOT_FOUND = -31050
ORDER_NOT_PAYABLE = -31051
ORDER_BUSY = -31099

ACCOUNT_FIELD = "order_id"

MESSAGES: dict[int, dict[str, str]] = {
    NOT_POST: {"ru": "Метод запроса должен быть POST", "uz": "So'rov usuli POST bo'lishi kerak",
               "en": "Request method must be POST"},
    NOT_JSON: {"ru": "Ошибка разбора JSON", "uz": "JSON so'rovini o'qib bo'lmadi",
               "en": "Request body is not valid JSON"},
    INVALID_REQUEST: {"ru": "Неверный запрос JSON-RPC: нет нужного параметра или неверный его тип",
                      "uz": "JSON-RPC so'rovi noto'g'ri: parametr yo'q yoki turi noto'g'ri",
                      "en": "Invalid JSON-RPC request: a parameter is missing or of the wrong type"},
    UNKNOWN_METHOD: {"ru": "Метод не найден", "uz": "Usul topilmadi", "en": "Method not found"},
    AUTH_FAILED: {"ru": "Недостаточно привилегий для выполнения метода",
                  "uz": "Usulni bajarish uchun huquq yetarli emas",
                  "en": "Insufficient privileges to perform this method"},
    INTERNAL: {"ru": "Внутренняя ошибка системы", "uz": "Tizimning ichki xatosi",
               "en": "Internal system error"},
    WRONG_AMOUNT: {"ru": "Неверная сумма", "uz": "Noto'g'ri summa", "en": "Incorrect amount"},
    TRANSACTION_NOT_FOUND: {"ru": "Транзакция не найдена", "uz": "Tranzaksiya topilmadi",
                            "en": "Transaction not found"},
    CANNOT_CANCEL: {"ru": "Невозможно отменить транзакцию: средства уже использованы",
                    "uz": "Tranzaksiyani bekor qilib bo'lmaydi: mablag' allaqachon sarflangan",
                    "en": "Unable to cancel the transaction: the money was already spent"},
    CANNOT_PERFORM: {"ru": "Невозможно выполнить данную операцию",
                     "uz": "Ushbu amalni bajarib bo'lmaydi",
                     "en": "Unable to perform this operation"},
    ORDER_NOT_FOUND: {"ru": "Заказ не найден", "uz": "Buyurtma topilmadi", "en": "Order not found"},
    ORDER_NOT_PAYABLE: {"ru": "Заказ не может быть оплачен", "uz": "Buyurtmani to'lab bo'lmaydi",
                        "en": "The order cannot be paid"},
    ORDER_BUSY: {"ru": "Заказ уже оплачивается другой транзакцией",
                 "uz": "Buyurtma boshqa tranzaksiya bilan to'lanmoqda",
                 "en": "The order is being paid by another transaction"},
}


class PaymeError(Exception):
    """One answer from Payme's error table; ``data`` is what Payme's documentation puts there
    (the account field, the parameter or method at fault, or nothing)."""

    def __init__(self, code: int, data: Any = None) -> None:
        self.code = code
        self.data = data
        super().__init__(f"payme error {code}")

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": dict(MESSAGES[self.code]), "data": self.data}


def account_error(code: int) -> PaymeError:
    return PaymeError(code, ACCOUNT_FIELD)


def invalid_param(name: str) -> PaymeError:
    return PaymeError(INVALID_REQUEST, name)
