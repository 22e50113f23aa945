"""The `kg` command: build output, exit codes, error lines, report and result formats."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from conftest import FIXTURES, ROOT, patched_store
from kg.cli import main
from kg.config import Config


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "out"
    assert main(["build", "--out", str(out)]) == 0
    return out


def patched_root(tmp_path: Path, patch: Path) -> Path:
    """A copy of the project whose data has a fixture applied."""
    for part in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / part, tmp_path / part)
    store = patched_store(Config(root=ROOT), patch)
    (tmp_path / "data" / "avim-blog-50.trig").write_bytes(store.dump(format=ox.RdfFormat.TRIG))
    return tmp_path


# ---------------------------------------------------------------- build

def test_two_builds_of_the_same_inputs_are_byte_identical(build_dir, tmp_path):
    assert main(["build", "--out", str(tmp_path / "again")]) == 0
    for name in ("dataset.trig", "dataset.nq", "dataset.jsonld", "void.ttl", "ontology.html"):
        assert (tmp_path / "again" / name).read_bytes() == (build_dir / name).read_bytes(), name


def test_build_output_folder_is_readable_by_others(build_dir):
    import os
    mask = os.umask(0)
    os.umask(mask)
    assert build_dir.stat().st_mode & 0o777 == 0o777 & ~mask        # not mkdtemp's private 0700


def test_build_writes_every_format_with_the_same_quads(build_dir):
    nq = list(ox.parse(path=str(build_dir / "dataset.nq"), format=ox.RdfFormat.N_QUADS))
    trig = list(ox.parse(path=str(build_dir / "dataset.trig"), format=ox.RdfFormat.TRIG))
    jsonld = list(ox.parse(path=str(build_dir / "dataset.jsonld"), format=ox.RdfFormat.JSON_LD))
    assert len(nq) > 2000
    assert set(nq) == set(trig) == set(jsonld)


def test_void_description_counts_what_was_written(build_dir):
    void = Graph().parse(build_dir / "void.ttl")
    total = int(next(iter(void.query(
        "PREFIX void: <http://rdfs.org/ns/void#> SELECT ?n { <https://w3id.org/casd/dataset> void:triples ?n }")))[0])
    assert total == len(list(ox.parse(path=str(build_dir / "dataset.nq"), format=ox.RdfFormat.N_QUADS)))
    graphs = {str(g): int(n) for g, n in void.query(
        "PREFIX void: <http://rdfs.org/ns/void#> SELECT ?g ?n { <https://w3id.org/casd/dataset> void:subset ?g . ?g void:triples ?n }")}
    documents = [p.stem for p in Config(root=ROOT).data_files]      # each data file is one named graph
    assert "avim-blog-50" in documents and "trtavaz-2019-11-30" in documents and len(documents) == len(set(documents))
    assert set(graphs) == {f"https://w3id.org/casd/graph/{g}" for g in (*documents, "inferred", "ontology")}
    assert sum(graphs.values()) == total
    version = next(iter(void.query("PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?v { ?d dcterms:hasVersion ?v }")))[0]
    assert str(version).startswith("sha256:")


def test_failed_build_leaves_the_output_folder_as_it_was(tmp_path, capsys):
    root = patched_root(tmp_path / "root", FIXTURES / "negative" / "two-chairs.ru")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous build")
    code, stdout, err = run(capsys, "--root", str(root), "build", "--out", str(out))
    assert code == 1
    assert "more than one chair" in stdout and "SHACL validation failed" in err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_inconsistent_data_fails_the_build_with_exit_2(tmp_path, capsys):
    root = patched_root(tmp_path / "root", FIXTURES / "inconsistent" / "person-is-a-state.ru")
    code, _, err = run(capsys, "--root", str(root), "build", "--out", str(tmp_path / "out"))
    assert code == 2
    assert "inconsistent" in err and "emomali-rahmon" in err
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("content, line, words", [
    ("@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"unterminated .\n", 3, ""),
    ("@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c .\nex:a foo:b ex:c .\n", 3, "foo"),
    ("@prefix ex: <http://ex.org/> .\n\nex:a ex:b ex:c ex:d .\n", 3, ""),
])
def test_malformed_turtle_is_one_line_naming_file_and_line(tmp_path, capsys, content, line, words):
    bad = tmp_path / "bad.ttl"
    bad.write_text(content)
    code, out, err = run(capsys, "validate", str(bad))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert f"bad.ttl:{line}:" in err and words in err


def test_missing_file_exit_2(tmp_path, capsys):
    code, _, err = run(capsys, "validate", str(tmp_path / "nope.ttl"))
    assert code == 2 and "nope.ttl: no such file" in err


def test_unknown_extension_exit_2(tmp_path, capsys):
    (tmp_path / "x.txt").write_text("hello")
    code, _, err = run(capsys, "validate", str(tmp_path / "x.txt"))
    assert code == 2 and "unknown RDF file extension" in err


# ---------------------------------------------------------------- validate

def test_validate_shipped_data_files_exit_0(capsys):
    code, out, _ = run(capsys, "validate", *(str(p) for p in sorted((ROOT / "data").glob("*.trig"))))
    assert code == 0 and "0 violation(s)" in out


def test_validate_names_what_a_file_alone_lacks(capsys):
    """The document's graph with no context (`--context` alone): the states' required Wikidata links are missing."""
    code, out, _ = run(capsys, "validate", str(ROOT / "data" / "avim-blog-50.trig"), "--context")
    assert code == 1 and "cs:WikidataItemRequired" in out


def test_validate_reads_a_project_file_in_the_context_of_the_others(capsys):
    """The links live in another file of the project; by default that file is the context, so the document passes."""
    code, out, _ = run(capsys, "validate", str(ROOT / "data" / "avim-blog-50.trig"))
    assert code == 0 and "0 violation(s)" in out


def _line_of_subject(path: Path, iri: str) -> int:
    """The first line of the file that starts (after indentation) with the IRI: where it stands as a subject."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.lstrip().startswith(f"<{iri}>"))


