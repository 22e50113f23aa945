"""Where a meeting was and which state hosted it, read from one clause of a Turkish text about it: a capital
("Kazakistan'ın başkenti Astana'da"), a city after its state ("Kırgızistan'ın Çolpon-Ata şehrinde"), a name in
the locative, "… ev sahipliğinde". A city beats a state named as the place; the host is then the city's state."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.ingest import turkish
from kg.ingest.gazetteer import Gazetteer, Mention
from kg.vocab import CASD, RES

if TYPE_CHECKING:
    from kg.ingest.extract import Extraction, _Meeting

_CAPITAL = re.compile(r"(?P<state>\S+?)'?(?:ın|in|nın|nin|un|ün)\s+başkenti\s+(?P<city>[^\W\d_][\w]*)")
_HOSTED = re.compile(r"(?<!\w)\S+?'?(?:ın|in|nın|nin|un|ün)\s+ev\s+sahipliği(?:nde|\s+yaptığı|\s+yapacağı)(?!\w)")
_HOSTS = re.compile(r"ev\s+sahipliği\s+yap(?:tı|acak|ıyor)(?!\w)")
_PLACE_NOUN = re.compile(r"\s+(?:şehr|kent|il)i'?n?(?:de|da)(?!\w)")
_NAMED_AREA = re.compile(r"(?:\s+[A-ZÇĞİÖŞÜ][\w]*){1,4}['’]?n?(?:de|da|te|ta)(?!\w)")


def where(text: str, folded: str, m: _Meeting, clause: tuple[int, int], anchor: tuple[int, int],
          names: list[Mention], gaz: Gazetteer, found: Extraction) -> None:
    """The meeting's place and host state as one clause of it gives them (after its anchor first, else before)."""
    cs, ce = clause
    as_, ae = anchor
    for c in _CAPITAL.finditer(folded, cs, ce):
        state = next((n for n in names if n.kind == "state" and n.start == c.start("state")), None)
        city_name, city_suffix = turkish.split_suffix(text[c.start("city"):c.end("city")])
        city = next((n for n in names if n.kind in ("city", "place") and n.start == c.start("city")), None)
        if city is None:
            iri = RES["place"][turkish.ascii_slug(city_name)]
            city = Mention(c.start("city"), c.start("city") + len(city_name), iri, "city", city_suffix,
                           new=iri not in gaz.entries, label=city_name)
            if city.new:
                found.new[iri] = (CASD.City, city_name)
        if _better(m.place, city, gaz, state.iri if state is not None else None):
            m.place, m.place_end = city, locative_end(text, folded, city)
        if state is not None and m.host is None:
            m.host = (state.iri, c.start(), c.start("city") + len(city_name), "capital-of-state", CASD.CuratorReading)
    if m.place is None or m.place.kind == "state":
        for n in names:                 # "Kırgızistan'ın Çolpon-Ata şehrinde": a known city after its state
            state = next((x for x in names if x.kind == "state" and turkish.is_genitive(x.suffix) and
                          re.fullmatch(r"'?" + re.escape(x.suffix) + r"\s+", folded[x.end:n.start])), None)
            end = locative_end(text, folded, n)
            if cs <= n.start < ce and n.kind == "city" and state is not None and end is not None and \
                    _better(m.place, n, gaz, state.iri):
                m.place, m.place_end = n, end
                if m.host is None:
                    m.host = (state.iri, state.start, n.end, "city-of-state", CASD.CuratorReading)
                break
    locs = [(n, end) for n in names if cs <= n.start < ce and n.kind in ("city", "state")
            and (end := locative_end(text, folded, n)) is not None]
    locs = [x for x in locs if x[0].start >= ae] or [x for x in locs if x[0].end <= as_][-1:]
    if locs and locs[0][0].kind == "state":   # "Kazakistan'da, Astana'da": the city in that state
        locs = [x for x in locs if _better(locs[0][0], x[0], gaz)][:1] or locs
    if locs and (m.place is None or _better(m.place, locs[0][0], gaz)):
        m.place, m.place_end = locs[0]
    for host in _HOSTED.finditer(folded, cs, ce):   # "Tacikistan'ın ev sahipliğinde", "… ev sahipliği yaptığı"
        state = next((n for n in names if n.kind == "state" and n.start == host.start()), None)
        if state is not None:
            m.host = (state.iri, host.start(), host.end(), "ev-sahipliginde", CASD.Stated)
            return
    hosts = _HOSTS.search(folded, cs, ce)      # "Kazakistan, … toplantıya ev sahipliği yapacak"
    first = next((n for n in names if cs <= n.start < ce), None)
    if hosts and first is not None and first.kind == "state" and not first.suffix and \
            re.match(r"\s*(?:,|\s(?:bu|yarın|bugün|\d))", folded[first.end:first.end + 8]):
        m.host = (first.iri, first.start, hosts.end(), "ev-sahipligi-yapti", CASD.Stated)


def _better(current: Mention | None, new: Mention, gaz: Gazetteer, state: object = None) -> bool:
    """Whether `new` should be the meeting's place instead of `current`: there is none yet, or `current` is a
    state and `new` a city in it (or a city the graph places nowhere yet)."""
    if current is None:
        return True
    lies_in = state if state is not None else gaz.city_state.get(new.iri)
    return current.kind == "state" and new.kind in ("city", "place") and lies_in in (None, current.iri)


def host_from_place(m: _Meeting, gaz: Gazetteer) -> None:
    """Without a host stated, the state of the meeting's place (a reading)."""
    if m.host is None and m.place is not None:
        state_iri = m.place.iri if m.place.kind == "state" else gaz.city_state.get(m.place.iri)
        if state_iri is not None:
            m.host = (state_iri, m.place.start, m.place.end, "host-is-state-of-place", CASD.CuratorReading)


def locative_end(text: str, folded: str, n: Mention) -> int | None:
    """Where the phrase that puts a meeting at a place ends, if the name is one: "Taşkent'te", "Kazakistanda",
    "Çolpon-Ata şehrinde", "Avaza Milli Turizm Bölgesi'nde" (a city then capitalised words in the locative),
    "Astana gerçekleşti …"; None if the name is not said as where something is."""
    after = n.end + len(n.suffix) + (1 if folded[n.end:n.end + 1] == "'" else 0)
    if n.suffix and turkish.is_locative(n.suffix):
        return after
    if n.suffix:
        return None
    if g := _PLACE_NOUN.match(folded, n.end):
        return g.end()
    if n.kind == "city" and (g := _NAMED_AREA.match(text, n.end)):
        return g.end()
    if re.match(r"\s+(?:gerçekleş|yapıl|düzenlen)", folded[n.end:n.end + 16]):
        return n.end
    return None
