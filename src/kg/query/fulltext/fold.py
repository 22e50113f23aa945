"""Turkish folding, tokens and stems, the same on the index side and the query side.

Folding: I→ı and İ→i before lower-casing (Python's lower() makes "I" an "i" and "İ" an "i" with a combining dot),
then ı→i, then every combining mark stripped (â→a, ç→c, ş→s, ğ→g, ö→o, ü→u), so that "IĞDIR", "ığdır" and
"Iğdır" meet, and "ırak" and "IRAK" too; apostrophes split words ("Kazakistan'ın" → "kazakistan in").
"""
from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Iterator

import snowballstemmer

APOSTROPHES = "'’‘ʼ`´"
# A word: letters and digits (ʼ is a letter to Unicode, an apostrophe here), each possibly followed by combining
# marks (text that arrives decomposed, NFD).
TOKEN = re.compile(f"(?:[^\\W_{APOSTROPHES}][\u0300-\u036f]*)+")
STEM_CACHE = 65536          # distinct words whose stems are kept (the graph's source texts have ~20k)
MAX_SUFFIX = 6              # letters after an apostrophe read as a suffix ("'ndaki"), not a word ("O‘zbekiston")
COMBINING_MARKS = re.compile("[" + "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c))) + "]")

# Ours, short on purpose: the function words of Turkish and English that a researcher's query carries but that do
# not say what is sought. Folded (as fold() writes them). Only query words are dropped; the index keeps every word,
# so phrases and snippets still see them.
STOP_WORDS: frozenset[str] = frozenset("""
    ve ile de da ki bu su o bir icin gibi daha cok en mi mu ya veya ama fakat ise ne her hem
    olan olarak diye kadar sonra once ayni tum
    the a an and or of in on at to for by with from as is are was were be been it its this that these those
    not no but into about than
""".split())


def turkish_lower(text: str) -> str:
    """Lower-case as Turkish does (I→ı, İ→i), one code point for one."""
    return text.replace("I", "ı").replace("İ", "i").lower()


def _strip_marks(text: str) -> str:
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", COMBINING_MARKS.sub("", unicodedata.normalize("NFD", text)))


def fold(text: str) -> str:
    """Text folded for comparison: Turkish lower case, ı→i, no diacritics, apostrophes as spaces."""
    folded = _strip_marks(turkish_lower(text)).replace("ı", "i")
    return re.sub(f"[{APOSTROPHES}]", " ", folded)


def spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each word of the original text, so a snippet can mark the original words."""
    for match in TOKEN.finditer(text):
        yield match.start(), match.end()


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each word that the index and the query keep: a suffix after a proper noun's apostrophe
    ("Kazakistan'ın", "Taşkent'te") is left out, so the name alone is what must match."""
    for start, end in spans(text):
        if start >= 2 and text[start - 1] in APOSTROPHES and text[start - 2].isalnum() and end - start <= MAX_SUFFIX:
            continue
        yield start, end


SUFFIX = re.compile(f"(?<=[^\\W_])[{APOSTROPHES}][^\\W_]{{1,{MAX_SUFFIX}}}(?![^\\W_])")


def kept_words(text: str) -> list[str]:
    """The words of the original text that the index and the query keep (word_spans' words, found faster)."""
    return TOKEN.findall(SUFFIX.sub(" ", text))


@functools.lru_cache(maxsize=STEM_CACHE)
def fold_word(word: str) -> str:
    """One word folded (a word holds no apostrophe or space, so folding keeps it one word)."""
    return fold(word)


def words(text: str) -> list[str]:
    """The folded words of a text (letters and digits), in order."""
    return [w for start, end in spans(text) if (w := fold_word(text[start:end]))]


_STEMMERS = threading.local()


def _stemmer() -> snowballstemmer.stemmer:
    """One Snowball stemmer per thread (a stemmer keeps state while it works on a word)."""
    found = getattr(_STEMMERS, "turkish", None)
    if found is None:
        found = _STEMMERS.turkish = snowballstemmer.stemmer("turkish")
    return found


@functools.lru_cache(maxsize=STEM_CACHE)
def stem(word: str) -> str:
    """Snowball Turkish stem of one word, taken on the Turkish lower case (the stemmer needs ı and ş), then folded."""
    return fold(_stemmer().stemWord(turkish_lower(word))).strip()
