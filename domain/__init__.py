"""Hamyon's pure core: money, the double-entry ledger, payments and billing.

Nothing here performs I/O, reads a clock or invents an id: every such value is passed in.
Imports are limited to the standard library, attrs and this package (enforced by import-linter).
"""
