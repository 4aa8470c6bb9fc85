"""The storage proofs of issue 3, through the application layer on SQLite and Postgres: concurrent
charges, completions and idempotent requests from two OS processes, and a SIGKILL mid-stream.

Migrations (empty database → latest, then again: nothing applied) are proven where the adapters'
own tests live: ``tests/sqlite/test_migrations.py`` and ``tests/postgres/test_migrations.py``.
"""
