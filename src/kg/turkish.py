"""Turkish case folding, shared by linking (kg.link.names) and ingestion (kg.ingest.turkish).

I folds to ı and İ to i before lower-casing (Python's own lower() makes "I" an "i" and "İ" two code points), one
code point for one, so that an offset in the folded text is the same offset in the original.
"""
from __future__ import annotations

APOSTROPHES = "'’‘ʼ`´"
TURKISH_CASE = {"I": "ı", "İ": "i"}


def fold_char(c: str) -> str:
    """One code point folded for comparison (Turkish dotted and dotless I, one apostrophe; one code point out)."""
    if c in TURKISH_CASE:
        return TURKISH_CASE[c]
    if c in APOSTROPHES:
        return "'"
    low = c.lower()
    return low if len(low) == 1 else c


def fold(text: str) -> str:
    """The text folded for comparison, code point for code point (same length, same offsets)."""
    return "".join(fold_char(c) for c in text)
