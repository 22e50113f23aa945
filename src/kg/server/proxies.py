"""Who the client is behind a reverse proxy: X-Forwarded-For, believed only from the proxies an operator names.

The throttle counts requests per client address. Behind a proxy every request comes from the proxy's address,
so all clients would share one budget; trusting X-Forwarded-For from anyone would let every client choose its
own address and escape the throttle. So the header is read only when the connection comes from a configured
proxy, and from the right: the client is the nearest address in the chain that is not itself a trusted proxy
(as nginx's `real_ip_recursive`). werkzeug's ProxyFix trusts a fixed number of hops from any peer, which is
the second of those mistakes, so it is not used here.
"""
from __future__ import annotations

import ipaddress
from typing import Callable, Iterable

from kg.errors import KgError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or networks (CIDR) of trusted proxies; KgError naming a value that is neither."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise KgError(f"--trust-proxy {value}: give an IP address or a network such as 10.0.0.0/8") from None
    return tuple(networks)


def client_address(peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str | None:
    """The client's address: the peer, unless the peer is a trusted proxy that says whom it forwards for."""
    if not trusted or not forwarded_for or not _is_trusted(peer, trusted):
        return peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        if not _is_trusted(hop, trusted):
            return hop if _is_address(hop) else peer     # a malformed hop: the proxy's own address is all we know
    return peer


class ForwardedFor:
    """WSGI middleware: REMOTE_ADDR becomes the client's address where a trusted proxy forwarded the request."""

    def __init__(self, app: Callable, trusted: tuple[Network, ...]):
        self.app, self.trusted = app, trusted

    def __call__(self, environ: dict, start_response: Callable):
        peer = environ.get("REMOTE_ADDR")
        client = client_address(peer, environ.get("HTTP_X_FORWARDED_FOR"), self.trusted)
        if client != peer:
            environ["REMOTE_ADDR"] = client
        return self.app(environ, start_response)


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_trusted(value: str | None, trusted: tuple[Network, ...]) -> bool:
    try:
        address = ipaddress.ip_address(value or "")
    except ValueError:
        return False
    return any(address in network for network in trusted)
