"""Names the graph does not know yet, proposed with IRIs made from them and marked as new for the curator: a
person named after an office word, a state named by the capitalised word before an office."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.ingest import turkish
from kg.ingest.gazetteer import Mention
from kg.vocab import CASD, RES

if TYPE_CHECKING:
    from kg.ingest.extract import Extraction

_NEW_NAME = re.compile(r"(?i:cumhurbaşkanı|devlet\s+başkanı|meclis\s+başkanı|başbakanı?)\s+"
                       r"(?P<name>[A-ZÇĞİÖŞÜ][\w]+(?:\s+[A-ZÇĞİÖŞÜ][\w]+){1,2})")


def new_people(text: str, cs: int, ce: int, known: list[Mention], found: Extraction) -> list[Mention]:
    """People the graph does not know, named after an office word: a new IRI from the name, marked as new."""
    out = []
    for m in _NEW_NAME.finditer(text, cs, ce):
        s, e = m.start("name"), m.end("name")
        if any(k.start < e and s < k.end for k in known):
            continue
        name, suffix = turkish.split_suffix(text[s:e])
        words = name.split()
        while words and turkish.fold(words[-1]) in ("ile", "ve", "da", "de"):
            words.pop()
        if len(words) < 2:
            continue
        name = " ".join(words)
        iri = RES["person"][turkish.ascii_slug(name)]
        found.new[iri] = (CASD.Person, name)
        out.append(Mention(s, s + len(name), iri, "person", "", new=True, label=name, how="new"))
    return out


def new_state(text: str, office_start: int, people: list[Mention], found: Extraction) -> Mention | None:
    """A state the graph does not know, named by the one capitalised word before an office ("Azerbaycan
    Cumhurbaşkanı"): a new IRI from the name, marked as new."""
    m = re.search(r"(?<![\w'])([A-ZÇĞİÖŞÜ][\w]+)(?:'(\w+))?\s+$", text[max(0, office_start - 30):office_start])
    if m is None:
        return None
    start = max(0, office_start - 30) + m.start(1)
    if any(p.start <= start < p.end for p in people):
        return None
    if m.group(2) and not turkish.is_genitive(m.group(2)) or re.match(r"(?:toplantı|zirve|istişare)", turkish.fold(
            m.group(1))):                      # "Toplantısı'na Cumhurbaşkanı …": a meeting in the dative, not a state
        return None
    name = m.group(1)
    iri = RES["state"][turkish.ascii_slug(name)]
    found.new[iri] = (CASD.State, name)
    return Mention(start, start + len(name), iri, "state", m.group(2) or "", new=True, label=name, how="new")
