"""Names to IRIs, read from the graph: states, people, places, positions, issues, organizations and meetings,
by their rdfs:label and skos:altLabel (Turkish and English), found in a text through case suffixes,
apostrophes, Turkish case folding and spelling variants."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from kg.config import Config
from kg.ingest import turkish
from kg.vocab import CASD, RES

KINDS = {CASD.State: "state", CASD.Person: "person", CASD.City: "city", CASD.Place: "place", CASD.Region: "place",
         CASD.Position: "position", CASD.Issue: "issue", CASD.Organization: "organization", CASD.Summit: "summit"}


@dataclass(frozen=True)
class Entry:
    """One entity of the graph: its IRI, kind and the labels it is known by."""

    iri: URIRef
    kind: str
    labels: tuple[str, ...]
    same_as: tuple[URIRef, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A name found in the text: its span (the name, without its suffix), the suffix, and what it names.
    `new` is set for a name the graph does not know (its IRI is proposed from the name)."""

    start: int
    end: int
    iri: URIRef
    kind: str
    suffix: str = ""
    new: bool = False
    label: str = ""
    how: str = "label"                     # label, surname, given name, spelling variant, new


@dataclass
class Gazetteer:
    """The entities of a graph by kind, with their labels folded for matching."""

    entries: dict[URIRef, Entry]
    summits: dict[int, URIRef] = field(default_factory=dict)          # ordinal → meeting
    summit_years: dict[URIRef, str] = field(default_factory=dict)     # meeting → its year, as the graph dates it
    city_state: dict[URIRef, URIRef] = field(default_factory=dict)    # city → its state
    tenures: list[tuple[URIRef, URIRef, str, str]] = field(default_factory=list)  # holder, position, start, end
    represents: dict[URIRef, URIRef] = field(default_factory=dict)    # position → whom its holder represents
    summit_days: dict[URIRef, set[str]] = field(default_factory=dict) # meeting → the days the graph dates it
    attended: dict[URIRef, set[URIRef]] = field(default_factory=dict)  # meeting → who the graph has taking part
    capacity: dict[tuple[URIRef, URIRef], tuple[URIRef, URIRef]] = field(default_factory=dict)  # (meeting, agent) →
    # (office, on whose behalf), where the graph has one of each

    def of_kind(self, *kinds: str) -> list[Entry]:
        """The entries of the given kinds, in IRI order."""
        return [e for _, e in sorted(self.entries.items()) if e.kind in kinds]

    def label(self, iri: URIRef, lang_first: str = "tr") -> str:
        """A label of the entity (its first Turkish label, else any), or its IRI's last segment."""
        e = self.entries.get(iri)
        return e.labels[0] if e and e.labels else str(iri).rsplit("/", 1)[-1]

    def find(self, text: str, kinds: tuple[str, ...] = ("state", "person", "city", "place", "organization"),
             when: str | None = None, meeting: URIRef | None = None) -> list[Mention]:
        """The names of the given kinds in the text, longest first and without overlaps, in text order; a
        person also by surname alone or given name alone after an office word, and by a spelling variant."""
        folded = turkish.fold(text)
        candidates: list[Mention] = []
        for entry in self.of_kind(*kinds):
            for label in entry.labels:
                for m in turkish.name_pattern(label).finditer(folded):
                    candidates.append(Mention(m.start("name"), m.end("name"), entry.iri, entry.kind,
                                              m.group("suffix") or "", label=label))
        chosen = _without_overlaps(candidates)
        if "person" in kinds:
            chosen = _without_overlaps(chosen + self._partial_people(text, folded, chosen, when, meeting))
        return chosen

    def _partial_people(self, text: str, folded: str, taken: list[Mention], when: str | None,
                        meeting: URIRef | None = None) -> list[Mention]:
        """People named by surname alone ("Mirziyoyev'in"), by given name after an office word
        ("Cumhurbaşkanı Sadır"), or by a two-word spelling variant ("Serdar Berdimuhammedov")."""
        people = self.of_kind("person")
        surnames: dict[str, set[URIRef]] = {}
        given: dict[str, set[URIRef]] = {}
        skeletons: dict[tuple[str, ...], set[URIRef]] = {}
        for p in people:
            for label in p.labels:
                parts = label.split()
                if len(parts) >= 2:
                    surnames.setdefault(turkish.fold(parts[-1]), set()).add(p.iri)
                    given.setdefault(turkish.fold(parts[0]), set()).add(p.iri)
                    skeletons.setdefault(tuple(turkish.skeleton(w) for w in parts), set()).add(p.iri)
        in_text = {m.iri for m in taken if m.kind == "person"}
        out: list[Mention] = []
        for start, end, word in turkish.words(text):
            if not text[start].isupper():
                continue
            stem, suffix = turkish.split_suffix(word)
            stem_end = start + len(stem)
            for table, how, needs_office in ((surnames, "surname", False), (given, "given name", True)):
                iris = table.get(stem) or table.get(_without_case(stem, table))
                if not iris:
                    continue
                if needs_office and not re.search(r"(cumhurbaşkanı|başkanı)\s+$", folded[max(0, start - 20):start]):
                    continue
                if len(iris) > 1 and when:         # namesakes: the one in office on the date …
                    iris = iris & {h for h, _, s, e in self.tenures
                                   if (not s or s[:len(when)] <= when) and (not e or when <= e[:len(when)])} or (
                        iris if not {h for h, _, _, _ in self.tenures} & iris else set())
                if len(iris) > 1 and meeting in self.attended:
                    iris = iris & self.attended[meeting]   # … or the one the graph has at the meeting …
                if len(iris) > 1:
                    iris = iris & in_text          # … or the one named in full elsewhere in the text
                if len(iris) == 1:
                    word_stem = stem if table.get(stem) else _without_case(stem, table)
                    out.append(Mention(start, start + len(word_stem), next(iter(iris)), "person",
                                       word[len(word_stem):].lstrip("'"), how=how))
                break
        # every pair of capitalised words, overlapping ("Başkanı Sevket", then "Sevket Mirziyoyev")
        for m in re.finditer(rf"(?<![\w'])(?=([A-ZÇĞİÖŞÜ][\w]+)\s+([A-ZÇĞİÖŞÜ][\w]+)(?:[{turkish.APOSTROPHES}](\w+))?)",
                             text):
            key = (turkish.skeleton(m.group(1)), turkish.skeleton(m.group(2)))
            iris = skeletons.get(key, set())
            if len(iris) == 1:
                out.append(Mention(m.start(1), m.end(2), next(iter(iris)), "person", m.group(3) or "",
                                   how="spelling variant"))
        return [o for o in out if not any(o.start < t.end and t.start < o.end for t in taken)]

    def position(self, state: URIRef | None, office: str) -> tuple[URIRef, bool]:
        """The position of an office ("cumhurbaşkanı", "devlet başkanı", "kurucu cumhurbaşkanı", "meclis
        başkanı" …) in a state: from the graph's labels if it has it, else a new IRI; (iri, new)."""
        english = OFFICES.get(office, turkish.ascii_slug(office))
        if state is None:
            iri = RES["position"][english]
        else:
            iri = RES["position"][f"{english}-of-{str(state).rsplit('/', 1)[-1]}"]
            state_labels = [turkish.fold(x) for x in self.entries[state].labels] if state in self.entries else []
            wanted = {f"{s} {turkish.fold(o)}" for s in state_labels for o in _office_names(office)}
            for entry in self.of_kind("position"):     # "Kazakistan'ın kurucu Cumhurbaşkanı": without the genitive
                if wanted & {re.sub(r"'\w+", "", turkish.fold(label)) for label in entry.labels}:
                    return entry.iri, False
        return iri, iri not in self.entries

    def holders(self, position: URIRef, when: str) -> list[URIRef]:
        """Who held the position on the date (an ISO date, month or year: compared by its prefix)."""
        return sorted({h for h, p, s, e in self.tenures
                       if p == position and (not s or s[:len(when)] <= when) and (not e or when <= e[:len(when)])})


