"""`kg validate FILE` as other people use it: in the project's context, with quotes checked, each finding at
file:line, as a pre-commit hook and as the README's CI step."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, patched_store
from kg.cli import main
from kg.config import Config

import pyoxigraph as ox

PREFIXES = """@prefix casd: <https://w3id.org/casd/ontology#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix quote: <https://w3id.org/casd/quote/> .
@prefix document: <https://w3id.org/casd/document/> .
@prefix summit: <https://w3id.org/casd/summit/> .
@prefix person: <https://w3id.org/casd/person/> .
@prefix position: <https://w3id.org/casd/position/> .
@prefix state: <https://w3id.org/casd/state/> .
@prefix participation: <https://w3id.org/casd/participation/> .
"""
# A participation as the project states it: every entity it names is described in another file.
PARTICIPATION = PREFIXES + """
participation:2021-turkmenistan-tokayev a casd:Participation ;
    casd:meeting summit:2021-turkmenistan ;
    casd:agent person:kassym-jomart-tokayev ;
    casd:role casd:Participant ;
    casd:inCapacityOf position:president-of-kazakhstan ;
    casd:onBehalfOf state:kazakhstan .
"""


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def _quote(start: int) -> str:
    """A new quote of the words "Blog No: 50" of the project's source text, at the given start offset."""
    return PREFIXES + f"""
quote:mine a casd:Quote , oa:SpecificResource ;
    oa:hasSource document:avim-blog-50-text ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "Blog No: 50" ] ,
                   [ a oa:TextPositionSelector ; oa:start {start} ; oa:end {start + 11} ] .
"""


def test_references_to_the_projects_entities_are_not_violations(tmp_path, capsys):
    mine = tmp_path / "mine.ttl"
    mine.write_text(PARTICIPATION, encoding="utf-8")
    code, out = run(capsys, "validate", str(mine))
    assert code == 0, out
    alone, out = run(capsys, "validate", str(mine), "--context")      # no context: the same file is judged bare
    assert alone == 1 and "sh:ClassConstraintComponent" in out


def test_a_given_context_replaces_the_projects(tmp_path, capsys):
    mine, context = tmp_path / "mine.ttl", tmp_path / "context.ttl"
    mine.write_text(PARTICIPATION, encoding="utf-8")
    context.write_text(PREFIXES + "person:kassym-jomart-tokayev a casd:Person .\n", encoding="utf-8")
    code, out = run(capsys, "validate", str(mine), "--context", str(context))
    assert code == 1
    assert "cs:Participation-agent-value" not in out and "cs:Participation-meeting-value" in out   # the person is known, the summit not


def test_quotes_in_a_file_are_checked_against_the_source_text(tmp_path, capsys):
    source = (ROOT / "data" / "sources" / "avim-blog-50.txt").read_text(encoding="utf-8")
    start = source.index("Blog No: 50")
    good, shifted = tmp_path / "good.ttl", tmp_path / "shifted.ttl"
    good.write_text(_quote(start), encoding="utf-8")
    shifted.write_text(_quote(start + 1), encoding="utf-8")
    assert run(capsys, "validate", str(good))[0] == 0
    code, out = run(capsys, "validate", str(shifted))
    line = shifted.read_text(encoding="utf-8").splitlines().index("quote:mine a casd:Quote , oa:SpecificResource ;") + 1
    assert code == 1
    assert f"{shifted}:{line}: Violation: " in out and "does not match its source text" in out
    assert "'log No: 50\\n'" in out or "log No: 50" in out


def test_a_quote_whose_source_text_is_missing_is_reported(tmp_path, capsys):
    mine = tmp_path / "mine.ttl"
    mine.write_text(_quote(0).replace("document:avim-blog-50-text", "document:elsewhere") + """
document:elsewhere a casd:SourceDocument ; <http://purl.org/dc/terms/identifier> "texts/nowhere.txt" .
""", encoding="utf-8")
    code, out = run(capsys, "validate", str(mine))
    assert code == 1 and "texts/nowhere.txt not found" in out


