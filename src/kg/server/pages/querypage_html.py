"""The HTML of the query page (/) and of the search results (/search), as Jinja2 templates compiled once with
autoescape on. No inline script or style, so that the pages can be sent with a strict Content-Security-Policy
(querypage.CSP): the styles and scripts are files under /static/ and the generated /query-page.js."""
from __future__ import annotations

from typing import Any

import jinja2

_HEAD = """<!doctype html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
{% for href in styles %}<link rel="stylesheet" href="{{ href }}">
{% endfor %}{% for src in scripts %}<script src="{{ src }}" defer></script>
{% endfor %}</head>
<body>
<header><nav aria-label="{{ t.language }}">
{% for code, name in languages %}{% if code == lang %}<strong>{{ name }}</strong>
{% else %}<a href="?{{ keep }}lang={{ code }}" hreflang="{{ code }}" lang="{{ code }}">{{ name }}</a>
{% endif %}{% endfor %}</nav>
<form class="search" action="{{ root }}/search" method="get" role="search">
<label for="q">{{ t.search_label }}</label>
<input id="q" name="q" type="search" maxlength="{{ max_search }}" value="{{ q }}" required>
<button type="submit">{{ t.search }}</button>
</form></header>
"""

_FOOTER = """<footer><nav aria-label="{{ t.about }}"><ul>
<li><a href="{{ root }}/">{{ t.query_page }}</a></li>
<li><a href="{{ root }}/ontology">{{ t.ontology }}</a></li>
<li><a href="{{ root }}/download/">{{ t.downloads }}</a></li>
<li><a href="{{ root }}/.well-known/void">{{ t.void }}</a></li>
<li><a href="{{ root }}/sparql">{{ t.service }}</a></li>
<li><a href="{{ root }}/download/">{{ t.licence }}</a></li>
</ul></nav></footer>
</body>
</html>
"""

HOME = _HEAD + """<main>
<h1>{{ title }}</h1>
<p>{{ t.intro }}</p>
<p id="editor-keys" class="keys" hidden>{{ t.editor_keys|safe }}</p>
<div id="yasgui" class="yasgui-slot" data-editor-label="{{ t.editor }}" data-endpoint-label="{{ t.endpoint }}"
     data-tab-name-label="{{ t.tab_name }}"></div>
<noscript><form class="plain" action="{{ root }}/sparql" method="get">
<p>{{ t.noscript }}</p>
<label for="query">SPARQL</label>
<textarea id="query" name="query" rows="18" cols="100" spellcheck="false">{{ initial }}</textarea>
<label for="format">{{ t.format }}</label>
<select id="format" name="format">{% for name in result_formats %}<option>{{ name }}</option>{% endfor %}</select>
<button type="submit">{{ t.run }}</button>
</form></noscript>
<section aria-labelledby="examples-heading">
<h2 id="examples-heading">{{ t.examples }} ({{ examples|length }})</h2>
<ul class="examples">{% for example in examples %}
<li><a href="?example={{ example.name }}" data-example="{{ example.name }}">{{ example.title }}</a></li>{% endfor %}
</ul>
</section>
</main>
""" + _FOOTER

# A passage as the index cut it: the pieces where a query word matched in <mark>.
_MARKED = """{% macro marked(pieces) %}{% for text, hit in pieces %}{% if hit %}<mark>{{ text }}</mark>{% else %}\
{{ text }}{% endif %}{% endfor %}{% endmacro %}"""

SEARCH = _MARKED + _HEAD + """<main>
<h1>{{ title }}</h1>
<nav class="kinds" aria-label="{{ t.kinds }}"><ul>{% for code, name, href in kinds %}
<li>{% if code == kind %}<a href="{{ href }}" aria-current="page">{{ name }}</a>{% else %}\
<a href="{{ href }}">{{ name }}</a>{% endif %}</li>{% endfor %}
</ul></nav>
{% if refused %}<p class="refused" role="alert">{{ t.refused }} {{ refused }}</p>
{% elif not groups %}<p>{{ t.nothing }}</p>
{% else %}{% for code, hits in groups %}
<section aria-labelledby="kind-{{ code }}"><h2 id="kind-{{ code }}">{{ t["kind_" + code] }}</h2>
<ol class="hits {{ code }}">{% for found in hits %}{% set hit = found.hit %}
<li>{% if code == "quote" %}<blockquote class="snippet"{% if hit.lang %} lang="{{ hit.lang }}"{% endif %}>\
{{ marked(hit.snippet) }}</blockquote>
<a href="{{ found.page }}">{{ t.passage }}{% if found.document %}: {{ found.document }}{% endif %}</a>
{% else %}<a href="{{ found.page }}">{% if code == "source" and found.document %}{{ found.document }}\
{% elif hit.lang %}<span lang="{{ hit.lang }}">{{ hit.label }}</span>{% else %}{{ hit.label }}{% endif %}</a>\
{% if found.type %} <span class="type">{{ found.type }}</span>{% endif %}
{% if found.passage and found.passage != hit.label %}<p class="snippet"\
{% if hit.lang and code == "entity" %} lang="{{ hit.lang }}"{% endif %}>{{ marked(hit.snippet) }}</p>{% endif %}
{% endif %}</li>{% endfor %}
</ol></section>{% endfor %}
{% if previous or next %}<nav class="pages" aria-label="{{ t.pages }}"><ul>
{% if previous %}<li><a href="{{ previous }}" rel="prev">{{ t.previous }}</a></li>{% endif %}
<li aria-current="page">{{ t.page }} {{ number }}</li>
{% if next %}<li><a href="{{ next }}" rel="next">{{ t.next }}</a></li>{% endif %}
</ul></nav>{% endif %}{% endif %}
</main>
""" + _FOOTER

