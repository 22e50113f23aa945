"""`kg quote`: the selector a curator pastes into TriG, with offsets the quote check agrees with."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

from kg.build import provenance
from kg.cli import main
from kg.ingest import selectors

ROOT = Path(__file__).resolve().parents[1]
AVIM = ROOT / "data" / "sources" / "avim-blog-50.txt"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["quote", *argv])
    got = capsys.readouterr()
    return code, got.out, got.err


def test_the_printed_selector_is_the_one_the_data_holds(capsys):
    """The title's quote in data/avim-blog-50.trig was typed by hand; kg quote gives the same lines."""
    code, out, err = run(capsys, str(AVIM), "ORTA ASYA'DA ORTAK ÇIKARLAR DOĞRULTUSUNDA \nİŞ BİRLİĞİ GÜNDEMİ")
    assert code == 0 and err == ""
    assert ('oa:exact "ORTA ASYA\'DA ORTAK ÇIKARLAR DOĞRULTUSUNDA \\nİŞ BİRLİĞİ GÜNDEMİ" ;' in out)
    assert 'oa:prefix "Blog No: 50\\n24.09.2021\\n\\n" ; oa:suffix " - AYÜ AVRASYA ARAŞTIRMA" ]' in out
    assert "oa:start 1510 ; oa:end 1571 ]" in out
    data = (ROOT / "data" / "avim-blog-50.trig").read_text(encoding="utf-8")
    assert "oa:start 1510 ; oa:end 1571" in data


def test_a_line_break_may_be_typed_as_a_space(capsys):
    code, out, _ = run(capsys, str(AVIM), "ilk istişare toplantısı 2018de Kazakistanda")
    assert code == 0
    assert 'oa:exact "ilk istişare \\ntoplantısı 2018de Kazakistanda"' in out


def test_the_fragment_pastes_into_trig_and_passes_the_quote_check(capsys, tmp_path):
    """Offsets count code points (İ, ş, ü are one each): the build's own check accepts the pasted quote."""
    code, out, _ = run(capsys, str(AVIM), "Şavkat Türkmenistan Cumhurbaşkanı Berdimuhamedov")
    assert code == 0
    fragment = "\n".join(line for line in out.splitlines() if not line.startswith("#"))
    (tmp_path / "src.txt").write_text(AVIM.read_text(encoding="utf-8"), encoding="utf-8")
    trig = tmp_path / "q.trig"
    trig.write_text(
        "@prefix oa: <http://www.w3.org/ns/oa#> . @prefix casd: <https://w3id.org/casd/ontology#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "<urn:g> { <urn:doc> dcterms:identifier \"src.txt\" .\n"
        "    <urn:q> a casd:Quote ; oa:hasSource <urn:doc> ;\n" + fragment + "\n}\n", encoding="utf-8")
    ds = Dataset()
    ds.parse(trig, format="trig")
    graph = ds.graph(URIRef("urn:g"))
    assert len(graph) > 5
    assert provenance.mismatches(graph, [tmp_path]) == []
    start = int(re.search(r"oa:start (\d+)", out).group(1))
    assert AVIM.read_text(encoding="utf-8")[start:start + 6] == "Şavkat"


def test_occurrence_chooses_among_several(capsys):
    code, _, err = run(capsys, str(AVIM), "toplantı")
    assert code == 2
    assert err.count("\n") == 1 and "occurs 5 times" in err and "--occurrence" in err
    code, out, _ = run(capsys, str(AVIM), "toplantı", "--occurrence", "2")
    assert code == 0 and "oa:start 764 ; oa:end 772" in out
    code, _, err = run(capsys, str(AVIM), "toplantı", "--occurrence", "6")
    assert code == 2 and err.count("\n") == 1 and "out of range" in err


@pytest.mark.parametrize("argv, words", [
    (["NOPHRASE-HERE"], "is not in the text"),
    ([""], "the phrase is empty"),
])
def test_a_phrase_not_found_is_one_line_and_exit_2(capsys, argv, words):
    code, out, err = run(capsys, str(AVIM), *argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and words in err


def test_a_missing_or_undecodable_source_is_one_line_and_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path / "none.txt"), "x")
    assert code == 2 and err.count("\n") == 1 and "no such file" in err
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Taşkent".encode("iso-8859-9"))
    code, _, err = run(capsys, str(bad), "x")
    assert code == 2 and err.count("\n") == 1 and "not UTF-8" in err


def test_context_is_short_at_the_edges_of_the_text():
    text = "Taşkent'te toplandılar."
    sel = selectors.locate(text, "Taşkent")
    assert (sel.prefix, sel.start, sel.end, sel.suffix) == ("", 0, 7, "'te toplandılar.")
    sel = selectors.selector("x" * 30 + "İİ", 30, 32)
    assert sel.prefix == "x" * 24 and sel.suffix == "" and sel.exact == "İİ"