def test_the_turtle_report_holds_only_what_the_file_adds(tmp_path, capsys):
    """The project's own warnings (actors without a Wikidata link) belong to the context, not to this file."""
    mine = tmp_path / "mine.ttl"
    mine.write_text(_quote(0), encoding="utf-8")
    code, out = run(capsys, "validate", "--format", "turtle", str(mine))
    from rdflib import Graph
    from rdflib.namespace import RDF
    from kg.vocab import SH
    report = Graph().parse(data=out, format="turtle")
    focus = {str(report.value(r, SH.focusNode)) for r in report.subjects(RDF.type, SH.ValidationResult)}
    assert code == 1 and focus == {"https://w3id.org/casd/quote/mine"}
    assert (None, SH.conforms, None) in report


# ---------------------------------------------------------------- as other people's CI runs it

def _kg() -> str:
    return shutil.which("kg") or str(Path(sys.executable).with_name("kg"))


def _hook() -> tuple[list[str], re.Pattern]:
    """The entry and the file pattern of the shipped pre-commit hook."""
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entry = re.search(r"^\s*entry:\s*(.+)$", text, re.M).group(1).strip()
    files = re.search(r"^\s*files:\s*(.+)$", text, re.M).group(1).strip()
    words = shlex.split(entry)
    assert words[0] == "kg"
    return [_kg(), *words[1:]], re.compile(files)


def test_the_pre_commit_hook_passes_on_the_projects_files_one_at_a_time_and_together():
    """Every file of the project the hook's pattern picks (data, ontology, shapes), as pre-commit passes them:
    only the staged ones, so each data file alone (they are each other's context), and all together."""
    command, pattern = _hook()
    files = sorted(str(p.relative_to(ROOT)) for folder in ("data", "ontology", "shapes")
                   for p in (ROOT / folder).glob("*") if pattern.search(p.name))
    assert len(files) >= 5
    runs = [(chosen, subprocess.Popen([*command, *chosen], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True)) for chosen in [*([f] for f in files if f.startswith("data/")), files]]
    for chosen, proc in runs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, (chosen, out[-2000:], err)


def test_the_pre_commit_hook_fails_on_a_broken_file(tmp_path):
    command, _ = _hook()
    broken = tmp_path / "data" / "avim-blog-50.trig"
    broken.parent.mkdir()
    broken.write_bytes(patched_store(Config(root=ROOT), FIXTURES / "negative" / "two-host-states.ru").dump(format=ox.RdfFormat.TRIG))
    done = subprocess.run([*command, str(broken)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "exactly one host state" in done.stdout


def _readme_ci_command() -> str:
    """The `kg validate` step of the README's GitHub Actions snippet, exactly as written there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Use the shapes in your own CI", 1)[1]
    return re.search(r"- run: (kg validate .+)$", block, re.M).group(1)


@pytest.mark.parametrize("broken", [False, True], ids=["project data", "a broken copy"])
def test_the_readme_ci_step_runs_as_written(tmp_path, broken):
    command = _readme_ci_command()
    assert command.endswith("> shacl-report.xml")
    if broken:                                        # the researcher's repository: their own data/*.trig
        (tmp_path / "data").mkdir()
        (tmp_path / "data" / "mine.trig").write_bytes(patched_store(
            Config(root=ROOT), FIXTURES / "negative" / "date-as-string.ru").dump(format=ox.RdfFormat.TRIG))
        cwd = tmp_path
    else:
        cwd = ROOT
        command = command.replace("shacl-report.xml", str(tmp_path / "shacl-report.xml"))
    bindir = str(Path(_kg()).parent)
    done = subprocess.run(command, shell=True, cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={"PATH": f"{bindir}:/usr/bin:/bin", "HOME": str(tmp_path)})
    suite = ET.parse(tmp_path / "shacl-report.xml").getroot()
    assert done.returncode == (1 if broken else 0), done.stderr
    assert int(suite.get("failures")) == (len(suite.findall("./testcase/failure")) if broken else 0)
    if broken:
        case = next(c for c in suite.findall("./testcase") if c.get("classname") == "cs:Summit-date-value")
        assert case.get("file") == "data/mine.trig" and int(case.get("line")) >= 1


def test_context_without_files_is_refused(capsys):
    """--context names the context of the files to validate; with none named it would be silently ignored."""
    code = main(["validate", "--context", str(ROOT / "data" / "wikidata.trig")])
    assert code == 2 and "--context" in capsys.readouterr().err
