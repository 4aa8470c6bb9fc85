"""``CommandError``: why a ``hamyon`` command cannot do its work, in one line."""

from __future__ import annotations


class CommandError(Exception):
    """A command cannot do its work for a reason outside the code (a busy port; a database that is
    unreachable, missing, not migrated or not SQLite; a key that does not open the data). The
    message is one line saying which and what to do; ``hamyon`` prints it and exits 2."""
