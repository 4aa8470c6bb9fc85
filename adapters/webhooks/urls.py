"""Which webhook URLs Hamyon posts to (SPEC §12): ``http`` or ``https``; in production ``https``
only, and never a host that resolves to a loopback, private, link-local or otherwise non-public
address unless ``HAMYON_WEBHOOK_ALLOW_PRIVATE=1``. The resolved addresses are checked, not the
name: when an endpoint is registered, and again at each delivery, where the addresses checked are
the very ones connected to (``PinnedResolver``): a name that answers a public address to the check
and a private one to the connection (DNS rebinding) reaches nothing it should not."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import SplitResult, urlsplit

import tornado.netutil

from domain.errors import ValidationError

# getaddrinfo's answers: (family, type, proto, canonname, sockaddr)
AddressInfo = tuple[Any, Any, Any, Any, Any]
Lookup = Callable[[str, int], Awaitable[list[AddressInfo]]]


async def system_lookup(host: str, port: int) -> list[AddressInfo]:
    return await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)


class ResolvingUrlPolicy:
    def __init__(self, *, https_only: bool, allow_private: bool, lookup: Lookup = system_lookup) -> None:
        self._https_only = https_only
        self._allow_private = allow_private
        self._lookup = lookup

    async def check(self, url: str, field: str = "url") -> None:
        parts = self.parts(url, field)
        if not self._allow_private:
            await self.addresses(parts.hostname or "", _port(parts), field)

    def parts(self, url: str, field: str = "url") -> SplitResult:
        """The URL's parts if its scheme is one Hamyon posts to (no name is resolved)."""
        parts = _parts(url, field)
        if self._https_only and parts.scheme != "https":
            raise ValidationError(f"{field} must be an https URL in production", field=field)
        return parts

    async def addresses(self, host: str, port: int, field: str = "url") -> list[tuple[Any, Any]]:
        """What ``host`` resolves to, as (family, socket address) pairs to connect to; refused
        whole when any of them is not a public address (unless private ones are allowed)."""
        found = await self._resolved(host, port, field)
        if not self._allow_private:
            for _, address in found:
                ip = ipaddress.ip_address(str(address[0]).split("%")[0])
                if not ip.is_global or ip.is_multicast:
                    raise ValidationError(f"{field} resolves to a private or loopback address ({ip})",
                                          field=field)
        return found

    async def _resolved(self, host: str, port: int, field: str) -> list[tuple[Any, Any]]:
        try:
            literal = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            pass
        else:
            family = socket.AF_INET6 if literal.version == 6 else socket.AF_INET
            return [(family, (str(literal), port) if literal.version == 4 else (str(literal), port, 0, 0))]
        try:
            found = await self._lookup(host, port)
        except (OSError, UnicodeError):
            raise ValidationError(f"{field}'s host does not resolve", field=field) from None
        if not found:
            raise ValidationError(f"{field}'s host does not resolve", field=field)
        return [(info[0], info[4]) for info in found]


class PinnedResolver(tornado.netutil.Resolver):
    """The HTTP client's resolver at a delivery: the policy's own resolution, checked, is what the
    connection uses (one lookup, so what was checked is what is reached). It gives up before the
    client's connect timeout, so a slow name server fails the delivery instead of a lookup
    outliving it."""

    def initialize(self, policy: ResolvingUrlPolicy, timeout: float) -> None:
        self._policy, self._timeout = policy, timeout

    async def resolve(self, host: str, port: int,
                      family: socket.AddressFamily = socket.AF_UNSPEC) -> list[tuple[int, Any]]:
        try:
            async with asyncio.timeout(self._timeout):
                found = await self._policy.addresses(host, port)
        except TimeoutError:
            raise OSError(f"{host} did not resolve within {self._timeout:g} s") from None
        except ValidationError as refusal:
            raise OSError(refusal.message) from None
        return [pair for pair in found if family in (socket.AF_UNSPEC, pair[0])]


def _parts(url: str, field: str) -> SplitResult:
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number
    except ValueError:
        raise ValidationError(f"{field} must be an http or https URL", field=field) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"{field} must be an http or https URL", field=field)
    return parts


def _port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)
