"""`kg ingest` and `kg ingest --accept` as a curator runs them: proposals outside data/, the accepted facts in
data/<doc>.trig with the text beside them, and every refusal one line, exit 2, nothing written."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
TEXT = ("16 Kasım 2025\nÖzbekistan'ın başkenti Taşkent'te gerçekleştirilen 7. Orta Asya Devlet Başkanları İstişare "
        "Toplantısı'na Kırgızistan Cumhurbaşkanı Sadır Caparov ve Tacikistan Cumhurbaşkanı İmamali Rahman katıldı.\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project root with the ontology and an empty data folder, and a source text outside it."""
    root = tmp_path / "root"
    (root / "data").mkdir(parents=True)
    (root / "ontology").symlink_to(ROOT / "ontology")
    (tmp_path / "haber-2025.txt").write_text(TEXT, encoding="utf-8")
    return root


def kg(capsys, root: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), *argv])
    got = capsys.readouterr()
    return code, got.out, got.err


def _propose(capsys, root: Path) -> Path:
    out = root.parent / "p.trig"
    code, stdout, err = kg(capsys, root, "ingest", str(root.parent / "haber-2025.txt"), "--url", "https://haber.example/7",
                           "--publisher", "Haber", "--published", "2025-11-16", "--out", str(out))
    assert (code, err) == (0, ""), err
    assert "facts proposed" in stdout and out.is_file()
    return out


def test_propose_then_accept(capsys, project):
    out = _propose(capsys, project)
    trig = out.read_text(encoding="utf-8")
    assert "graph:proposals-haber-2025" in trig and "casd:proposedNew true" in trig
    # this project knows no state, person or meeting: all are proposed as new, named from the text
    assert "participation:meeting-7-sadir-caparov" in trig and "state:kirgizistan a casd:State" in trig
    assert list((project / "data").iterdir()) == []                         # nothing into data/ before review
    # the curator rejects Rahman's participation: deletes its plain triples
    kept = _without_block(trig, "participation:meeting-7-imamali-rahman")
    assert kept != trig
    out.write_text(kept, encoding="utf-8")
    code, stdout, err = kg(capsys, project, "ingest", "--accept", str(out), "--source",
                           str(project.parent / "haber-2025.txt"))
    assert (code, err) == (0, ""), err
    data = (project / "data" / "haber-2025.trig").read_text(encoding="utf-8")
    assert "graph:haber-2025 {" in data and "proposedBy" not in data and "proposedNew" not in data
    assert "participation:meeting-7-sadir-caparov" in data
    assert "participation:meeting-7-imamali-rahman" not in data       # its statements went with its triples
    assert (project / "data" / "sources" / "haber-2025.txt").read_bytes() == TEXT.encode("utf-8")
    code, _, err = kg(capsys, project, "ingest", "--accept", str(out), "--source", str(project.parent / "haber-2025.txt"))
    assert code == 2 and err.count("\n") == 1 and "exists" in err          # no second acceptance over the first


def _without_block(trig: str, subject: str) -> str:
    """The TriG without the subject's block (its lines up to the one ending in ' .'), as a curator deletes it."""
    out, skipping = [], False
    for line in trig.splitlines():
        if line.lstrip().startswith(subject + " "):
            skipping = True
        if not skipping:
            out.append(line)
        elif line.rstrip().endswith(" ."):
            skipping = False
    return "\n".join(out) + "\n"


def test_accept_refuses_a_bad_quote_and_writes_nothing(capsys, project):
    out = _propose(capsys, project)
    trig = out.read_text(encoding="utf-8")
    assert 'oa:exact "Taşkent' in trig
    out.write_text(trig.replace('oa:exact "Taşkent', 'oa:exact "Tashkent', 1), encoding="utf-8")
    code, stdout, err = kg(capsys, project, "ingest", "--accept", str(out), "--source",
                           str(project.parent / "haber-2025.txt"))
    assert (code, stdout) == (2, "") and err.count("\n") == 1
    assert "do not match" in err and "nothing written" in err
    assert list((project / "data").iterdir()) == []


def test_accept_refuses_a_different_text_already_in_sources(capsys, project):
    out = _propose(capsys, project)
    (project / "data" / "sources").mkdir()
    (project / "data" / "sources" / "haber-2025.txt").write_text(TEXT + "ek\n", encoding="utf-8")
    code, _, err = kg(capsys, project, "ingest", "--accept", str(out), "--source", str(project.parent / "haber-2025.txt"))
    assert code == 2 and err.count("\n") == 1 and "different text" in err
    assert not (project / "data" / "haber-2025.trig").exists()


@pytest.mark.parametrize("argv, words", [
    (["ingest", "{src}"], "needs --url and --publisher"),
    (["ingest", "{src}", "--url", "u", "--publisher", "p", "--out", "{root}/data/p.trig"], "not written into"),
    (["ingest", "{src}", "--url", "u", "--publisher", "p", "--published", "16.11.2025"], "--published"),
    (["ingest", "{dir}/none.txt", "--url", "u", "--publisher", "p"], "no such file"),
    (["ingest", "--accept", "{dir}/none.trig"], "no such file"),
    (["ingest", "--accept", "{src}"], "not readable TriG"),
    (["ingest", "--accept", "{dir}/p.trig", "--url", "u"], "--accept takes"),
])
def test_errors_are_one_line_and_exit_2(capsys, project, argv, words, monkeypatch):
    monkeypatch.chdir(project.parent)
    (project.parent / "p.trig").write_text("", encoding="utf-8")
    filled = [a.format(src=project.parent / "haber-2025.txt", root=project, dir=project.parent) for a in argv]
    code, stdout, err = kg(capsys, project, *filled)
    assert (code, stdout) == (2, ""), err
    assert err.count("\n") == 1 and words in err, err
    assert list((project / "data").iterdir()) == []
