"""Which webhook URLs Hamyon posts to (SPEC §12): ``http`` or ``https``; in production ``https``
only, and never a host that resolves to a loopback, private, link-local or otherwise non-public
address unless ``HAMYON_WEBHOOK_ALLOW_PRIVATE=1``. The resolved addresses are checked, not the
name, and again before each delivery (a name may change what it points at)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

from domain.errors import ValidationError


class ResolvingUrlPolicy:
    def __init__(self, *, https_only: bool, allow_private: bool) -> None:
        self._https_only = https_only
        self._allow_private = allow_private

    async def check(self, url: str, field: str = "url") -> None:
        parts = _parts(url, field)
        if self._https_only and parts.scheme != "https":
            raise ValidationError(f"{field} must be an https URL in production", field=field)
        if self._allow_private:
            return
        host = parts.hostname or ""
        for address in await _addresses(host, parts.port or (443 if parts.scheme == "https" else 80),
                                        field):
            if not address.is_global or address.is_multicast:
                raise ValidationError(f"{field} resolves to a private or loopback address ({address})",
                                      field=field)


def _parts(url: str, field: str) -> SplitResult:
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number
    except ValueError:
        raise ValidationError(f"{field} must be an http or https URL", field=field) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"{field} must be an http or https URL", field=field)
    return parts


Address = ipaddress.IPv4Address | ipaddress.IPv6Address


async def _addresses(host: str, port: int, field: str) -> list[Address]:
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return [literal]
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise ValidationError(f"{field}'s host does not resolve", field=field) from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