# The words of these pages in each language.
WORDS = {
    "en": {"language": "language", "search_label": "Search names, quotes and sources", "search": "Search",
           "about": "about the data",
           "query_page": "Query", "ontology": "Ontology", "downloads": "Downloads", "void": "VoID description",
           "service": "SPARQL service description", "licence": "Licence and citation",
           "title": "CASD knowledge graph: SPARQL query",
           "intro": "Ask the graph of Central Asian summit diplomacy in SPARQL, or start from an example below.",
           "noscript": "The editor needs JavaScript; this form sends the query to the endpoint as it is.",
           "format": "Results as", "run": "Run", "examples": "Example queries",
           "results": "Search results for", "nothing": "Nothing found.", "kinds": "kinds of result",
           "kind_all": "All", "kind_entity": "Entities", "kind_quote": "Quotes", "kind_source": "Source documents",
           "passage": "The passage in its source", "pages": "pages of results", "page": "Page",
           "previous": "Previous page", "next": "Next page", "refused": "Nothing was searched for:",
           "editor": "SPARQL query", "endpoint": "SPARQL endpoint", "tab_name": "Tab name",
           "editor_keys": (
               "In the editor, <kbd>Tab</kbd> and <kbd>Shift</kbd>+<kbd>Tab</kbd> move to the next or previous "
               "control, as everywhere on the page. Indent with <kbd>Ctrl</kbd>+<kbd>]</kbd> and unindent with "
               "<kbd>Ctrl</kbd>+<kbd>[</kbd> (<kbd>Enter</kbd> keeps the indentation, <kbd>Shift</kbd>+<kbd>Ctrl</kbd>+"
               "<kbd>F</kbd> formats the whole query); <kbd>Ctrl</kbd>+<kbd>Enter</kbd> runs it, <kbd>Esc</kbd> "
               "leaves the editor. On a Mac, <kbd>Cmd</kbd>+<kbd>]</kbd> and <kbd>Cmd</kbd>+<kbd>[</kbd> indent.")},
    "tr": {"language": "dil", "search_label": "Ad, alıntı ve kaynaklarda ara", "search": "Ara",
           "about": "veri hakkında",
           "query_page": "Sorgu", "ontology": "Ontoloji", "downloads": "İndirmeler", "void": "VoID tanımı",
           "service": "SPARQL hizmet tanımı", "licence": "Lisans ve atıf",
           "title": "CASD bilgi çizgesi: SPARQL sorgusu",
           "intro": "Orta Asya zirve diplomasisi çizgesini SPARQL ile sorgulayın ya da aşağıdaki bir örnekle başlayın.",
           "noscript": "Düzenleyici JavaScript gerektirir; bu form sorguyu uç noktaya olduğu gibi gönderir.",
           "format": "Sonuç biçimi", "run": "Çalıştır", "examples": "Örnek sorgular",
           "results": "Arama sonuçları:", "nothing": "Bir şey bulunamadı.", "kinds": "sonuç türleri",
           "kind_all": "Tümü", "kind_entity": "Varlıklar", "kind_quote": "Alıntılar", "kind_source": "Kaynak belgeler",
           "passage": "Kaynağındaki pasaj", "pages": "sonuç sayfaları", "page": "Sayfa",
           "previous": "Önceki sayfa", "next": "Sonraki sayfa", "refused": "Arama yapılmadı:",
           "editor": "SPARQL sorgusu", "endpoint": "SPARQL uç noktası", "tab_name": "Sekme adı",
           "editor_keys": (
               "Düzenleyicide <kbd>Tab</kbd> ve <kbd>Shift</kbd>+<kbd>Tab</kbd>, sayfanın her yerinde olduğu gibi "
               "sonraki ya da önceki denetime geçer. Girintiyi <kbd>Ctrl</kbd>+<kbd>]</kbd> artırır, <kbd>Ctrl</kbd>+"
               "<kbd>[</kbd> azaltır (<kbd>Enter</kbd> girintiyi korur, <kbd>Shift</kbd>+<kbd>Ctrl</kbd>+"
               "<kbd>F</kbd> tüm sorguyu biçimlendirir); <kbd>Ctrl</kbd>+<kbd>Enter</kbd> sorguyu çalıştırır, <kbd>Esc</kbd> "
               "düzenleyiciden çıkar. Mac'te girinti için <kbd>Cmd</kbd>+<kbd>]</kbd> ve <kbd>Cmd</kbd>+<kbd>[</kbd>.")},
}

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
_COMPILED = {"home": _ENV.from_string(HOME), "search": _ENV.from_string(SEARCH)}


def render(name: str, **context: Any) -> str:
    """A page from its template (compiled once at import), every value escaped."""
    return _COMPILED[name].render(**context)
