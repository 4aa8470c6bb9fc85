"""The sandbox's hosted checkout, as HTML: the page a payer opens (merchant, what is paid for,
amount, commission and total, the time left, one primary Pay button and a secondary Cancel), the
finished page (a success or cancel mark, a link back to the platform), and the error page.

Self-contained: inline style and marks, no script, font or image to fetch. Every value written
into the page is HTML-escaped here, once: a description is the platform's text and may be hostile.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from html import escape

from attrs import frozen

from adapters.gateways.sandbox.style import LOCK, MARKS, STYLE
from adapters.gateways.sandbox.texts import (
    LANGUAGE_NAMES,
    LANGUAGES,
    amount_text,
    moment_text,
    text,
    time_left_text,
)
from domain.money import Money
from domain.payments import Payment, PaymentStatus

MARK_OF_STATUS = {"completed": "success", "cancelled": "cancelled", "failed": "failed",
                  "expired": "failed", "refunded": "refunded"}
_CURRENT = ' aria-current="true"'


@frozen
class Checkout:
    """One sandbox payment as its page shows it, in one language, at one moment."""

    payment: Payment
    merchant: str
    language: str
    now: datetime
    zone: tzinfo
    status_names: Mapping[str, str]  # the statuses' names in the page's language
    return_url: str = ""  # where the finished page links back to ("": nowhere)
    lang_query: str = ""  # "?lang=ru" when the payer chose the page's language

    @property
    def status(self) -> PaymentStatus:
        """As the payer sees it now: past its time a payment is expired, before a job says so."""
        return PaymentStatus.EXPIRED if self.payment.is_due_to_expire(self.now) \
            else self.payment.status

    @property
    def status_name(self) -> str:
        name = self.status_names.get(self.status.value, self.status.value)
        return name[:1].upper() + name[1:]

    @property
    def purpose(self) -> str:
        """What is paid for: the payment's description, else a wallet top-up."""
        return self.payment.description or self.say("topup")

    def say(self, key: str, **values: str) -> str:
        return text(self.language, key, **values)

    def money(self, amount: Money) -> str:
        return amount_text(amount, self.language)


def page(view: Checkout) -> str:
    """The checkout while the payment is open, the finished page once it is final."""
    return finished_page(view) if view.status.is_final else checkout_page(view)


def checkout_page(view: Checkout) -> str:
    payment, say = view.payment, view.say
    rows = [_row(say("amount"), "amount", view.money(payment.amount)),
            _row(say("commission"), "commission", view.money(payment.commission))] \
        if payment.commission.is_positive else []
    expiry = _e(moment_text(payment.expires_at.astimezone(view.zone), view.language)) + \
        _hint("time-left", time_left_text(payment.expires_at - view.now, view.language))
    rows += [_row(say("reference"), "reference", payment.reference_number),
             f'<div class="row"><dt>{_e(say("pay_by"))}</dt><dd id="expiry">{expiry}</dd></div>',
             _row(say("status"), "status", view.status_name)]
    content = (
        f'<p class="label">{_e(say("paying_for"))}</p>'
        f'<p class="purpose" id="description">{_e(view.purpose)}</p>'
        f'<p class="label">{_e(say("to_pay"))}</p>'
        f'<p class="total" id="total">{_e(view.money(payment.total_amount))}</p>'
        f'<dl>{"".join(rows)}</dl>'
        + _press(view, "pay", say("pay", amount=view.money(payment.total_amount)), "primary")
        + _press(view, "cancel", say("cancel"), "secondary"))
    return _document(view.language, say("checkout"), view.merchant, view.status.value, content)


def finished_page(view: Checkout) -> str:
    payment, say, status = view.payment, view.say, view.status.value
    rows = (_row(say("reference"), "reference", payment.reference_number)
            + _row(say("status"), "status", view.status_name))
    back = f'<a class="button primary" id="back" href="{_e(view.return_url)}">' \
        f'{_e(say("back", merchant=view.merchant))}</a>' if view.return_url else ""
    content = (
        _mark(MARK_OF_STATUS.get(status, "warning"))
        + f'<h1 id="outcome">{_e(say(f"outcome_{status}"))}</h1>'
        f'<p class="lead">{_e(say(f"lead_{status}", merchant=view.merchant))}</p>'
        f'<p class="total" id="total">{_e(view.money(payment.total_amount))}</p>'
        f'<p class="purpose" id="description">{_e(view.purpose)}</p>'
        f'<dl>{rows}</dl>{back}')
    return _document(view.language, say("finished"), view.merchant, status, content, "finished")


def error_page(status: int, language: str, merchant: str, payment_url: str = "") -> str:
    """``payment_url``: the payment's own page, offered when the press came too late (409)."""
    key = str(status) if status in (404, 409) else "500" if status >= 500 else "400"
    link = f'<a class="button secondary" id="see-payment" href="{_e(payment_url)}">' \
        f'{_e(text(language, "see_payment"))}</a>' if payment_url and key == "409" else ""
    title = text(language, f"error_{key}")
    content = (_mark("warning") + f'<h1 id="outcome">{_e(title)}</h1>'
               f'<p class="lead">{_e(text(language, f"lead_{key}"))}</p>{link}')
    return _document(language, title, merchant, "error", content, "finished")


def _document(language: str, title: str, merchant: str, status: str, content: str,
              kind: str = "") -> str:
    title = f"{title} · {merchant}" if merchant else title
    return (f'<!doctype html><html lang="{_e(language)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="robots" content="noindex"><title>{_e(title)}</title>'
            f'<style>{STYLE}</style></head><body><main class="card" data-status="{_e(status)}">'
            f'{_merchant(merchant, language)}<section class="content {kind}">{content}'
            f'<p class="note">{LOCK}{_e(text(language, "sandbox"))}</p></section>'
            f'</main>{_languages(language)}</body></html>')


def _merchant(merchant: str, language: str) -> str:
    if not merchant:
        return ""
    return (f'<header class="merchant"><span class="logo" aria-hidden="true">'
            f'{_e(merchant[:1].upper())}</span><span class="name" id="merchant">{_e(merchant)}'
            f'</span><span class="badge">{_e(text(language, "test_mode"))}</span></header>')


def _languages(current: str) -> str:
    links = "".join(
        f'<a href="?lang={code}" hreflang="{code}" lang="{code}"{_CURRENT if code == current else ""}>'
        f'{_e(LANGUAGE_NAMES[code])}</a>' for code in LANGUAGES)
    return f'<nav class="languages" aria-label="{_e(text(current, "languages"))}">{links}</nav>'


def _press(view: Checkout, action: str, label: str, kind: str) -> str:
    return (f'<form method="post" action="/sandbox/pay/{view.payment.id}{_e(view.lang_query)}">'
            f'<input type="hidden" name="action" value="{action}">'
            f'<button type="submit" id="{action}" class="button {kind}">{_e(label)}</button></form>')


def _row(label: str, id_: str, value: str) -> str:
    return f'<div class="row"><dt>{_e(label)}</dt><dd id="{id_}">{_e(value)}</dd></div>'


def _hint(id_: str, value: str) -> str:
    return f'<span class="hint" id="{id_}">{_e(value)}</span>'


def _mark(kind: str) -> str:
    return f'<div class="mark {kind}" id="mark">{MARKS[kind]}</div>'


def _e(value: str) -> str:
    return escape(value, quote=True)
