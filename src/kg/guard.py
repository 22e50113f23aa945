"""Refuse, before evaluation, any SERVICE or LOAD that would fetch from a host not on the allow-list.

The embedded engine opens a connection for every SERVICE and LOAD IRI; it never fetches FROM / FROM NAMED
graphs (they name graphs of the store), so those pass. The check reads tokens, not text, so a query that
only mentions the word SERVICE in a string or a comment is not refused.
"""
from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

from kg.errors import KgError
from kg.sparql_lexer import Token, declarations, mentions, resolve, tokens


class Refused(KgError):
    """A request that would make the server fetch from somewhere it may not."""


def check(text: str, allow: tuple[str, ...] | list[str]) -> None:
    """Raise Refused if the query or update would fetch from an endpoint that is not allowed."""
    if not mentions(text, "SERVICE", "LOAD"):
        return
    toks = tokens(text)
    prefixes, base = declarations(toks)
    for i, tok in enumerate(toks):
        if not tok.is_word("SERVICE", "LOAD"):
            continue
        target = _operand(toks, i + 1)
        if target is None:
            continue                         # not a SERVICE/LOAD clause; the parser will judge it
        if target.kind == "var":
            raise Refused(f"SERVICE {target.text}: a variable endpoint cannot be checked against the allow-list")
        iri = resolve(target, prefixes, base)
        if iri is None:
            continue                         # unknown prefix: the parser will reject the request
        _check_endpoint(tok.text.upper(), iri, allow)


def _operand(toks: list[Token], i: int) -> Token | None:
    if i < len(toks) and toks[i].is_word("SILENT"):
        i += 1
    if i < len(toks) and toks[i].kind in ("iri", "pname", "var"):
        return toks[i]
    return None


def _check_endpoint(keyword: str, iri: str, allow) -> None:
    if iri not in allow:
        listed = ", ".join(allow) if allow else "empty"
        raise Refused(f"{keyword} <{iri}> is not on this server's allow-list ({listed}); "
                      f"start the server with --allow-service {iri} to permit it")
    parts = urlsplit(iri)
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        raise Refused(f"{keyword} <{iri}>: only http(s) endpoints without user information are allowed")
    _check_address(keyword, iri, parts.hostname or "")


def _check_address(keyword: str, iri: str, host: str) -> None:
    """A listed host *name* must not resolve to a private, loopback, link-local or reserved address (DNS can be
    changed to point a public name inside the network); an address written out in the allow-list is taken as
    meant. The engine follows no redirects (it reports them as errors), so no other target is ever reached."""
    try:
        ipaddress.ip_address(host)
        return                               # listed as an address: explicitly allowed
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError as err:
        raise Refused(f"{keyword} <{iri}>: the host name does not resolve ({err.strerror or err})") from None
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved or address.is_multicast:
            raise Refused(f"{keyword} <{iri}>: {host} resolves to {address}, an internal address; "
                          "list the endpoint by its address if it is meant")


def check_allow_list(allow: list[str]) -> list[str]:
    """Validate the configured endpoints: http(s), no user information, and a host name that resolves."""
    for iri in allow:
        parts = urlsplit(iri)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
            raise KgError(f"--allow-service {iri}: give an http(s) URL with a host and no user information")
    return list(allow)



def redact(message: str) -> str:
    """An engine error without the body a remote endpoint sent (it may hold anything that host chooses)."""
    return re.sub(r"\s*with payload:.*", " (the remote response body is not shown)", message, flags=re.S)
