"""What development answers add to help a newcomer (never in production): which settings switch
on a gateway that is known but not active (SPEC §17)."""

from __future__ import annotations

_CLICK = "HAMYON_CLICK_SERVICE_ID, HAMYON_CLICK_MERCHANT_ID and HAMYON_CLICK_SECRET_KEY"
ACTIVATED_BY = {
    "click": _CLICK, "uzcard": _CLICK, "humo": _CLICK,
    "payme": "HAMYON_PAYME_MERCHANT_ID and HAMYON_PAYME_KEY",
    "medogram": "PAYMENT_GATEWAY_URL and PAYMENT_API_KEY",
    "sandbox": "HAMYON_SANDBOX=1",
}


def activation_hint(gateway: str) -> str:
    settings = ACTIVATED_BY.get(gateway)
    how = f"set {settings} and restart" if settings else "configure it and restart"
    return f"The {gateway} gateway is not active: {how}; an admin who switched it off switches it " \
           f"on with PATCH /api/admin/gateways/{gateway}/ {{\"is_active\": true}}"