@pytest.fixture()
def broken_file(tmp_path) -> Path:
    path = tmp_path / "broken.trig"
    path.write_bytes(patched_store(Config(root=ROOT), FIXTURES / "negative" / "date-as-string.ru").dump(format=ox.RdfFormat.TRIG))
    return path


def test_validate_text_report_names_focus_label_path_and_message(capsys, broken_file):
    code, out, _ = run(capsys, "validate", str(broken_file))
    assert code == 1
    line = _line_of_subject(broken_file, "https://w3id.org/casd/summit/2021-turkmenistan")
    assert f"{broken_file}:{line}: Violation: 3rd Consultative Meeting of the Heads of State of Central Asia " \
           "(2021, Turkmenistan) (summit:2021-turkmenistan)\n  property: casd:date  value: '2021-08-06'^^xsd:string\n" \
           "  The date is an xsd:date (YYYY-MM-DD), an xsd:gYearMonth (YYYY-MM) or an xsd:gYear (YYYY), as precise as the " \
           "source: not a string or an integer.\n  shape: cs:Summit-date-value" in out


def test_validate_turtle_is_the_standard_report_graph(capsys, broken_file):
    code, out, _ = run(capsys, "validate", "--format", "turtle", str(broken_file))
    assert code == 1
    g = Graph().parse(data=out, format="turtle")
    conforms = list(g.query("PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT ?c { ?r a sh:ValidationReport ; sh:conforms ?c }"))
    assert [str(c[0]) for c in conforms] == ["false"]


def test_validate_junit_has_a_failed_case_per_violation(capsys, broken_file):
    code, out, _ = run(capsys, "validate", "--format", "junit", str(broken_file))
    assert code == 1
    suite = ET.fromstring(out)
    failures = suite.findall("./testcase/failure")
    assert int(suite.get("failures")) == len(failures) >= 1
    failed = [case for case in suite.findall("./testcase") if case.find("failure") is not None]
    date = next(case for case in failed if case.get("classname") == "cs:Summit-date-value")
    assert date.get("file") == str(broken_file)
    assert date.get("line") == str(_line_of_subject(broken_file, "https://w3id.org/casd/summit/2021-turkmenistan"))


def test_validate_with_other_shapes_file(tmp_path, capsys):
    shapes = tmp_path / "s.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix casd: <https://w3id.org/casd/ontology#> .\n"
                      "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                      "<#S> a sh:NodeShape ; sh:targetClass casd:Summit ; sh:property [ sh:path casd:date ; sh:datatype xsd:gYear ] .\n")
    code, out, _ = run(capsys, "validate", "--shapes", str(shapes), str(ROOT / "data" / "avim-blog-50.trig"))
    assert code == 1 and out.count("Violation:") == 3   # read with the other files, its three meetings have their days


# ---------------------------------------------------------------- query and stats

