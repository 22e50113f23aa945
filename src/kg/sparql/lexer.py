"""A SPARQL tokeniser that reads a request the way the engine's parser does.

It never decides whether a query is valid (the engine's parser does that); it finds keywords, IRIs, prefixed
names, variables, strings and comments so that callers can find the IRIs a request would fetch, where USING
clauses go, and so that a query that merely mentions a word such as SERVICE in a string is not taken for one
that uses it. The terminals follow the grammar in Oxigraph's lib/spargebra/src/parser.rs (the peg grammar of
spargebra 0.4, the parser in pyoxigraph 0.5.13), which differs from SPARQL 1.1 §19.8 in places: PN_LOCAL
allows only one run of dots (`ex:a.b.c` is `ex:a.b` then `.c`), PN_CHARS_BASE stops at U+FFFD, an IRIREF
may hold `\\uXXXX`/`\\UXXXXXXXX` escapes (read by `u32::from_str_radix`, which also takes a leading `+`),
and strings may hold them too. The engine does NOT decode escapes over the whole text (its
`standard-unicode-escaping` feature is off): `\\u0053ELECT` is a syntax error, `"a\\u0022b"` is `a"b`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Mapping
from urllib.parse import urljoin

_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F"
         "\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD")              # PN_CHARS_BASE (engine)
_U = _BASE + "_"                                                              # PN_CHARS_U
_CHARS = _U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"                         # PN_CHARS
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"                            # PERCENT | PN_LOCAL_ESC
_ECHAR = r"\\[tbnrf\"'\\]"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"                                # strings: HEX only
_IRI_UCHAR = r"\\u[+0-9A-Fa-f][0-9A-Fa-f]{3}|\\U[+0-9A-Fa-f][0-9A-Fa-f]{7}"    # IRIs: from_str_radix
_PREFIX = f"[{_BASE}][{_CHARS}]*+(?:\\.++[{_CHARS}]++)*+"                      # PN_PREFIX
_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:[{_CHARS}:]|{_PLX})*+(?:\\.++(?:[{_CHARS}:]|{_PLX})++)?+"
# Possessive repeats (`*+`) give the PEG's greedy, never-backtracking reading of each terminal.
_TOKEN = re.compile(f"""
    (?P<ws>[ \\t\\r\\n]++)
  | (?P<comment>\\#[^\\r\\n]*+)
  | (?P<iri><(?:[^<>"{{}}|^`\\\\\\x00-\\x20]|{_IRI_UCHAR})*+>)
  | (?P<string>'''(?:(?:''|')?+(?:[^'\\\\]|{_ECHAR}|{_UCHAR}))*+'''
      |\"\"\"(?:(?:\"\"|\")?+(?:[^\"\\\\]|{_ECHAR}|{_UCHAR}))*+\"\"\"
      |'(?:[^'\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*+'
      |"(?:[^"\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*+")
  | (?P<var>[?$][{_U}0-9][{_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*+)
  | (?P<bnode>_:[{_U}0-9][{_CHARS}]*+(?:\\.++[{_CHARS}]++)*+)
  | (?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)
  | (?P<langtag>@[a-zA-Z]++(?:-[a-zA-Z0-9]++)*+(?:--[a-zA-Z]++)?+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*+)
  | (?P<number>[0-9]++)
  | (?P<other>.)
""", re.X | re.S)
_PUBLIC_KIND = {"bnode": "pname", "langtag": "other"}
_ESCAPE = re.compile(r"\\u([+0-9A-Fa-f][0-9A-Fa-f]{3})|\\U([+0-9A-Fa-f][0-9A-Fa-f]{7})")

_TAIL_LIMIT = re.compile(r"(?<![\w:])LIMIT\s+([0-9]+)", re.I)
_COMMENT = re.compile(r"#[^\n\r]*")


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind, its text and where it starts in the request."""

    kind: str
    text: str
    start: int

    def is_word(self, *words: str) -> bool:
        """Whether the token is one of the (upper-case) keywords, in any case."""
        return self.kind == "word" and self.text.upper() in words

    @property
    def end(self) -> int:
        """Where the token ends in the request."""
        return self.start + len(self.text)


def _kind(m: re.Match[str]) -> str:
    """The name of the group a match of _TOKEN took: every alternative is a named group, so there is one."""
    kind = m.lastgroup
    assert kind is not None, m
    return kind


def lex(text: str) -> list[Token]:
    """Every token of the request, whitespace and comments included, in the engine's own kinds
    (iri, string, var, bnode, pname, langtag, word, number, other, ws, comment); they cover the text."""
    return [Token(_kind(m), m.group(), m.start()) for m in _TOKEN.finditer(text)]


def tokens(text: str) -> list[Token]:
    """The significant tokens of a query or update (no whitespace, no comments), in the public kinds
    iri/string/pname/var/word/number/other (a blank node label counts as a pname, a language tag as other)."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = _kind(m)
        if kind not in ("ws", "comment"):
            out.append(Token(_PUBLIC_KIND.get(kind, kind), m.group(), m.start()))
    return out


def decode_iri(body: str) -> str | None:
    """An IRIREF's text between < and > with its escapes decoded as the engine's unescape_iriref does; None
    for a backslash that starts no escape, or an escape that stands for no character (a surrogate, or past
    U+10FFFF: Rust's char::from_u32 refuses those)."""
    if "\\" not in body:
        return body
    if "\\" in _ESCAPE.sub("", body):
        return None
    codes = [int(m.group(1) or m.group(2), 16) for m in _ESCAPE.finditer(body)]   # int() takes a leading +
    if any(0xD800 <= code <= 0xDFFF or code > 0x10FFFF for code in codes):       # as from_str_radix does
        return None
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), body)


def local_name(pname: str) -> tuple[str, str]:
    """(prefix, local part with its PN_LOCAL_ESC backslashes removed, as the engine's PNAME_LN does)."""
    prefix, _, local = pname.partition(":")
    return prefix, local.replace("\\", "")


def resolve(token: Token, prefixes: Mapping[str, str | None], base: str | None) -> str | None:
    """The absolute IRI an IRI token or prefixed name stands for; None if it is neither or cannot be resolved."""
    if token.kind == "iri":
        ref = decode_iri(token.text[1:-1])
        if ref is None:
            return None
        return urljoin(base, ref) if base else ref
    if token.kind == "pname":
        prefix, local = local_name(token.text)
        namespace = prefixes.get(prefix)
        return namespace + local if namespace is not None else None
    return None


def declarations(toks: list[Token]) -> tuple[dict[str, str | None], str | None]:
    """The PREFIX and (last) BASE declarations of a request, in order of appearance; a prefix whose IRI cannot
    be resolved maps to None."""
    prefixes: dict[str, str | None] = {}
    base = None
    for i, tok in enumerate(toks[:-1]):
        nxt = toks[i + 1]
        if tok.is_word("BASE") and nxt.kind == "iri":
            base = resolve(nxt, prefixes, base)
        elif tok.is_word("PREFIX") and nxt.kind == "pname" and i + 2 < len(toks) and toks[i + 2].kind == "iri":
            prefixes[nxt.text[:-1] if nxt.text.endswith(":") else nxt.text.split(":")[0]] = resolve(toks[i + 2], prefixes, base)
    return prefixes, base


def mentions(text: str, *words: str) -> bool:
    """Whether any of the words occurs at all, in any case: if not, no token can be that keyword (a cheap pre-check)."""
    folded = text.casefold()
    return any(word.casefold() in folded for word in words)


def top_level_limit(text: str) -> int | None:
    """The LIMIT of a query's outermost SELECT (outside every brace), if it has one."""
    if not mentions(text, "LIMIT"):
        return None
    tail = text[text.rfind("}") + 1:]
    if not any(c in tail for c in "\"'<\\"):    # only keywords, numbers and comments after the last brace
        found = _TAIL_LIMIT.search(_COMMENT.sub("", tail))
        if found:
            return int(found.group(1))
    depth, toks = 0, tokens(text)
    for i, tok in enumerate(toks):
        if tok.kind == "other" and tok.text == "{":
            depth += 1
        elif tok.kind == "other" and tok.text == "}":
            depth -= 1
        elif depth == 0 and tok.is_word("LIMIT") and i + 1 < len(toks) and toks[i + 1].kind == "number":
            return int(toks[i + 1].text)
    return None


def operations(toks: list[Token]) -> Iterator[list[Token]]:
    """Split an update request into its operations at top-level semicolons."""
    depth = 0
    current: list[Token] = []
    for tok in toks:
        if tok.text in "{([" and tok.kind == "other":
            depth += 1
        elif tok.text in "})]" and tok.kind == "other":
            depth -= 1
        if tok.kind == "other" and tok.text == ";" and depth == 0:
            yield current
            current = []
        else:
            current.append(tok)
    if current:
        yield current


class DatasetConflict(ValueError):
    """An update names its dataset (USING/WITH) and the protocol request names one too."""


def add_using(text: str, using: list[str], using_named: list[str]) -> str:
    """The update with the protocol's using-graph-uri/using-named-graph-uri as USING clauses of each modify operation."""
    if not using and not using_named:
        return text
    toks = tokens(text)
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]) + " "
    inserts = []
    for op in operations(toks):
        words = [t for t in op if t.kind == "word"]
        if any(t.is_word("USING", "WITH") for t in words):
            raise DatasetConflict("the update has USING or WITH and the request has using-graph-uri/using-named-graph-uri")
        first = next((t for t in words if t.is_word("DELETE", "INSERT")), None)
        if first is None:
            continue
        where = _top_level_where(op)
        following = op[op.index(first) + 1] if op.index(first) + 1 < len(op) else None
        if where is not None and not (following is not None and following.is_word("WHERE", "DATA")):
            inserts.append(where.start)
    for pos in sorted(inserts, reverse=True):
        text = text[:pos] + clause + text[pos:]
    return text


def _top_level_where(op: list[Token]) -> Token | None:
    depth = 0
    for tok in op:
        if tok.kind == "other" and tok.text in "{([":
            depth += 1
        elif tok.kind == "other" and tok.text in "})]":
            depth -= 1
        elif depth == 0 and tok.is_word("WHERE"):
            return tok
    return None
