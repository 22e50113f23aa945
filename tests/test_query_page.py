"""The query page at / (issue 14 §4): YASGUI vendored and served by us with ETags, configured from the project's
prefixes and example queries with nothing that reaches another host, under a strict CSP; a plain form without
JavaScript; and the search box, whose /search is tested in tests/test_search_pages.py."""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest

from kg.config import Config
from kg.query.examples import QUERIES_DIR
from kg.server import create_app, static
from kg.server.pages import querypage, querypage_html
from kg.store.embedded import EmbeddedStore
from kg.vocab import BASE, PREFIXES

VENDOR = static.ROOT / querypage.YASGUI
YASGUI_DIR = querypage.YASGUI
PAGE_BUDGET = 400 * 1024                   # the whole query page, gzipped (issue 14 §6)


@pytest.fixture(scope="module")
def store(built):
    return EmbeddedStore(built.store)


@pytest.fixture(scope="module")
def client(store):
    return create_app(Config(), store=store).test_client()


class Tags(HTMLParser):
    """Every tag with its attributes, and the text of each textarea."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.textareas: list[str] = []
        self._in_textarea = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_textarea = tag == "textarea"
        if self._in_textarea:
            self.textareas.append("")

    def handle_endtag(self, tag):
        self._in_textarea = self._in_textarea and tag != "textarea"

    def handle_data(self, data):
        if self._in_textarea:
            self.textareas[-1] += data


def _tags(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def _references(html: str) -> list[str]:
    return [value for _, attrs in _tags(html).tags for name, value in attrs.items()
            if name in ("src", "href", "action") and value is not None]


def _loaded(html: str) -> list[str]:
    """What a browser fetches to show the page: its scripts and stylesheets."""
    return [a["src"] or "" for t, a in _tags(html).tags if t == "script"] + \
        [a["href"] or "" for t, a in _tags(html).tags if t == "link" and a.get("rel") == "stylesheet"]


def _config(client) -> dict:
    text = client.get(querypage.SCRIPT_PATH).get_data(as_text=True)
    start = text.index("const CONFIG = ") + len("const CONFIG = ")
    return json.JSONDecoder().raw_decode(text, start)[0]


def test_home_refers_only_to_this_server(client):
    r = client.get("/")
    assert r.status_code == 200 and r.mimetype == "text/html"
    refs = _references(r.get_data(as_text=True))
    assert len(refs) > 10
    for ref in refs:
        parts = urlsplit(ref)
        assert not parts.scheme and not parts.netloc, ref       # relative: this host, whatever its name
    loaded = _loaded(r.get_data(as_text=True))
    assert any(querypage.YASGUI in src and src.endswith(".js") for src in loaded)
    assert any(querypage.YASGUI in src and src.endswith(".css") for src in loaded)
    assert querypage.SCRIPT_PATH in loaded
    for src in loaded:
        assert client.get(src).status_code == 200, src


def test_page_size_within_budget(client):
    """HTML and everything it loads, gzipped as sent, within the issue's 400 KB."""
    headers = {"Accept-Encoding": "gzip"}
    page = client.get("/", headers=headers)
    sizes = {"/": len(page.data)}
    html = gzip.decompress(page.data).decode() if page.headers.get("Content-Encoding") == "gzip" else page.get_data(as_text=True)
    for src in _loaded(html):
        r = client.get(src, headers=headers)
        assert r.headers.get("Content-Encoding") == "gzip", src
        sizes[src] = len(r.data)
    total = sum(sizes.values())
    print(f"query page gzipped: {total} bytes: {sizes}")
    assert total <= PAGE_BUDGET


def test_csp_allows_this_server_only(client, store):
    csp = client.get("/").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'" and directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self'" and directives["form-action"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    html = client.get("/").get_data(as_text=True)
    assert all(a.get("src") for t, a in _tags(html).tags if t == "script")      # no inline script
    assert "<style" not in html and " style=" not in html                      # nor inline style
    assert client.get("/search?q=zirve").headers["Content-Security-Policy"] == csp


def test_csp_hashes_are_the_bundles_style_elements(client):
    """The style-src hashes are those of the <style> texts the vendored bundle writes (column-resizer's)."""
    bundle = (VENDOR / "yasgui.min.js").read_text(encoding="utf-8")
    grips = re.findall(r"createStyle\(\w+,`( \.grip-resizable\{[^`]*)`\)", bundle)
    cursor = re.search(r"dragCursor:`([^`]*)`", bundle)
    assert len(grips) == 1 and cursor and "`*{cursor:`+" in bundle
    texts = [grips[0], "*{cursor:" + cursor.group(1) + "!important}"]
    csp = client.get("/").headers["Content-Security-Policy"]
    for text in texts:
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp


@pytest.mark.parametrize("name", ["yasgui.min.js", "yasgui.min.css"])
def test_vendored_files_have_etags_and_304(client, name):
    path = f"/static/{querypage.YASGUI}/{name}"
    on_disk = (VENDOR / name).read_bytes()
    plain = client.get(path)
    packed = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert plain.data == on_disk and gzip.decompress(packed.data) == on_disk
    assert packed.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert plain.headers["ETag"] != packed.headers["ETag"]                     # one strong ETag per encoding
    assert "immutable" in plain.headers["Cache-Control"] and "Accept-Encoding" in plain.headers["Vary"]
    for r, extra in ((plain, {}), (packed, {"Accept-Encoding": "gzip"})):
        again = client.get(path, headers={"If-None-Match": r.headers["ETag"], **extra})
        assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == r.headers["ETag"]
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get("/static/vendor/nothing.js").status_code == 404
    assert static.asset("../static.py") is None and static.asset(YASGUI_DIR) is None     # outside, or a folder



