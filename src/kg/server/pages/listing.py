"""The /download/ page: each published file with its size, media type and licence, the licences said precisely,
and how to cite the dataset, in Turkish or English (an autoescaped Jinja2 template compiled once)."""
from __future__ import annotations

from typing import Sequence

import jinja2
from flask import request

from kg.build.downloads import Download
from kg.vocab import BASE, LICENCE

LANGUAGES = (("tr", "Türkçe"), ("en", "English"))
CC_BY = "CC BY 4.0"
# The licence of each file the page lists, by name (the dataset's files and their description: CC BY 4.0).
NO_LICENCE = {"LICENSE", "LICENSE-DATA", "CITATION.cff"}
CITATION = "casd knowledge graph team. {title} ({version}). {base}"    # as CITATION.cff says it

WORDS = {
    "en": {"title": "Downloads", "file": "File", "size": "Size (bytes)", "type": "Media type", "licence": "Licence",
           "none": "none", "licences": "Licences",
           "code": "Code (the kg package): MIT licence, in", "data": "RDF data and ontology: CC BY 4.0, in",
           "quoted": ("Quoted text (the exact words of the source documents) remains the copyright of its "
                      "publishers, named with each source document; it is used as quotation, with attribution. "
                      "CC BY 4.0 does not extend to it."),
           "cite": "How to cite", "cff": "Citation metadata", "version": "Dataset version",
           "dataset": "Central Asian summit diplomacy knowledge graph", "ontology": "Ontology documentation",
           "endpoint": "SPARQL endpoint",
           "remote": "The dataset's files are published by a server on a built or on-disk store."},
    "tr": {"title": "İndirmeler", "file": "Dosya", "size": "Boyut (bayt)", "type": "Ortam türü", "licence": "Lisans",
           "none": "yok", "licences": "Lisanslar",
           "code": "Kod (kg paketi): MIT lisansı,", "data": "RDF verisi ve ontoloji: CC BY 4.0,",
           "quoted": ("Alıntılanan metinler (kaynak belgelerin tam sözcükleri) her kaynak belgede adı geçen "
                      "yayıncılarının telif hakkı altında kalır; kaynak belirtilerek alıntı olarak kullanılır. "
                      "CC BY 4.0 bunları kapsamaz."),
           "cite": "Nasıl atıf yapılır", "cff": "Atıf bilgileri", "version": "Veri kümesi sürümü",
           "dataset": "Orta Asya zirve diplomasisi bilgi grafiği", "ontology": "Ontoloji belgeleri",
           "endpoint": "SPARQL uç noktası",
           "remote": "Veri kümesinin dosyalarını derlenmiş ya da diskteki bir depo üzerindeki sunucu yayımlar."},
}

PAGE = """<!doctype html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t.title }}</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.4}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ccc;padding:.2rem .5rem;text-align:left;
vertical-align:top}td.n{text-align:right}code{font-size:.9em}nav a{margin-right:.6rem}</style>
</head>
<body>
<header><nav aria-label="language">
{% for code, name in languages %}{% if code == lang %}<strong>{{ name }}</strong>
{% else %}<a href="?lang={{ code }}" hreflang="{{ code }}" lang="{{ code }}">{{ name }}</a>
{% endif %}{% endfor %}</nav></header>
<main>
<h1>{{ t.title }}</h1>
<table><thead><tr><th scope="col">{{ t.file }}</th><th scope="col">{{ t.size }}</th><th scope="col">{{ t.type }}</th>
<th scope="col">{{ t.licence }}</th></tr></thead>
<tbody>{% for f in files %}<tr><td><a href="{{ base }}/download/{{ f.name }}">{{ f.name }}</a></td><td class="n">{{ f.size }}</td>
<td><code>{{ f.media_type }}</code></td>
<td>{% if f.licence %}<a href="{{ licence_url }}">{{ f.licence }}</a>{% else %}{{ t.none }}{% endif %}</td></tr>
{% endfor %}</tbody></table>
{% if not dataset %}<p>{{ t.remote }}</p>{% endif %}
<p><a href="{{ base }}/ontology">{{ t.ontology }}</a> · {{ t.endpoint }}:
<a href="{{ base }}/sparql">{{ base }}/sparql</a></p>
<h2>{{ t.licences }}</h2>
<ul><li>{{ t.code }} <a href="{{ base }}/download/LICENSE">LICENSE</a>.</li>
<li>{{ t.data }} <a href="{{ base }}/download/LICENSE-DATA">LICENSE-DATA</a> (<a href="{{ licence_url }}">{{ licence_url }}</a>).</li>
<li>{{ t.quoted }}</li></ul>
<h2>{{ t.cite }}</h2>
<p><cite>{{ citation }}</cite></p>
<p>{{ t.cff }}: <a href="{{ base }}/download/CITATION.cff">CITATION.cff</a></p>
</main>
<footer><p>{{ t.version }}: <code>{{ version }}</code></p></footer>
</body>
</html>
"""

_PAGE = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(PAGE)


def language() -> str:
    """The page's language: ?lang=tr|en, else the client's Accept-Language (English by default)."""
    asked = request.args.get("lang", "")
    if asked in WORDS:
        return asked
    return request.accept_languages.best_match(list(WORDS), default="en") or "en"


def render(lang: str, files: Sequence[Download], version: str, base: str) -> str:
    """The page, every value escaped."""
    t = WORDS[lang]
    rows = [{"name": f.name, "size": len(f.body), "media_type": f.media_type,
             "licence": None if f.name in NO_LICENCE else CC_BY} for f in files]
    citation = CITATION.format(title=WORDS["en"]["dataset"], version=version, base=BASE)
    return _PAGE.render(lang=lang, languages=LANGUAGES, t=t, files=rows, licence_url=LICENCE, base=base,
                        citation=citation, version=version, dataset=any(f.name.startswith("dataset.") for f in files))
