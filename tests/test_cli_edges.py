"""Edges of the command line that gave a traceback or a wrong answer: each is one line and exit 2 (issue 11)."""
from __future__ import annotations

import time

from kg.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), err
    return lines[0]


def test_build_into_a_folder_that_cannot_be_written_fails_before_building(capsys):
    started = time.perf_counter()
    code, out, err = run(capsys, "build", "--out", "/proc/kg-nowhere/out")
    assert code == 2 and "cannot be written" in _one_line(err) and not out
    assert time.perf_counter() - started < 2          # no reasoning or validation ran first


def test_query_data_folder_that_does_not_exist_is_an_error_not_a_silent_build(capsys, tmp_path):
    code, _, err = run(capsys, "query", "ASK {}", "--data", str(tmp_path / "nowhere"))
    assert code == 2 and "no built dataset" in _one_line(err)


def _tiny_build(tmp_path):
    folder = tmp_path / "built"
    folder.mkdir()
    (folder / "dataset.nq").write_text("<urn:x:s> <urn:x:p> <urn:x:o> <urn:x:g> .\n", encoding="utf-8")
    return folder


def test_query_file_that_is_not_utf8(capsys, tmp_path):
    bad = tmp_path / "q.rq"
    bad.write_bytes(b"SELECT * WHERE { ?s ?p \"caf\xe9\" }")
    code, _, err = run(capsys, "query", "--file", str(bad), "--data", str(_tiny_build(tmp_path)))
    assert code == 2 and "not UTF-8" in _one_line(err)


def test_a_query_that_fails_while_evaluating_is_one_line(capsys, tmp_path):
    """The federated examples offline: the SERVICE endpoint cannot be reached."""
    code, _, err = run(capsys, "query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
                       "--data", str(_tiny_build(tmp_path)))
    assert code == 2 and "the query failed" in _one_line(err)


def test_validate_a_folder_or_an_empty_file(capsys, tmp_path):
    code, _, err = run(capsys, "validate", str(tmp_path))
    assert code == 2 and "a folder with no RDF file in it" in _one_line(err)   # never the project's data instead
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.ttl").write_text("<https://w3id.org/casd/summit/x> a <https://w3id.org/casd/ontology#Summit> .\n")
    code, out, _ = run(capsys, "validate", str(tmp_path))                     # a folder: the RDF files under it
    assert code == 1 and "sub/x.ttl:1: Violation" in out
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    code, out, err = run(capsys, "validate", str(empty))
    assert code == 2 and "no triples" in _one_line(err) and "Valid" not in out


def test_the_exit_code_is_honest_when_the_reader_leaves(tmp_path):
    """`kg validate broken | head -1`: the reader goes away, the command still exits 1 for the violations."""
    import subprocess
    import sys
    broken = tmp_path / "broken.ttl"
    broken.write_text("<https://w3id.org/casd/summit/x> a <https://w3id.org/casd/ontology#Summit> .\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "kg", "validate", str(broken)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()                                   # the reader left before the report was written
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err.decode(errors="replace")[-500:]


def test_parser_messages_say_what_a_person_can_fix(capsys, tmp_path):
    data = str(_tiny_build(tmp_path))
    code, _, err = run(capsys, "query", "SELEC ?x WHERE { ?x ?p ?o }", "--data", data)
    assert code == 2 and "a query begins with SELECT, CONSTRUCT, DESCRIBE or ASK" in _one_line(err) and "'SELEC'" in err
    code, _, err = run(capsys, "query", "SELECT ?x WHERE { ?x foo:bar ?o }", "--data", data)
    line = _one_line(err)
    assert code == 2 and "the prefix foo: is not declared" in line and "u{" not in line      # no Unicode ranges
    code, _, err = run(capsys, "query", "SELECT ?x WHERE { ?x casd:date ?o FILTER(?o = ) }", "--data", data)
    line = _one_line(err)
    assert code == 2 and "error at 1:" in line and "expected one of" in line and "u{" not in line


def test_long_steps_are_named_on_a_terminal(tmp_path):
    """`kg build` on a terminal names its slow steps on standard error. Every step is fast enough on a quiet
    machine, so the test lowers the threshold (PROGRESS_AFTER_SECONDS) to 0.1 s, and builds without the reasoner
    (the shorter build): SHACL validation takes longer than that."""
    import os
    import pty
    import subprocess
    import sys
    leader, follower = pty.openpty()
    script = ("import sys, kg.console, kg.cli; kg.console.PROGRESS_AFTER_SECONDS = 0.1; "
              "sys.exit(kg.cli.main(sys.argv[1:]))")
    proc = subprocess.Popen([sys.executable, "-c", script, "build", "--no-reason", "--out", str(tmp_path / "tty")],
                            stdout=subprocess.DEVNULL, stderr=follower)
    piped = subprocess.Popen([sys.executable, "-c", script, "build", "--no-reason", "--out", str(tmp_path / "pipe")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)      # not a terminal: quiet
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=300) == 0
    assert b"kg: validating with SHACL" in seen, seen
    _, quiet = piped.communicate(timeout=300)
    assert piped.returncode == 0 and quiet == b""



def test_load_reports_the_time_it_really_took(capsys, tmp_path):
    started = time.perf_counter()
    code, out, _ = run(capsys, "load", "--store", str(tmp_path / "store"))
    wall = time.perf_counter() - started
    assert code == 0
    total = float(out.rsplit(";", 1)[1].split(" s in all")[0])
    assert "Built the graph in" in out and 0.8 * wall <= total <= wall + 0.01   # the build is counted, not only the load
