"""Refuse, before evaluation, any SERVICE or LOAD that would fetch from a host not on the allow-list.

The embedded engine opens a connection for every SERVICE and LOAD IRI; it never fetches FROM / FROM NAMED
graphs (they name graphs of the store), so those pass. `check` returns the text the engine must evaluate:
a canonical rewrite in which the engine cannot read a SERVICE or LOAD other than the ones checked.

Why that holds by construction. The engine (spargebra 0.4 in pyoxigraph 0.5.13; its peg grammar in Oxigraph's
lib/spargebra/src/parser.rs) matches the keywords case-insensitively on the raw text, with no word boundary
(`i("SERVICE") _ i("SILENT")? _ VarOrIri`, `_` possibly empty), and decodes `\\u` escapes only inside IRIs and
strings, never in keywords. In the returned text the letters SERVICE or LOAD (any case) stand only
  - as a keyword we checked, written `SERVICE [SILENT] <absolute-iri>` with the operand we resolved, or
  - inside a variable name (`?` or `$` and name characters up to them: the engine reads a variable there, as
    its path modifier `?` is never followed by a name character);
inside IRIs and strings they are written as `\\u0073ervice` (the same IRI or string to the engine), prefixed
names holding them become `<iri>`, comments holding them become spaces, and PREFIX declarations of such names
are dropped (every use of them became an IRI). Anything else holding them is refused as ambiguous, and the
finished text is scanned once more to prove the rule.
"""
from __future__ import annotations

import bisect
import functools
import ipaddress
import re
import socket
from urllib.parse import urljoin, urlsplit

from kg.errors import KgError
from kg.sparql.lexer import Token, decode_iri, lex, local_name

