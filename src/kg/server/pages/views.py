"""The HTML of the pages, as Jinja2 templates compiled once with autoescape on (every value is escaped): plain,
accessible pages (lang, headings, a <main>) with no resource from outside. The entity and source pages are files of
templates/ (those named _*.html are their shared parts); the small ones stay here."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from kg.vocab import PREFIXES as _ALL

# Prefixes for the Turtle of data documents (the common ones, so that a short document stays readable).
PREFIXES = {name: _ALL[name] for name in ("casd", "rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "prov", "schema",
                                          "org", "oa", "wd")}

_HEAD = """{% include "_head.html" %}<body>
"""   # the head every page shares (templates/_head.html: lang, title, the one stylesheet)

NOT_FOUND = """{% set title = "Not found" %}""" + _HEAD + """<main>
<h1>Not found</h1>
<p>{{ message }}</p>
</main>
</body>
</html>
"""

ONTOLOGY = _HEAD + """<main>
<h1>{{ title }}</h1>
<p><code>{{ iri }}</code> · <a href="{{ turtle }}">Turtle</a></p>
{% for heading, terms in sections %}<h2>{{ heading }} ({{ terms|length }})</h2>
<table><thead><tr><th scope="col">term</th><th scope="col" lang="tr">Türkçe</th><th scope="col" lang="en">English</th></tr></thead>
<tbody>{% for term in terms %}<tr id="{{ term.name }}"><td><code>casd:{{ term.name }}</code></td>
<td lang="tr">{{ term.tr }}</td><td lang="en">{{ term.en }}</td></tr>{% endfor %}</tbody></table>
{% endfor %}
</main>
</body>
</html>
"""

# The words of the entity and source pages in each language.
WORDS = {
    "en": {"data": "Data", "types": "Types", "same": "The same as", "outgoing": "Statements", "property": "Property",
           "value": "Value", "incoming": "Links here", "from": "From", "pages": "pages", "previous": "previous",
           "next": "next", "page": "page", "version": "Dataset version", "language": "language",
           "evidence": "Evidence", "no_quote": "No quote in the graph.", "inferred": "Inferred by the reasoner.",
           "damage": "Damaged text:", "curator": "Curator's reading:", "stated": "stated by the text",
           "held": "Stated by sources, not asserted", "held_note": "What a source says that the graph does not assert: "
           "a conflicting claim (sources disagree, and a curator has not decided), or a less precise form of an "
           "asserted fact (a year for a day, a state for a city).", "conflicting": "conflicting claim",
           "not_asserted": "stated, not asserted", "query": "Query this",
           "describe": "DESCRIBE this IRI on the query page",
           "meeting_facts": "every fact of this meeting with its quotes (example query)",
           "meeting": "The meeting", "date": "Date", "place": "Place", "host": "Host", "status": "Status",
           "series": "Series", "ordinal": "Number in the series", "slogan": "Slogan", "participants": "Participants",
           "agent": "Who", "role": "Role", "office": "Office", "behalf": "On behalf of", "issues": "Issues discussed",
           "documents": "Documents adopted", "sources": "Sources quoted", "neighbours": "In the series",
           "previous_meeting": "Previous meeting", "next_meeting": "Next meeting", "attended": "Meetings attended",
           "meeting_col": "Meeting", "offices": "Offices held", "tenure": "Tenure", "start": "from", "end": "to",
           "at_meetings": "In office at", "none": "none in the graph", "see_evidence": "quotes",
           "source_text": "The text", "attribution": "Attribution", "original": "Original", "rights": "Rights",
           "quotation": "The quoted text remains its publisher's; it is shown here as quotation, with attribution, "
           "to check the graph's facts against their source.", "renders": "Text of",
           "coverage": "Marked: the words the graph quotes ({covered} of {length} characters). Unmarked text is "
           "what the graph has not taken.", "quotes": "Quotes and the facts they support", "quote": "Quote",
           "supports": "the facts it supports", "no_facts": "No statement cites this quote.",
           "no_text": "The text file is not on this server.", "unplaced": "Not marked in the text:",
           "no-text": "no text", "no-offsets": "no offsets", "mismatch": "the text at its offsets reads otherwise",
           "at": "at", "file": "File", "published": "published",
           "passage": "The quoted words in their text"},
    "tr": {"data": "Veri", "types": "Türler", "same": "Aynısı", "outgoing": "İfadeler", "property": "Özellik",
           "value": "Değer", "incoming": "Buraya bağlananlar", "from": "Kaynak", "pages": "sayfalar",
           "previous": "önceki", "next": "sonraki", "page": "sayfa", "version": "Veri kümesi sürümü",
           "language": "dil", "evidence": "Kanıt", "no_quote": "Grafikte alıntı yok.",
           "inferred": "Çıkarım motoru çıkardı.", "damage": "Hasarlı metin:", "curator": "Küratör yorumu:",
           "stated": "metinde belirtilen", "held": "Kaynakların söylediği, grafiğin öne sürmediği",
           "held_note": "Bir kaynağın söyleyip grafiğin öne sürmediği: çelişen bir iddia (kaynaklar çelişiyor ve bir "
           "küratör henüz karar vermedi) ya da öne sürülen bir bilginin daha az kesin biçimi (gün yerine yıl, şehir "
           "yerine devlet).", "conflicting": "çelişen iddia", "not_asserted": "belirtilen, öne sürülmeyen",
           "query": "Sorgula", "describe": "Bu IRI'yi sorgu sayfasında DESCRIBE et",
           "meeting_facts": "bu toplantının her bilgisi alıntısıyla (örnek sorgu)",
           "meeting": "Toplantı", "date": "Tarih", "place": "Yer", "host": "Ev sahibi", "status": "Durum",
           "series": "Dizi", "ordinal": "Dizideki sırası", "slogan": "Slogan", "participants": "Katılımcılar",
           "agent": "Kim", "role": "Rol", "office": "Görev", "behalf": "Adına", "issues": "Görüşülen konular",
           "documents": "Kabul edilen belgeler", "sources": "Alıntılanan kaynaklar", "neighbours": "Dizide",
           "previous_meeting": "Önceki toplantı", "next_meeting": "Sonraki toplantı",
           "attended": "Katıldığı toplantılar", "meeting_col": "Toplantı", "offices": "Tuttuğu görevler",
           "tenure": "Görev süresi", "start": "başlangıç", "end": "bitiş", "at_meetings": "Görevdeyken katıldığı",
           "none": "grafikte yok", "see_evidence": "alıntılar", "source_text": "Metin",
           "attribution": "Kaynak bilgisi", "original": "Asıl sayfa", "rights": "Haklar",
           "quotation": "Alıntılanan metin yayıncısınındır; burada, grafiğin bilgilerini kaynağıyla karşılaştırmak "
           "için kaynak gösterilerek alıntı olarak sunulur.", "renders": "Metni şu belgenin:",
           "coverage": "İşaretli: grafiğin alıntıladığı sözcükler ({length} karakterin {covered} karakteri). "
           "İşaretsiz metin grafiğin henüz almadığı kısımdır.", "quotes": "Alıntılar ve dayanak oldukları bilgiler",
           "quote": "Alıntı", "supports": "dayanak olduğu bilgiler", "no_facts": "Bu alıntıya dayanan ifade yok.",
           "no_text": "Metin dosyası bu sunucuda yok.", "unplaced": "Metinde işaretlenmedi:",
           "no-text": "metin yok", "no-offsets": "konum yok", "mismatch": "konumundaki metin farklı",
           "at": "konum", "file": "Dosya", "published": "yayım",
           "passage": "Alıntılanan sözcükler metninde"},
}
LANGUAGES = (("tr", "Türkçe"), ("en", "English"))

TEMPLATES = Path(__file__).resolve().parent / "templates"       # the pages' templates (*.html), shipped with them
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                          undefined=jinja2.StrictUndefined)
_COMPILED = {**{name: _ENV.from_string(source) for name, source in (("ontology", ONTOLOGY), ("not_found", NOT_FOUND))},
             **{path.stem: _ENV.get_template(path.name) for path in sorted(TEMPLATES.glob("*.html"))
                if not path.stem.startswith("_")}}


def render(name: str, **context: Any) -> str:
    """A page from its template (compiled once at import: compiling took 24 ms a page), every value escaped."""
    return _COMPILED[name].render(**context)