def test_query_formats(build_dir, capsys):
    q = "SELECT ?y WHERE { summit:2019-uzbekistan casd:date ?y }"
    code, out, _ = run(capsys, "query", "--data", str(build_dir), "--format", "json", q)
    assert code == 0 and json.loads(out)["results"]["bindings"][0]["y"]["value"] == "2019-11-29"
    _, out, _ = run(capsys, "query", "--data", str(build_dir), "--format", "csv", q)
    assert out.splitlines()[:2] == ["y", "2019-11-29"]
    _, out, _ = run(capsys, "query", "--data", str(build_dir), "--format", "tsv", q)
    assert out.splitlines()[1] == '"2019-11-29"^^<http://www.w3.org/2001/XMLSchema#date>'
    _, out, _ = run(capsys, "query", "--data", str(build_dir), "--format", "xml", q)
    assert ET.fromstring(out).find(".//{http://www.w3.org/2005/sparql-results#}literal").text == "2019-11-29"
    _, out, _ = run(capsys, "query", "--data", str(build_dir), q)
    assert out.splitlines()[-1] == "(1 row)"


def test_query_construct_and_ask(build_dir, capsys):
    code, out, _ = run(capsys, "query", "--data", str(build_dir),
                       "CONSTRUCT { ?s casd:role ?o } WHERE { ?s casd:meeting summit:2021-turkmenistan ; casd:role casd:Chair, ?o }")
    assert code == 0 and len(Graph().parse(data=out, format="turtle")) == 1
    _, out, _ = run(capsys, "query", "--data", str(build_dir), "ASK { ?s casd:slogan ?o }")
    assert out.strip() == "true"


def test_query_from_file_and_example(build_dir, tmp_path, capsys):
    (tmp_path / "q.rq").write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a casd:Summit }")
    code, out, _ = run(capsys, "query", "--data", str(build_dir), "--format", "csv", "--file", str(tmp_path / "q.rq"))
    assert code == 0 and out.splitlines()[1] == "7"      # the 1st to the 7th meeting, each counted once
    code, out, _ = run(capsys, "query", "--data", str(build_dir), "--example", "slogan-2021")
    assert code == 0 and "Bir elin beş parmağı" in out


def test_malformed_query_exit_2_with_parser_position(build_dir, capsys):
    code, out, err = run(capsys, "query", "--data", str(build_dir), "SELECT ?x WHERE { ?x ?y }")
    assert code == 2 and out == ""
    assert "malformed query: error at 1:26: expected" in err    # the position in the user's own text


def test_stats_counts_classes_and_properties(build_dir, capsys):
    code, out, _ = run(capsys, "stats", "--data", str(build_dir))
    assert code == 0
    kind = (ox.NamedNode(str(RDF.type)), ox.NamedNode("https://w3id.org/casd/ontology#Participation"))
    participations = {q.subject for q in ox.parse(path=str(build_dir / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
                      if (q.predicate, q.object) == kind}
    assert len(participations) > 40
    assert "     7  casd:Summit" in out and f"{len(participations):>6}  casd:Participation" in out
    assert "casd:agent" in out and "casd:hosted" in out      # asserted and inferred


def test_examples_lists_questions(capsys):
    code, out, _ = run(capsys, "examples")
    assert code == 0 and "chair-2021" in out and "Who chaired the 2021 meeting" in out


def test_python_dash_m_and_console_script():
    done = subprocess.run([sys.executable, "-m", "kg", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("kg ")
    script = Path(sys.executable).with_name("kg")
    done = subprocess.run([str(script), "examples"], capture_output=True, text=True, check=True)
    assert "wikidata-ids" in done.stdout


def test_malformed_project_file_names_it_and_leaves_no_output(tmp_path, capsys):
    for part in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / part, tmp_path / part)
    trig = tmp_path / "data" / "avim-blog-50.trig"
    lines = trig.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "state:kazakhstan a casd:State" in line)
    lines[at] = lines[at].replace("casd:State", "casd:State ;;; ]")
    trig.write_text("".join(lines), encoding="utf-8")
    code, _, err = run(capsys, "--root", str(tmp_path), "build", "--out", str(tmp_path / "out"))
    assert code == 2 and f"avim-blog-50.trig:{at + 1}:" in err
    assert not (tmp_path / "out").exists()


def test_preload_needs_empty(capsys, tmp_path):
    code, _, err = run(capsys, "serve", "--preload", str(tmp_path / "x.nq"))
    assert code == 2 and "--preload goes with --empty" in err


def test_the_server_reports_the_version_the_build_wrote(build_dir, config):
    from rdflib import URIRef
    from kg.server import create_app
    served = create_app(config).test_client().get("/.well-known/void").get_data(as_text=True)
    has_version = URIRef("http://purl.org/dc/terms/hasVersion")
    written = {str(v) for v in Graph().parse(build_dir / "void.ttl").objects(None, has_version)}
    assert written == {str(v) for v in Graph().parse(data=served, format="turtle").objects(None, has_version)}
    assert len(written) == 1 and next(iter(written)).startswith("sha256:")
