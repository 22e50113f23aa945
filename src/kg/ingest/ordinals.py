"""Turkish ordinals of meetings: "7.", "2'nci", "ilk", "ikincisi", "üçüncü", "beşincisi", "yedinci" …"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.ingest.turkish import fold

WORDS = {"ilk": 1, "birinci": 1, "ikinci": 2, "üçüncü": 3, "dördüncü": 4, "beşinci": 5, "altıncı": 6,
         "yedinci": 7, "sekizinci": 8, "dokuzuncu": 9, "onuncu": 10, "on birinci": 11, "on ikinci": 12}
_WORD = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(WORDS, key=len, reverse=True))
# "ikincisi", "beşincisi", "üçüncüsü": the ordinal as a noun ("the second one"); "-nde", "-ye" …: with a case ending
_NOUN = r"(?P<noun>s[iıuü](?:n[ie]|n[ıu]n|n[de]|n[da]|y[ae]|n)?)?"
_WORD_RE = re.compile(rf"(?<![\w])(?P<word>{_WORD}){_NOUN}(?![\w])")
# "ilki", "ilkinde": "ilk" ends in a consonant, so its possessive takes no s ("ilkin" alone is "at first")
_ILK_NOUN = re.compile(r"(?<![\w])ilk(?P<noun>i(?:nin|nde|nden|ne|ni)?)(?![\w])")
# "bir ilk" (a first), "ilk kez", "ilk defa", "ilk olarak" (for the first time): no meeting is counted
_A_FIRST, _FIRST_TIME = re.compile(r"(?<![\w])bir\s+$"), re.compile(r"\s+(?:kez|defa|kere|olarak)(?![\w])")
# "7." (followed by a word that is not a year or a number), "2'nci", "3'üncü", "7 'nci"
_DIGIT_RE = re.compile(r"(?<![\w.,])(?P<n>\d{1,2})(?:\.(?=\s+[^\W\d])|\s?'(?:n?c[iıuü]|[iıuü]nc[iıuü])(?![\w]))")


@dataclass(frozen=True)
class Ordinal:
    """An ordinal in the text: span, value, and whether it stands as a noun ("ikincisi": the second one)."""

    start: int
    end: int
    value: int
    noun: bool = False


def find_ordinals(text: str) -> list[Ordinal]:
    """Every ordinal of the text, in order (whether it counts meetings is for the caller to judge)."""
    folded = fold(text)
    found = [Ordinal(m.start(), m.end(), WORDS[re.sub(r"\s+", " ", m.group("word"))], bool(m.group("noun")))
             for m in _WORD_RE.finditer(folded)]
    found += [Ordinal(m.start(), m.end(), 1, True) for m in _ILK_NOUN.finditer(folded)]
    found = [o for o in found if o.value != 1 or not (_A_FIRST.search(folded[max(0, o.start - 8):o.start])
                                                      or _FIRST_TIME.match(folded[o.end:o.end + 12]))]
    found += [Ordinal(m.start(), m.end(), int(m.group("n"))) for m in _DIGIT_RE.finditer(folded)]
    return sorted(found, key=lambda o: o.start)


def ordinal_value(word: str) -> int | None:
    """The value of one ordinal written alone ("beşincisi" → 5, "7." → 7); None if it is not one."""
    if re.fullmatch(r"\d{1,2}\.", word.strip()):
        return int(word.strip()[:-1])
    found = find_ordinals(word.strip())
    return found[0].value if len(found) == 1 and found[0].end - found[0].start == len(word.strip()) else None
