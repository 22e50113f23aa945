"""Commands for curators bringing in a new document: `kg quote` (a selector to paste) and `kg ingest`."""
from __future__ import annotations

import argparse
from pathlib import Path

from kg.config import Config
from kg.console import out
from kg.errors import KgError
from kg.files import write_atomically
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


def ingest(args: argparse.Namespace, config: Config) -> int:
    """`kg ingest`: propose quoted facts from a Turkish text, or --accept a reviewed proposals file."""
    from kg.ingest import accept, extract, gazetteer, proposals

    if args.accept is not None:
        if args.source_text is not None or args.url or args.publisher or args.published or args.out:
            raise KgError("--accept takes the proposals file and, optionally, --source; nothing else")
        done = accept.accept(args.accept, config.root, args.source)
        out(f"{done.facts} facts with {done.quotes} quotes accepted into {done.data_file}; text in {done.source_file}")
        return 0
    if args.source_text is None or not args.url or not args.publisher:
        raise KgError("kg ingest SOURCE.txt needs --url and --publisher (or use --accept proposals.trig)")
    if args.source is not None:
        raise KgError("--source goes with --accept")
    try:
        published = proposals.published_literal(args.published) if args.published else None
    except ValueError as err:
        raise KgError(f"--published: {err}") from None
    doc = proposals.doc_name(args.source_text)
    target = args.out or Path(f"{doc}.proposals.trig")
    data_dir = (config.root / "data").resolve()
    if target.resolve().is_relative_to(data_dir):
        raise KgError(f"{target}: proposals are not written into {data_dir}; review them, then --accept")
    text = selectors.read_text(args.source_text)
    found = extract.extract(text, gazetteer.from_config(config), published)
    ds = proposals.build(doc, text, found, args.url, args.publisher, published)
    problems = selectors.verify(ds.graph(proposals.graph_name(doc)), args.source_text)
    if problems:                                   # the rules' spans are offsets into this very text
        raise KgError(f"a proposed quote fails the quote check: {problems[0]}")
    header = (f"# Proposals of `kg ingest` for {args.source_text.name} ({len(found.facts)} facts, "
              f"{len(found.new)} new entities marked casd:proposedNew).\n"
              f"# Delete the facts (plain triples) you reject, then: kg ingest --accept {target.name} "
              f"--source {args.source_text}\n\n")
    write_atomically(target, proposals.serialise(ds, doc, header))
    kinds: dict[str, int] = {}
    for f in found.facts:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    out(f"{len(found.facts)} facts proposed ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}), "
        f"{len(found.new)} new entities; written to {target}")
    return 0
