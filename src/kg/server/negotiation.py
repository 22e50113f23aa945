"""Content negotiation over the one format table: ?format= first, then the Accept header."""
from __future__ import annotations

from kg import formats
from kg.formats import Format


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first (stable for equal q)."""
    ranges = []
    for i, part in enumerate((header or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((fields[0].lower(), q, i))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(media, q) for media, q, _ in ranges]


def choose(kind: str, accept: str | None, requested: str | None = None) -> Format | None:
    """The format to answer with, or None when the client accepts none of this kind (406)."""
    candidates = formats.of_kind(kind)
    if requested:
        fmt = formats.lookup(requested)
        return fmt if fmt in candidates else None
    for media, q in parse_accept(accept):
        if q <= 0:
            continue
        if media in ("*/*", "*"):
            return formats.DEFAULT[kind]
        if media.endswith("/*"):
            family = media[:-1]
            match = next((f for f in candidates if f.media_type.startswith(family)), None)
        else:
            match = formats.lookup(media)
            match = match if match in candidates else None
        if match is not None:
            return match
    return None
