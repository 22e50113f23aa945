"""A real Virtuoso (Debian's virtuoso-opensource) for the remote-store tests, started once per session.

It runs in the foreground on a private temporary directory with a generated virtuoso.ini, its HTTP and SQL
ports on free loopback ports, ResultSetMaxRows as Debian ships it (10000). The SPARQL user may update over
HTTP (the SPARQL_UPDATE role, and write permission on every graph for `nobody`, granted through isql-vt), as
the /sparql endpoint and the Graph Store at /sparql-graph-crud need. SIGTERM shuts it down cleanly; it also
dies with the test process.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest

BINARY = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
MISSING = ("needs Virtuoso (Debian's virtuoso-opensource: virtuoso-t and isql-vt on PATH; "
           ".ci/run installs it)")
VSP = Path("/var/lib/virtuoso-opensource-7/vsp")   # the package's HTTP root (Virtuoso starts without it too)

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
ServerThreads = 10

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {root}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8

[SPARQL]
; Debian's shipped value, which cuts longer answers (tests/test_virtuoso.py checks kg says so)
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 60
"""

# The SPARQL user (the /sparql endpoint's and /sparql-graph-crud's) may update, and write to any graph.
GRANTS = """\
GRANT SPARQL_UPDATE TO "SPARQL";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
"""


def _die_with_parent() -> None:
    """In the child before exec: SIGKILL when the test process ends, so no Virtuoso outlives a killed run."""
    import ctypes
    import signal
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG


def isql(sql_port: int, script: Path) -> None:
    """Run an SQL script as dba on the instance; RuntimeError with isql's output if a statement failed."""
    done = subprocess.run([ISQL, f"127.0.0.1:{sql_port}", "dba", "dba", str(script)], capture_output=True,
                          text=True, timeout=60)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql-vt {script.name} failed: {done.stdout[-1000:]} {done.stderr[-1000:]}")


def _wait_for_port(proc: subprocess.Popen, port: int) -> None:
    """Wait (up to 30 s) until the process accepts TCP connections on `port`."""
    import socket

    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"virtuoso-t did not open its SQL port {port}") from None
            time.sleep(0.1)


def start(folder: Path) -> tuple[subprocess.Popen, int]:
    """A fresh Virtuoso in `folder`, writable over HTTP; (its process, its HTTP port)."""
    from conftest import _wait_until_up, free_port

    http_port, sql_port = free_port(), free_port()
    while sql_port == http_port:
        sql_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(dir=folder, sql_port=sql_port, http_port=http_port,
                              root=VSP if VSP.is_dir() else folder))
    with open(folder / "console.log", "wb") as console:     # a pipe nobody reads would fill and stall it
        proc = subprocess.Popen([BINARY, "+foreground", "+configfile", str(ini)], cwd=folder,
                                stdout=console, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
    grants = folder / "grants.sql"
    grants.write_text(GRANTS)
    try:
        _wait_until_up(proc, f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D", "virtuoso-t")
        _wait_for_port(proc, sql_port)         # the SQL listener comes up just after the HTTP one
        isql(sql_port, grants)
    except RuntimeError as err:
        stop(proc)
        log = (folder / "console.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{err}\n{log}") from None
    return proc, http_port


def stop(proc: subprocess.Popen) -> None:
    """Shut it down (SIGTERM: Virtuoso's quick shutdown), killing it if it does not end in time."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def virtuoso_server() -> Iterator[int]:
    """A real Virtuoso on loopback (its HTTP port), in a temporary directory removed afterwards."""
    if BINARY is None or ISQL is None:
        pytest.skip(MISSING)
    folder = Path(tempfile.mkdtemp(prefix="kg-virtuoso-"))
    try:
        proc, port = start(folder)
        try:
            yield port
        finally:
            stop(proc)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