def test_a_static_name_no_file_system_takes_is_a_plain_404(client):
    """A name longer than a file name may be (ENAMETOOLONG was a 500) or holding a NUL is just not shipped."""
    for name in ("a" * 5000, "vendor/" + "b" * 300 + "/x.js", "x%00.js", "vendor/..%2f..%2fstatic.py"):
        r = client.get(f"/static/{name}")
        assert r.status_code == 404 and r.mimetype == "text/plain", (name[:40], r.status_code)

def test_vendored_yasgui_is_pinned_with_its_licence():
    package = json.loads((VENDOR / "package.json").read_text(encoding="utf-8"))
    assert package["name"] == "@zazuko/yasgui" and package["version"] == querypage.YASGUI_VERSION
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert f"yasgui-{package['version']}.tgz" in readme and "sha512-" in readme
    for name in ("yasgui.min.js", "yasgui.min.css"):
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() in readme      # unchanged since vendored
    assert "MIT License" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert (VENDOR / "THIRD-PARTY-LICENSES").stat().st_size > 0


def test_script_carries_examples_prefixes_endpoint(client):
    r = client.get(querypage.SCRIPT_PATH)
    assert r.status_code == 200 and r.mimetype == "text/javascript"
    assert client.get(querypage.SCRIPT_PATH, headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    config = _config(client)
    files = sorted(QUERIES_DIR.glob("*.rq"))
    assert len(config["examples"]) == len(files) > 0
    shipped = {e["name"]: e for e in config["examples"]}
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert shipped[path.stem]["query"] == text
        assert shipped[path.stem]["title"] == text.splitlines()[0].lstrip("# ").strip()
    assert config["prefixes"] == PREFIXES
    for name, iri in PREFIXES.items():
        assert f"PREFIX {name}: <{iri}>\n" in config["defaultQuery"]
    assert urljoin("http://localhost" + querypage.SCRIPT_PATH, config["endpoint"]) == "http://localhost/sparql"


def test_script_turns_off_what_reaches_outside(client):
    text = client.get(querypage.SCRIPT_PATH).get_data(as_text=True)
    config = _config(client)
    bundle = (VENDOR / "yasgui.min.js").read_text(encoding="utf-8")
    # YASQE's completers that fetch: prefix.cc's list (its "prefixes") and Linked Open Vocabularies'
    assert "lov.linkeddata.es" in bundle and "prefixCcApi" in bundle
    assert not {"prefixes", "property", "class"} & set(config["autocompleters"])
    assert "Yasqe.defaults.autocompleters.splice(0, Yasqe.defaults.autocompleters.length, ...CONFIG.autocompleters)" in text
    assert "prefixCcApi = null" in text and "createShortLink = undefined" in text
    assert "tab.requestConfig.endpoint = endpoint" in text                  # share links run here only
    assert not re.search(r"https?://", text.replace(json.dumps(config, ensure_ascii=False, indent=1), ""))


def test_share_link_opens_its_query(client):
    """?query= (what the entity pages link to) fills the plain form; YASGUI opens it in a tab (populateFromUrl)."""
    query = f"DESCRIBE <{BASE}summit/2021-turkmenistan>"
    html = client.get("/?query=" + quote(query)).get_data(as_text=True)
    assert _tags(html).textareas == [query]
    assert "populateFromUrl" in client.get(querypage.SCRIPT_PATH).get_data(as_text=True)
    config = _config(client)
    example = config["examples"][0]
    assert _tags(client.get("/?example=" + example["name"]).get_data(as_text=True)).textareas == [example["query"]]
    assert _tags(client.get("/").get_data(as_text=True)).textareas == [config["defaultQuery"]]


def test_plain_form_without_javascript(client):
    tags = _tags(client.get("/").get_data(as_text=True)).tags
    form = next(a for t, a in tags if t == "form" and a.get("action") == "/sparql")
    assert form["method"] == "get"
    assert any(t == "textarea" and a["name"] == "query" for t, a in tags)
    answer = client.get("/sparql", query_string={"query": _config(client)["defaultQuery"], "format": "json"})
    assert answer.status_code == 200 and json.loads(answer.data)["results"]["bindings"]


def test_examples_and_footer_links(client):
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    links = {a.get("data-example"): a for t, a in _tags(html).tags if t == "a" and a.get("data-example")}
    assert set(links) == {p.stem for p in QUERIES_DIR.glob("*.rq")}
    hrefs = set(_references(html))
    assert {"/ontology", "/download/", "/.well-known/void", "/sparql"} <= hrefs
    assert client.get("/ontology").status_code == 303
    assert client.get("/.well-known/void").status_code == 200
    assert b"service" in client.get("/sparql", headers={"Accept": "text/turtle"}).data.lower()


def test_home_in_turkish_and_english(client):
    tr = client.get("/", headers={"Accept-Language": "tr-TR,tr;q=0.9"})
    en = client.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="tr">' in tr.get_data(as_text=True) and tr.headers["Content-Language"] == "tr"
    assert '<html lang="en">' in en.get_data(as_text=True) and en.headers["Content-Language"] == "en"
    for page, lang in ((tr, "tr"), (en, "en")):          # the editor's keys, shown by the script (hidden without it)
        html = page.get_data(as_text=True)
        assert '<p id="editor-keys" class="keys" hidden>' in html and "<kbd>Ctrl</kbd>+<kbd>]</kbd>" in html
        assert querypage_html.WORDS[lang]["editor_keys"] in html
    switched = client.get("/?lang=tr", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="tr">' in switched and 'href="?lang=en"' in switched