OFFICES = {"cumhurbaşkanı": "president", "devlet başkanı": "president", "kurucu cumhurbaşkanı": "founding-president",
           "meclis başkanı": "speaker-of-parliament", "başbakan": "prime-minister",
           "dışişleri bakanı": "minister-of-foreign-affairs"}


def _office_names(office: str) -> list[str]:
    """The ways the office is written (Turkmenistan's president is "Devlet Başkanı")."""
    return ["cumhurbaşkanı", "devlet başkanı"] if office in ("cumhurbaşkanı", "devlet başkanı") else [office]


def _without_case(stem: str, table: dict[str, set[URIRef]]) -> str:
    """A word without an unmarked case suffix ("Mirziyoyevin" → "mirziyoyev") if that is a key of the table."""
    for suffix in turkish.SUFFIXES:
        if stem.endswith(suffix) and stem[: -len(suffix)] in table:
            return stem[: -len(suffix)]
    return stem


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """The longest mentions first, then leftmost; a mention overlapping a chosen one is dropped."""
    chosen: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start, str(m.iri))):
        if not any(m.start < c.end and c.start < m.end for c in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)


def from_graph(graph: Graph) -> Gazetteer:
    """The gazetteer of an rdflib graph (the ontology and data, or any graph with typed, labelled entities)."""
    entries: dict[URIRef, Entry] = {}
    for cls, kind in KINDS.items():
        for s in sorted({x for x in graph.subjects(RDF.type, cls) if isinstance(x, URIRef)}):
            if s in entries and entries[s].kind in ("city", "state"):
                continue
            labels = sorted({str(o) for p in (RDFS.label, SKOS.altLabel) for o in graph.objects(s, p)
                             if isinstance(o, Literal) and o.language in ("tr", "en", None)},
                            key=lambda x: (not _is_tr(graph, s, x), x))
            same = tuple(sorted(o for o in graph.objects(s, OWL.sameAs) if isinstance(o, URIRef)))
            if kind == "state":
                labels += _republic_names(labels)
            entries[s] = Entry(s, kind, tuple(labels), same)
    gaz = Gazetteer(entries)
    for node, value in graph.subject_objects(CASD.ordinal):
        if isinstance(node, URIRef) and node in entries and entries[node].kind == "summit" and str(value).isdigit():
            gaz.summits[int(str(value))] = node
    for node, value in graph.subject_objects(CASD.date):
        if isinstance(node, URIRef):
            gaz.summit_years[node] = str(value)[:4]
            if isinstance(value, Literal) and value.datatype == XSD.date:
                gaz.summit_days.setdefault(node, set()).add(str(value))
    for node in sorted(n for n, e in entries.items() if e.kind == "summit"):
        known = set(graph.objects(node, CASD.ordinal))
        for label in entries[node].labels:         # "… 4. İstişare Toplantısı (2022, Kırgızistan)": what a label says
            ordinal = _label_ordinal(label)
            if ordinal is not None and not known and ordinal not in gaz.summits:
                gaz.summits[ordinal] = node
            year = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", label)
            if len(set(year)) == 1 and node not in gaz.summit_years:
                gaz.summit_years[node] = year[0]
    for part, meeting in graph.subject_objects(CASD.meeting):
        for agent in graph.objects(part, CASD.agent):
            if isinstance(meeting, URIRef) and isinstance(agent, URIRef):
                gaz.attended.setdefault(meeting, set()).add(agent)
                offices, behalf = set(graph.objects(part, CASD.inCapacityOf)), set(graph.objects(part, CASD.onBehalfOf))
                if len(offices) == 1 and len(behalf) == 1:
                    office, whom = offices.pop(), behalf.pop()
                    if isinstance(office, URIRef) and isinstance(whom, URIRef):
                        gaz.capacity[(meeting, agent)] = (office, whom)
    for office, whom in graph.subject_objects(CASD.representativeOf):
        if isinstance(office, URIRef) and isinstance(whom, URIRef):
            gaz.represents[office] = whom
    for node, state in graph.subject_objects(CASD.inState):
        if isinstance(node, URIRef) and isinstance(state, URIRef):
            gaz.city_state[node] = state
    for t in graph.subjects(RDF.type, CASD.Tenure):
        holder, position = graph.value(t, CASD.holder), graph.value(t, CASD.position)
        if isinstance(holder, URIRef) and isinstance(position, URIRef):
            gaz.tenures.append((holder, position, str(graph.value(t, CASD.start) or ""),
                                str(graph.value(t, CASD.end) or "")))
    return gaz


