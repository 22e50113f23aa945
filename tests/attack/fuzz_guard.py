"""Differential fuzz of the SERVICE/LOAD guard against the engine itself (issue 10, part 2).

Texts with SERVICE and LOAD aimed at a FORBIDDEN listener and at an ALLOWED one are mutated (\\u escapes of any
character, comments everywhere, `\\#` and `\\'` prefixed-name tricks, case, whitespace, prefixes and BASE,
strings holding the words); every text the guard admits is evaluated by pyoxigraph as the guard rewrote it.
The forbidden listener must see no connection; the allowed one must see some (the positive control).
"""
from __future__ import annotations

import random
import socket
import threading
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.query import guard

ANSWER = b'{"head":{"vars":[]},"results":{"bindings":[]}}'


class Listener:
    """A loopback HTTP listener that counts every connection it accepts and answers an empty SPARQL result."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            with conn:
                self._answer(conn)

    @staticmethod
    def _answer(conn: socket.socket) -> None:
        conn.settimeout(1.0)
        data = b""
        try:
            while b"\r\n\r\n" not in data and len(data) < 1 << 16:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            while len(body) < length:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                body += chunk
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                         b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(ANSWER), ANSWER))
        except OSError:
            pass

    def close(self) -> None:
        """Stop accepting and release the port."""
        self._stop.set()
        self.thread.join(2)
        self.sock.close()


QUERIES = [
    "SELECT * WHERE {{ {S} }}",
    "SELECT * WHERE {{ ?s ?p ?o . {S} }}",
    "SELECT * WHERE {{ OPTIONAL {{ {S} }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ {S} }} }} }}",
    "SELECT * WHERE {{ FILTER EXISTS {{ {S} }} }}",
    "ASK {{ {S} }}",
    "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ {{ {S} }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {S} }}",
    "SELECT ?service WHERE {{ ?service ex:load {T} . {S} }}",
]
UPDATES = [
    "LOAD {silent}{E}",
    "LOAD {silent}{E} INTO GRAPH <http://g/load>",
    "INSERT {{ ?s ?p ?o }} WHERE {{ {S} }}",
    "INSERT DATA {{ <http://a/> <http://b/> {T} }} ; LOAD {silent}{E}",
    "DELETE WHERE {{ ?s <http://x/> ?o }} ; INSERT {{ <http://a/> <http://b/> ?o }} WHERE {{ {S} }}",
    "CLEAR SILENT GRAPH <http://g/> ;\n{R}LOAD {silent}{E} ; INSERT DATA {{ <http://a/> <http://b/> 1 }}",
]
STRINGS = ['"SERVICE <{F}> {{}}"', "'''a''SERVICE'''", '"a\\"LOAD <{F}>\\"b"', "'it\\'s # SERVICE'", '"x\\u0022 SERVICE <{F}> {{}}"']
TRICKS = ["ex:a\\# ", "ex:a\\' ", "ex:a.b.", "true", "ex:a\\. ", "?x ex:p?1", "ex:%41\\#", "1"]


@dataclass
class Case:
    """One generated request."""

    kind: str
    text: str


@dataclass
class Summary:
    """Counts of one fuzz run."""

    cases: int = 0
    admitted: int = 0
    refused: int = 0
    engine_errors: int = 0
    forbidden: int = 0
    allowed: int = 0
    culprits: list[str] = field(default_factory=list)

    def line(self) -> str:
        """The one-line report."""
        return (f"guard fuzz: {self.cases} cases, {self.admitted} admitted, {self.refused} refused, "
                f"{self.engine_errors} engine errors, {self.forbidden} listener connections to forbidden hosts "
                f"({self.allowed} to the allowed one)")


def _endpoint(rng: random.Random, port: int, prologue: list[str]) -> str:
    url = f"http://127.0.0.1:{port}/"
    form = rng.randrange(6)
    if form == 0:
        prologue.append(f"PREFIX f{port}: <{url}>")
        return f"f{port}:sparql" if rng.random() < 0.7 else f"f{port}:spar\\-ql"
    if form == 1:
        prologue.append(f"BASE <{url}>")
        return "<sparql>"
    if form == 2:
        return "<sparql>"                                  # relative to the base_iri given to the engine
    return f"<{url}sparql>"


def _escape_some(rng: random.Random, text: str, n: int) -> str:
    chars = list(text)
    for _ in range(n):
        i = rng.randrange(len(chars))
        if chars[i] in "\\" or len(chars[i]) > 1:
            continue
        code = ord(chars[i])
        chars[i] = rng.choice([f"\\u{code:04X}", f"\\u{code:04x}", f"\\U{code:08X}", f"\\u+{code:03X}"[:6]])
    return "".join(chars)


def generate(rng: random.Random, allowed: int, forbidden: int) -> Case:
    """One request: a seed with a SERVICE or LOAD, aimed at either listener, then mutated."""
    kind = "update" if rng.random() < 0.4 else "query"
    prologue = ["PREFIX ex: <http://e/>"]
    port = forbidden if rng.random() < 0.5 else allowed
    endpoint = _endpoint(rng, port, prologue)
    silent = "SILENT " if rng.random() < 0.3 else ""
    service = f"SERVICE {silent}{endpoint} {{ ?s ?p ?o }}"
    if rng.random() < 0.3:
        service = f"{rng.choice(TRICKS)} {service}"
    string = rng.choice(STRINGS).format(F=f"http://127.0.0.1:{forbidden}/")
    redeclare = ""
    if kind == "update" and rng.random() < 0.3:
        prologue.insert(0, f"PREFIX f{forbidden}: <http://127.0.0.1:{allowed}/>")
        redeclare = f"PREFIX f{forbidden}: <http://127.0.0.1:{forbidden}/>\n"
    template = rng.choice(UPDATES if kind == "update" else QUERIES)
    body = template.format(S=service, E=endpoint, silent=silent,
                           T=string, R=redeclare)
    text = "\n".join(prologue) + ("\n" if rng.random() < 0.5 else " ") + body
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        text = _mutate(rng, text, forbidden)
    return Case(kind, text)


def _mutate(rng: random.Random, text: str, forbidden: int) -> str:
    what = rng.randrange(7)
    spaces = [i for i, c in enumerate(text) if c == " "] or [len(text)]
    at = rng.choice(spaces)
    if what == 0:
        comment = rng.choice(["#c\n", f"# SERVICE <http://127.0.0.1:{forbidden}/> {{}}\n", "#\r", "#'\n", '#"\n'])
        return text[:at] + " " + comment + text[at:]
    if what == 1:
        return _escape_some(rng, text, rng.randint(1, 4))
    if what == 2:                                          # escape inside the keyword or the IRI brackets
        targets = [m for m in ("SERVICE", "LOAD", "<http", "sparql>", "SILENT") if m in text]
        if targets:
            word = rng.choice(targets)
            i = text.index(word)
            return text[:i] + _escape_some(rng, word, 1) + text[i + len(word):]
        return text
    if what == 3:
        return "".join(c.swapcase() if c.isalpha() and rng.random() < 0.3 else c for c in text)
    if what == 4:
        return text[:at] + rng.choice(["", "\n", "\t", "\r\n", "  ", "\x0b"]) + text[at + 1:]
    if what == 5:
        return text[:at] + " " + rng.choice(TRICKS) + " " + text[at:]
    return text[:at] + " ?x ex:p " + rng.choice(STRINGS).format(F=f"http://127.0.0.1:{forbidden}/") + " ." + text[at:]


def run(n: int, seed: int = 10, keep: int = 5) -> Summary:
    """Generate and judge n cases; the guard's output is evaluated by the engine for every admitted one."""
    rng = random.Random(seed)
    allowed, forbidden = Listener(), Listener()
    allow = [f"http://127.0.0.1:{allowed.port}/sparql", f"http://127.0.0.1:{allowed.port}/spar-ql"]
    base = f"http://127.0.0.1:{forbidden.port}/base/"
    summary = Summary()
    store = ox.Store()
    try:
        for _ in range(n):
            case = generate(rng, allowed.port, forbidden.port)
            summary.cases += 1
            try:
                text = guard.check(case.text, allow, base)
            except guard.Refused:
                summary.refused += 1
                continue
            summary.admitted += 1
            before = forbidden.connections
            try:
                if case.kind == "query":
                    result = store.query(text, base_iri=base)
                    if not isinstance(result, ox.QueryBoolean):
                        list(result)
                else:
                    store.update(text, base_iri=base)
            except (SyntaxError, OSError, ValueError, RuntimeError):
                summary.engine_errors += 1
            if forbidden.connections != before and len(summary.culprits) < keep:
                summary.culprits.append(case.text)
        time.sleep(0.05)
        summary.forbidden, summary.allowed = forbidden.connections, allowed.connections
    finally:
        allowed.close()
        forbidden.close()
    return summary
