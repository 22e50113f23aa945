"""The query page at / (issue 14 §4): YASGUI vendored and served by us with ETags."""
from __future__ import annotations

import gzip
import hashlib
import json

import pytest

from kg.config import Config
from kg.server import create_app, static
from kg.store.embedded import EmbeddedStore

YASGUI = "vendor/yasgui-4.6.2"
VENDOR = static.ROOT / YASGUI


@pytest.fixture(scope="module")
def store(built):
    return EmbeddedStore(built.store)


@pytest.fixture(scope="module")
def client(store):
    return create_app(Config(), store=store).test_client()


@pytest.mark.parametrize("name", ["yasgui.min.js", "yasgui.min.css"])
def test_vendored_files_have_etags_and_304(client, name):
    path = f"/static/{YASGUI}/{name}"
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


def test_vendored_yasgui_is_pinned_with_its_licence():
    package = json.loads((VENDOR / "package.json").read_text(encoding="utf-8"))
    assert package["name"] == "@zazuko/yasgui" and package["version"] == YASGUI.rsplit("-", 1)[1]
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert f"yasgui-{package['version']}.tgz" in readme and "sha512-" in readme
    for name in ("yasgui.min.js", "yasgui.min.css"):
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() in readme      # unchanged since vendored
    assert "MIT License" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert (VENDOR / "THIRD-PARTY-LICENSES").stat().st_size > 0
