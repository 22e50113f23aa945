"""Compare names across languages and transliterations: Sadır Caparov, Sadyr Japarov and Sadyr Zhaparov are one name.

Turkish case folding first (İ → i, I → ı, so that "İmamali" and "IŞIK" fold as Turkish readers mean them),
then one Latin spelling for the sounds that Turkish, English and Russian-derived transliterations write
differently (c/j/zh/dzh, ş/sh, ç/ch, ı/y/i, ğ/gh, kh/h, w/v), then a consonant skeleton that also
equates vowel variants (Rahman / Rahmon, İmamali / Emomali).
"""
from __future__ import annotations

import difflib
import re
import unicodedata

from kg import turkish

_TO_LATIN = str.maketrans({"ı": "i", "ş": "sh", "ç": "ch", "ğ": "g", "ö": "o", "ü": "u", "â": "a", "î": "i",
                           "û": "u", "ə": "a", "ñ": "n", "ň": "n", "ý": "y", "ž": "zh", "š": "sh", "č": "ch"})
_SOUNDS = [(r"dzh|dj|zh|j", "j"), (r"kh", "h"), (r"q", "k"), (r"gh", "g"), (r"w", "v"), (r"y", "i"), (r"ph", "f"),
           (r"(.)\1", r"\1")]
_VOWELS = re.compile(r"[aeiou]")


def fold(text: str, language: str | None = None) -> str:
    """Lower case with Turkish dotted and dotless i kept apart where the text is Turkish (or unmarked)."""
    if language in (None, "tr", "az", "tk", "kk", "ky", "uz", "crh"):
        return turkish.fold(text)
    return text.lower()


def normalise(text: str, language: str | None = None) -> str:
    """One Latin spelling of a name: folded, transliterated, with hyphens and punctuation as spaces."""
    text = fold(text, language).translate(_TO_LATIN)
    if language == "tr":
        text = text.replace("c", "j")        # Turkish c is the j of Japarov (Caparov)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    for pattern, repl in _SOUNDS:
        text = re.sub(pattern, repl, text)
    return text


def skeleton(word: str) -> str:
    """A normalised word without its vowels: Rahman and Rahmon are both rhmn, İmamali and Emomali mml."""
    return _VOWELS.sub("", word)


def word_similarity(a: str, b: str) -> float:
    """0..1 for two normalised words: the spelling, or (a little lower) the consonant skeleton, whichever is closer."""
    if a == b:
        return 1.0
    spelled = difflib.SequenceMatcher(None, a, b).ratio()
    bones = difflib.SequenceMatcher(None, skeleton(a), skeleton(b)).ratio() * 0.95 if len(a) > 3 and len(b) > 3 else 0.0
    return max(spelled, bones)


def similarity(ours: str, ours_language: str | None, theirs: str, theirs_language: str | None) -> float:
    """How well a name we hold is covered by a candidate's name: each of our words against its best match there.

    Coverage of our words, not of theirs: a document that gives only a surname ("Berdimuhamedov") matches a
    full name fully, so telling father from son is left to the checks of position and time, as it must be.
    """
    mine, other = normalise(ours, ours_language).split(), normalise(theirs, theirs_language).split()
    if not mine or not other:
        return 0.0
    best = [max(word_similarity(w, o) for o in other) for w in mine]
    return sum(best) / len(best)


# Turkish letters as other sources write them in Latin (typed as str.maketrans takes it).
_TURKISH_LATIN: dict[str, str | int | None] = {"ı": "y", "ş": "sh", "ç": "ch", "ğ": "g", "ö": "o", "ü": "u",
                                               "Ş": "Sh", "Ç": "Ch", "Ö": "O", "Ü": "U", "İ": "I", "â": "a"}


def spellings(name: str, language: str | None) -> list[str]:
    """Search strings for a name: as written, and in the Latin spellings other sources use (Caparov → Japarov,
    Zhaparov; Berdimuhamedov → Berdimuhamedow; Şavkat → Shavkat), without duplicates, most likely first."""
    out = [name]
    if language == "tr":
        latin = name.translate(str.maketrans(_TURKISH_LATIN))
        out += [latin, re.sub(r"\bC", "J", latin), re.sub(r"\bC", "Zh", latin)]
    base = out[-1] if language == "tr" else name
    out += [re.sub(r"ov\b", "ow", n) for n in (name, base)] + [re.sub(r"\bG(?=[aeiou])", "Gh", n) for n in (name, base)]
    seen: list[str] = []
    for s in out:
        if s not in seen:
            seen.append(s)
    return seen
