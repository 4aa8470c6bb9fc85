"""The old home of ``domain.paging``, ``domain.reports`` and ``domain.journal``, kept while
``entrypoints.http`` moves its imports over; nothing new imports from here."""

from domain.journal import AuditEntry, IdempotencyRecord, fingerprint
from domain.paging import MAX_PER_PAGE, Page, PageRequest
from domain.reports import DailyUsage, PaymentSummary, ServiceSummary, WalletTotals, WalletTransaction

__all__ = ["MAX_PER_PAGE", "AuditEntry", "DailyUsage", "IdempotencyRecord", "Page", "PageRequest",
           "PaymentSummary", "ServiceSummary", "WalletTotals", "WalletTransaction", "fingerprint"]
