"""Click SHOP-API (GATEWAYS.md, "Click SHOP-API"): Click calls Prepare and Complete, form-encoded.

``ClickShopApi(hamyon, ClickCredentials(service_id, merchant_id, secret_key, merchant_user_id))``
answers both (``prepare(form)``, ``complete(form)``); payments of Click's card rails UzCard and
Humo are confirmed by the same calls.
"""

from application.gateways.click.shop_api import ClickShopApi
from application.gateways.click.wire import (
    CARD_RAILS,
    COMPLETE,
    NOTES,
    PREPARE,
    STEPS,
    ClickCredentials,
    ClickError,
    Step,
    answer,
    attempt_number,
    sign_string,
)

__all__ = ["CARD_RAILS", "COMPLETE", "NOTES", "PREPARE", "STEPS", "ClickCredentials", "ClickError",
           "ClickShopApi", "Step", "answer", "attempt_number", "sign_string"]
