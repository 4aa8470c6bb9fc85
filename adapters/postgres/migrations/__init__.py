"""Numbered SQL migrations for Postgres (``NNNN_name.sql``); released files are never edited."""
