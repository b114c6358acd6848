"""Which URLs incidex may fetch: the rules that refuse hostile URLs, without any download.

Refused: a scheme other than http or https, a user name or password in the URL, a port
other than 80 or 443, a URL over 2,048 characters or with control characters, and a host
that resolves to an address that is not public (loopback, private, link-local, multicast,
reserved, unspecified, or an IPv4 address of those kinds mapped into IPv6). Every address a
name resolves to is checked. ``INCIDEX_ALLOW_PRIVATE_URLS=1`` lifts the address and port
rules (intranet pages); ``UrlPolicy`` gives finer control from Python.

Kept apart from ``incidex.ingest.urls`` (the download) so that reading files does not load
the HTTP client.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass, field

from ..config import settings

__all__ = [
    "MAX_URL_CHARS",
    "Refused",
    "UrlPolicy",
    "is_url",
    "shown",
    "static_refusal",
    "url_policy_from_settings",
    "vetted_addresses",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

MAX_URL_CHARS = 2_048
_URL_START = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_SHOWN_CHARS = 200
_ALLOW_HINT = "set INCIDEX_ALLOW_PRIVATE_URLS=1 to read intranet pages"


@dataclass(frozen=True, slots=True)
class UrlPolicy:
    """Which URLs may be fetched. ``allow_private`` lifts the address rule for every
    address, ``allowed_networks`` for those networks only; ``allowed_ports`` None allows
    any port."""

    allow_private: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()
    allowed_ports: frozenset[int] | None = field(default=frozenset({80, 443}))
    max_redirects: int = 5
    connect_timeout: float = 10.0
    total_timeout: float = 30.0


class Refused(Exception):
    """The URL is not fetched; ``reason`` says why in one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def url_policy_from_settings() -> UrlPolicy:
    """Return the policy the settings ask for: strict, or with private addresses and any
    port allowed under INCIDEX_ALLOW_PRIVATE_URLS=1."""
    if settings().allow_private_urls:
        return UrlPolicy(allow_private=True, allowed_ports=None)
    return UrlPolicy()


def is_url(name: str) -> bool:
    """Return True when ``name`` starts like a URL (``scheme://``)."""
    return _URL_START.match(name) is not None


def static_refusal(
    scheme: str, userinfo: str, host: str, port: int | None, policy: UrlPolicy
) -> str | None:
    """Return why a URL is refused by its scheme, credentials or port, or None."""
    if scheme not in ("http", "https"):
        return "only http and https URLs are read"
    if userinfo:
        return "URLs with a user name or password are refused"
    if not host:
        return "the URL names no host"
    effective = port or (443 if scheme == "https" else 80)
    if policy.allowed_ports is not None and effective not in policy.allowed_ports:
        allowed = " and ".join(str(p) for p in sorted(policy.allowed_ports))
        return f"port {effective} is refused: only ports {allowed} are read ({_ALLOW_HINT})"
    return None


def vetted_addresses(host: str, port: int, policy: UrlPolicy) -> list[str]:
    """Return the addresses ``host`` resolves to, refusing the host when any is not allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as err:
        raise Refused(f"cannot resolve host {shown(host)} ({_one_line(err)})") from None
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0])
        reason = _address_refusal(_ip(address), policy)
        if reason is not None:
            where = address if address == host else f"{shown(host)} resolves to {address}, which"
            raise Refused(f"refused: {where} is {reason} ({_ALLOW_HINT})")
        addresses.append(address)
    if not addresses:
        raise Refused(f"cannot resolve host {shown(host)}")
    return addresses


def _ip(address: str) -> IPAddress:
    # An IPv6 address may carry a zone ("fe80::1%eth0").
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _address_refusal(ip: IPAddress, policy: UrlPolicy) -> str | None:
    """Return why connecting to ``ip`` is refused, or None when it is allowed."""
    if policy.allow_private or any(ip in net for net in policy.allowed_networks):
        return None
    kinds = (
        (ip.is_loopback, "a loopback address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "a non-public address"),
    )
    return next((name for refused, name in kinds if refused), None)


def shown(text: str) -> str:
    """Return ``text`` on one printable line of at most 200 characters."""
    flat = "".join(c if c.isprintable() else "?" for c in text)
    return flat if len(flat) <= _SHOWN_CHARS else flat[: _SHOWN_CHARS - 3] + "..."


def _one_line(err: BaseException) -> str:
    text = str(err).strip()
    line = text.splitlines()[0] if text else type(err).__name__
    return shown(line)