def _label_ordinal(label: str) -> int | None:
    """The ordinal of a meeting's label ("Orta Asya Devlet Başkanları 4. İstişare Toplantısı (2022, …)"), if the
    label names one meeting word with one ordinal before it."""
    from kg.ingest.meetings import anchors
    found = {a.ordinal for a in anchors(label) if a.ordinal is not None}
    return found.pop() if len(found) == 1 else None


def _republic_names(labels: list[str]) -> list[str]:
    """A state's name as a republic ("Kırgızistan" → "Kırgız Cumhuriyeti"): the people's name, without -istan/-stan,
    before "Cumhuriyeti"."""
    out = []
    for label in labels:
        if m := re.fullmatch(r"([^\W\d_]{3,}?)istan", label):
            out.append(f"{m.group(1)} Cumhuriyeti")
    return sorted(set(out))


def _is_tr(graph: Graph, s: URIRef, label: str) -> bool:
    return Literal(label, lang="tr") in set(graph.objects(s, RDFS.label))


def from_config(config: Config) -> Gazetteer:
    """The gazetteer of the project's ontology and data, loaded as the build loads them."""
    from kg.build import pipeline
    from kg.rdfconv import graph_of

    ontology, data = pipeline.load_sources(config)
    return from_graph(graph_of(ontology + data))