_WORDS = re.compile(r"service|load", re.I)          # re.I folds more than ASCII: a superset of the engine's
_ANY_ESCAPE = re.compile(r"\\[uU]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_UNSAFE_IN_IRIREF = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_DOT_SEGMENT = re.compile(r"/\.\.?(?:/|$|[?#])")
_SKIP = ("ws", "comment")


class Refused(KgError):
    """A request that would make the server fetch from somewhere it may not."""


def check(text: str, allow: tuple[str, ...] | list[str], base_iri: str | None = None) -> str:
    """The text the engine must evaluate instead of `text`; raise Refused if it would fetch from an endpoint
    that is not allowed. `base_iri` is the base the engine is given for relative IRIs."""
    if "\\" in text and _engine_decodes_whole_text() and _ANY_ESCAPE.search(text):
        raise Refused("this engine decodes \\u escapes before parsing; requests that contain them are refused")
    folded = text.casefold()
    if "service" not in folded and "load" not in folded:
        return text                          # no SERVICE or LOAD keyword can be read: the fast exit
    out = _Canonical(text, tuple(allow), base_iri).run()
    return text if out == text else out


@functools.cache
def _engine_decodes_whole_text() -> bool:
    """Whether the engine decodes \\u escapes over the whole text before parsing (spargebra's optional
    `standard-unicode-escaping` feature); pyoxigraph 0.5.13 does not. A tripwire for an upgrade."""
    import pyoxigraph
    try:
        pyoxigraph.Store().query("\\u0041SK {}")
    except SyntaxError:
        return False
    return True


class _Canonical:
    """One pass over the tokens, writing the canonical text and the spans where the words may stand."""

    def __init__(self, text: str, allow: tuple[str, ...], base_iri: str | None):
        self.text, self.allow, self.base = text, allow, base_iri
        self.toks = lex(text)
        self.prefixes: dict[str, str | None] = {}
        self.out: list[str] = []
        self.size = 0
        self.allowed: list[tuple[int, int]] = []
        self.blank_until = -1

    def run(self) -> str:
        """The canonical text, proven free of any other reading of SERVICE or LOAD."""
        i = 0
        while i < len(self.toks):
            i = self._token(i)
        result = "".join(self.out)
        starts = [a for a, _ in self.allowed]
        for m in _WORDS.finditer(result):
            k = bisect.bisect_right(starts, m.start()) - 1
            if k < 0 or m.end() > self.allowed[k][1]:
                raise _ambiguous(result, m.start())
        return result

    def _emit(self, piece: str, allowed: tuple[int, int] | None = None) -> None:
        if allowed is not None:
            self.allowed.append((self.size + allowed[0], self.size + allowed[1]))
        self.out.append(piece)
        self.size += len(piece)

    def _next(self, i: int) -> int | None:
        for j in range(i + 1, len(self.toks)):
            if self.toks[j].kind not in _SKIP:
                return j
        return None

    def _token(self, i: int) -> int:
        tok = self.toks[i]
        words = _WORDS.search(tok.text) is not None
        if i <= self.blank_until:
            self._emit(" " * len(tok.text))
        elif tok.kind == "word" and tok.text.upper() in ("SERVICE", "LOAD"):
            return self._keyword(i)
        elif tok.kind == "word" and tok.text.upper() in ("PREFIX", "BASE"):
            self._declaration(i)
            self._emit(" " * len(tok.text) if i <= self.blank_until else tok.text)
        elif not words or tok.kind == "ws":
            self._emit(tok.text)
        elif tok.kind == "comment":
            self._emit(" " * len(tok.text))
        elif tok.kind in ("iri", "string"):
            self._emit(_hide(tok.text))
        elif tok.kind == "var":
            self._emit(tok.text, (0, len(tok.text)))
        elif tok.kind == "pname":
            self._emit(f"<{self._iri_text(tok, self._pname(tok))}>")
        else:
            raise _ambiguous(self.text, tok.start)
        return i + 1

    def _declaration(self, i: int) -> None:
        """Follow PREFIX and BASE as the engine does (each resolved against the BASE before it)."""
        j = self._next(i)
        if j is None:
            return
        if self.toks[i].text.upper() == "BASE" and self.toks[j].kind == "iri":
            self.base = self._absolute(self.toks[j]) or self.base
            return
        k = self._next(j)
        name = self.toks[j]
        if name.kind == "pname" and name.text.endswith(":") and k is not None and self.toks[k].kind == "iri":
            self.prefixes[name.text[:-1]] = self._absolute(self.toks[k])
            if _WORDS.search(name.text):
                self.blank_until = k          # every use of this prefix holds the word and becomes an <iri>

    def _keyword(self, i: int) -> int:
        """Check SERVICE/LOAD [SILENT] operand, and write it canonically with the IRI that was checked."""
        keyword = self.toks[i].text.upper()
        j = self._next(i)
        silent = False
        if j is not None and self.toks[j].kind == "word" and self.toks[j].text.upper() == "SILENT":
            silent, j = True, self._next(j)
        target = self.toks[j] if j is not None else None
        if target is not None and target.kind == "var":
            raise Refused(f"{keyword} {target.text}: a variable endpoint cannot be checked against the allow-list")
        if j is None or target is None or target.kind not in ("iri", "pname"):
            raise Refused(f"{keyword} at character {self.toks[i].start} is not followed by an IRI or a prefixed "
                          "name, so its endpoint cannot be checked against the allow-list")
        iri = self._absolute(target) if target.kind == "iri" else self._pname(target)
        if iri is None:
            raise Refused(f"{keyword} {target.text}: the IRI cannot be resolved (a relative IRI needs a BASE)")
        _check_endpoint(keyword, iri, self.allow)
        body = self._iri_text(target, iri)
        if _DOT_SEGMENT.search(urlsplit(iri).path + "?"):
            raise Refused(f"{keyword} <{iri}>: write the endpoint without ./ or ../ segments")
        self._emit(f" {keyword}{' SILENT' if silent else ''} <{body}> ", (1, 1 + len(keyword)))
        return j + 1

    def _absolute(self, tok: Token) -> str | None:
        ref = decode_iri(tok.text[1:-1])
        if ref is None or _SCHEME.match(ref):
            return ref
        if self.base is None or not _SCHEME.match(self.base):
            return None
        joined = urljoin(self.base, ref)
        return joined if _SCHEME.match(joined) else None

    def _pname(self, tok: Token) -> str:
        prefix, local = local_name(tok.text)
        namespace = self.prefixes.get(prefix)
        if namespace is None:
            raise Refused(f"{tok.text}: the prefix {prefix}: is not declared (with an absolute IRI) before it, "
                          "so the IRI cannot be checked")
        return namespace + local

    def _iri_text(self, tok: Token, iri: str) -> str:
        if _UNSAFE_IN_IRIREF.search(iri):
            raise Refused(f"{tok.text}: the IRI {iri!r} holds characters an IRI cannot hold")
        return _hide(iri)


def _ambiguous(text: str, at: int) -> Refused:
    """The refusal of a text that may hold SERVICE or LOAD at character `at` in another reading than ours."""
    return Refused(f"the request is ambiguous about SERVICE/LOAD at character {at} ({text[max(0, at - 15):at + 20]!r}): "
                   "write SERVICE or LOAD as a separate word followed by an IRI, and the words elsewhere "
                   "only inside strings, IRIs, prefixed names or variable names")


def _hide(text: str) -> str:
    """An IRI or string with the first letter of each SERVICE/LOAD written as a \\u escape (same value)."""
    return _WORDS.sub(lambda m: f"\\u{ord(m.group()[0]):04X}{m.group()[1:]}", text)


def _check_endpoint(keyword: str, iri: str, allow: tuple[str, ...]) -> None:
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
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])   # an IPv4 or IPv6 address: already a str
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

