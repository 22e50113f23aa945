"""URL-encoded forms and query strings decoded at C speed: the same result as `parse_qs(…, keep_blank_values=True)`.

A SPARQL query sent as a form is mostly %XX escapes, which the standard library decodes one by one in Python
(17 µs for a 390-byte query, a tenth of a small query's whole cost). When every `%` opens a valid escape and
there is no raw line break, each value is decoded in one call to `binascii.a2b_qp` instead (1 µs): `%XX`
becomes quoted-printable's `=XX` (and a literal `=` becomes `=3D`). Anything else goes to `parse_qs` itself.
"""
from __future__ import annotations

import binascii
import re
from urllib.parse import parse_qs

_WELL_FORMED = re.compile(rb"[^%\r\n]*(?:%[0-9A-Fa-f]{2}[^%\r\n]*)*")


def parse(data: bytes | str) -> dict[str, list[str]]:
    """Field name → values in order, with `+` as space, escapes decoded as UTF-8 (errors replaced); bytes that
    are not ASCII are read as UTF-8 too."""
    if not data:
        return {}
    raw = data.encode("ascii") if isinstance(data, str) and data.isascii() else data
    if not isinstance(raw, bytes) or not raw.isascii() or _WELL_FORMED.fullmatch(raw) is None:
        return parse_qs(data if isinstance(data, str) else data.decode("utf-8", "replace"), keep_blank_values=True)
    fields: dict[str, list[str]] = {}
    for pair in raw.split(b"&"):
        if pair:
            name, _, value = pair.partition(b"=")
            fields.setdefault(_unquote(name), []).append(_unquote(value))
    return fields


def _unquote(value: bytes) -> str:
    if b"%" not in value and b"+" not in value:
        return value.decode("ascii")
    return binascii.a2b_qp(value.replace(b"+", b" ").replace(b"=", b"=3D").replace(b"%", b"=")).decode("utf-8", "replace")
