"""Turkish text for matching: apostrophes, and names followed by case suffixes (the folding, which keeps offsets,
is kg.turkish's, shared with linking)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kg.turkish import APOSTROPHES, fold, fold_char  # noqa: F401  (the shared folding; callers use turkish.fold)

LETTER = r"[^\W\d_]"                     # a letter, in any script

# Case and possessive endings that follow a proper name, with or without an apostrophe
# ("Taşkent'te", "Kazakistanda", "Tacikistan'ın", "Mirziyoyev'in", "Toplantısı'na", "Afganistan'daki").
SUFFIXES = sorted({
    "da", "de", "ta", "te", "dan", "den", "tan", "ten", "daki", "deki", "taki", "teki", "dakı", "dekı",
    "ın", "in", "un", "ün", "nın", "nin", "nun", "nün", "yın", "yin",
    "a", "e", "ya", "ye", "na", "ne", "ı", "i", "u", "ü", "yı", "yi", "yu", "yü", "nı", "ni", "nu", "nü",
    "la", "le", "yla", "yle", "ca", "ce", "ça", "çe", "lı", "li", "lu", "lü", "ki", "dır", "dir",
    "nda", "nde", "ndan", "nden", "nın", "nin", "ndaki", "ndeki",
}, key=len, reverse=True)
_SUFFIX_RE = "(?:" + "|".join(re.escape(s) for s in SUFFIXES) + ")"
LOCATIVE = ("da", "de", "ta", "te", "nda", "nde", "daki", "deki", "taki", "teki", "ndaki", "ndeki")
GENITIVE = ("ın", "in", "un", "ün", "nın", "nin", "nun", "nün")


def ascii_slug(text: str) -> str:
    """An IRI slug from Turkish words: folded, letters without diacritics (ş→s, ı→i), words joined by '-'."""
    base = unicodedata.normalize("NFKD", fold(text).replace("ı", "i"))
    kept = "".join(c for c in base if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", kept).strip("-")


_LATIN = str.maketrans({"j": "c", "w": "v", "q": "k"})


def skeleton(word: str) -> str:
    """A spelling-variant key: folded, ASCII, doubled letters single, vowels after the first letter dropped
    ("Şavkat" and "Şevket" → "svkt"; "Berdimuhamedov" and "Berdimuhammedov" → "brdmhmdv"; "Japarov" and
    "Caparov" → "cprv")."""
    s = ascii_slug(word).replace("-", "")
    s = s.translate(_LATIN)                      # Turkish c is English j ("Caparov", "Japarov"); w is v
    s = re.sub(r"(.)\1+", r"\1", s)
    return s[:1] + re.sub(r"[aeiouy]", "", s[1:])


@lru_cache(maxsize=4096)
def name_pattern(name: str) -> re.Pattern[str]:
    """A pattern, for the folded text, of the name (words separated by any white space) followed by an optional
    apostrophe and case suffix; group 'suffix' holds the suffix. Word-bounded on both sides."""
    words = fold(name).split()
    body = r"\s+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w'])(?P<name>{body})(?:'?(?P<suffix>{_SUFFIX_RE}))?(?![\w])")


def split_suffix(word: str) -> tuple[str, str]:
    """(stem, suffix) of a word: at an apostrophe if there is one, else ('word', '')."""
    for mark in APOSTROPHES:
        if mark in word:
            stem, _, rest = word.partition(mark)
            return stem, rest
    return word, ""


def is_locative(suffix: str) -> bool:
    """Whether a case suffix is locative ("in/at": -da, -de, -ta, -te, and -daki …)."""
    return fold(suffix) in LOCATIVE


def is_genitive(suffix: str) -> bool:
    """Whether a case suffix is genitive ("of": -ın, -in, -nın …)."""
    return fold(suffix) in GENITIVE


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for each word of the text (letters and digits; an apostrophe inside a word is
    kept, as in "Taşkent'te")."""
    folded = fold(text)
    return [(m.start(), m.end(), m.group()) for m in re.finditer(r"\w+(?:'\w+)*", folded)]


def stem(word: str) -> str:
    """A crude Turkish stem for prefix matching: the folded word before an apostrophe, less a last vowel or a
    possessive/case ending when at least four letters remain ("güvenliği" → "güvenl", "bölgenin" → "bölge")."""
    w = split_suffix(fold(word))[0]
    for ending in ("sının", "sinin", "ının", "inin", "nın", "nin", "sı", "si", "ğı", "ği", "ın", "in", "ı", "i",
                   "a", "e", "u", "ü"):
        if w.endswith(ending) and len(w) - len(ending) >= 4:
            w = w[: -len(ending)]
            break
    return w[:-1] if w.endswith(("ğ", "k")) and len(w) > 5 else w
