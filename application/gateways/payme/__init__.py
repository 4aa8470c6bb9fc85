"""Payme Merchant API (GATEWAYS.md, "Payme Merchant API"): Payme calls us over JSON-RPC.

``PaymeMerchantApi(hamyon, PaymeCredentials(merchant_id, key, test_key), key_store=...)`` answers
every request (``handle``) and runs the 12-hour sweep (``cancel_stale_transactions``).
"""

from application.gateways.payme.api import PaymeMerchantApi
from application.gateways.payme.errors import PaymeError
from application.gateways.payme.keys import (
    MemoryKeyStore,
    PaymeCredentials,
    PaymeKeyStore,
    StoredKeyStore,
)
from application.gateways.payme.views import TIMEOUT_MS
from application.gateways.payme.wire import to_ms

__all__ = ["TIMEOUT_MS", "MemoryKeyStore", "PaymeCredentials", "PaymeError", "PaymeKeyStore",
           "PaymeMerchantApi", "StoredKeyStore", "to_ms"]
