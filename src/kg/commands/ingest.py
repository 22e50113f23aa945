"""Commands for curators bringing in a new document: `kg quote` (a selector to paste) and `kg ingest`."""
from __future__ import annotations

import argparse

from kg.config import Config
from kg.console import out
from kg.errors import KgError
from kg.ingest import selectors


def quote(args: argparse.Namespace, config: Config) -> int:
    """`kg quote`: print the selectors of a phrase of a source text as TriG, checked by the quote check."""
    if args.occurrence is not None and args.occurrence < 1:
        raise KgError("--occurrence counts from 1")
    text = selectors.read_text(args.source)
    sel = selectors.locate(text, args.phrase, args.occurrence)
    problems = selectors.check_selector(args.source, sel)
    if problems:                                  # cannot happen unless the two readings of a text drift apart
        raise KgError(f"the quote check disagrees with the selector: {problems[0]}")
    out(f"# {args.source}: code points {sel.start}-{sel.end} (end exclusive), prefix and suffix "
        f"{selectors.CONTEXT} code points")
    out(selectors.trig_fragment(sel))
    return 0
