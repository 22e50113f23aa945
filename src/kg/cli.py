"""The `kg` command line: the only layer that parses arguments and prints.

This module is the parser and main(); the commands are in kg.commands, and `kg serve`'s options come from the
Config fields' metadata (kg.config.option, made into options by kg.commands.options).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kg import __version__
from kg.build import shapes
from kg.commands import graph, ingest, serve, wikidata
from kg.commands.options import add_config_options
from kg.config import Config
from kg.errors import KgError, ValidationFailed
from kg.link.records import LINKS_FILE, WIKIDATA_FILE
from kg.query import examples, results


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    args = build_parser().parse_args(argv)
    config = Config(**({"root": args.root.resolve()} if args.root else {}))
    try:
        return args.run(args, config)
    except ValidationFailed as err:
        print(shapes.format_text(err.report))
        print(f"kg: {err}", file=sys.stderr)
        return err.exit_code
    except KgError as err:
        print(f"kg: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:            # `kg stats | head`: the reader has gone; that is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def build_parser() -> argparse.ArgumentParser:
    """The `kg` parser: one subcommand per command, each calling its function as args.run(args, config)."""
    p = argparse.ArgumentParser(prog="kg", description="Build, check and query the Central Asian summit diplomacy knowledge graph.")
    p.add_argument("--version", action="version", version=f"kg {__version__}")
    p.add_argument("--root", type=Path, help="folder with ontology/, data/ and shapes/ (default: $KG_HOME or the installed copy)")
    sub = p.add_subparsers(required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="load, reason, validate and write the dataset")
    b.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build)")
    b.add_argument("--no-reason", action="store_true", help="skip HermiT (no consistency check, no inferred graph)")
    b.add_argument("--base-url", metavar="URL", help="public base URL of the server: void.ttl names its SPARQL "
                   "endpoint URL/sparql (default: https://w3id.org/casd/sparql, which w3id.org redirects)")
    b.set_defaults(run=graph.build)

    v = sub.add_parser("validate", help="SHACL and quote checks of data files (default: the project's data)")
    v.add_argument("files", nargs="*", type=Path, metavar="FILE",
                   help="data files to validate; a folder stands for the RDF files under it (default: the project's data)")
    v.add_argument("--context", type=Path, nargs="*", action="extend", metavar="FILE",
                   help="files the data refers to (default: the project's data; --context alone: none)")
    v.add_argument("--shapes", type=Path, action="append", help="shapes file (repeatable; default: the project's shapes)")
    v.add_argument("--format", choices=sorted(shapes.FORMATTERS), default="text")
    v.set_defaults(run=graph.validate)

    q = sub.add_parser("query", help="run a SPARQL query over the built graph")
    src = q.add_mutually_exclusive_group(required=True)
    src.add_argument("sparql", nargs="?", help="the query text")
    src.add_argument("--file", type=Path, help="read the query from a file")
    src.add_argument("--example", choices=examples.names(), help="run one of the shipped example queries")
    q.add_argument("--format", choices=results.FORMAT_NAMES, default="table")
    q.add_argument("--data", type=Path, help="built dataset folder (default: build/, or the graph built in memory if there is none)")
    q.set_defaults(run=graph.query_command)

    s = sub.add_parser("stats", help="counts by graph, class and property")
    s.add_argument("--data", type=Path, help="built dataset folder (default: build/, or the graph built in memory if there is none)")
    s.set_defaults(run=graph.stats)

    ld = sub.add_parser("load", help="build the graph and write it into an on-disk Oxigraph store or a remote store")
    ld.add_argument("--store", required=True, metavar="DIR|URL",
                    help="store directory (created if absent), or a remote SPARQL endpoint URL (graphs sent with the Graph Store Protocol)")
    ld.set_defaults(run=graph.load)

    sv = sub.add_parser("serve", help="serve the graph over the SPARQL 1.1 Protocol")
    add_config_options(sv)                      # every option from the Config fields' metadata
    sv.set_defaults(run=serve.serve)

    lk = sub.add_parser("link", help="find the Wikidata item of every actor, place and position (or --check the links)")
    lk.add_argument("--check", action="store_true", help="re-verify the recorded links instead: item exists, not redirected, "
                                                         "type and time still fit; exit 1 on any difference")
    lk.add_argument("--out", type=Path, help=f"link file to write or check (default: data/{LINKS_FILE})")
    _wikidata_options(lk)
    lk.set_defaults(run=wikidata.link)

    en = sub.add_parser("enrich", help="bring selected Wikidata statements of the linked items into a named graph")
    en.add_argument("--links", type=Path, help=f"link file to read (default: data/{LINKS_FILE})")
    en.add_argument("--out", type=Path, help=f"graph file to write (default: data/{WIKIDATA_FILE})")
    _wikidata_options(en)
    en.set_defaults(run=wikidata.enrich)

    qt = sub.add_parser("quote", help="print the selector (exact words, context, offsets) of a phrase in a source text, as TriG")
    qt.add_argument("source", type=Path, metavar="SOURCE.txt")
    qt.add_argument("phrase")
    qt.add_argument("--occurrence", type=int, metavar="N", help="which occurrence (from 1) when the phrase occurs more than once")
    qt.set_defaults(run=ingest.quote)

    ig = sub.add_parser("ingest", help="propose quoted facts from a Turkish text for review, or --accept reviewed proposals")
    ig.add_argument("source_text", nargs="?", type=Path, metavar="SOURCE.txt")
    ig.add_argument("--url", help="where the text was published")
    ig.add_argument("--publisher", metavar="NAME", help="who published it")
    ig.add_argument("--published", metavar="DATE", help="publication date, YYYY-MM-DD, YYYY-MM or YYYY (if known)")
    ig.add_argument("--out", type=Path, help="proposals file to write (default: SOURCE.proposals.trig here; never under data/)")
    ig.add_argument("--accept", type=Path, metavar="PROPOSALS.trig", help="move the facts left in a reviewed proposals file into data/")
    ig.add_argument("--source", type=Path, metavar="SOURCE.txt", help="with --accept: the text the quotes are checked against")
    ig.set_defaults(run=ingest.ingest)

    e = sub.add_parser("examples", help="list the shipped example queries")
    e.set_defaults(run=graph.list_examples)
    return p


def _wikidata_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--api", default=Config.wikidata_api, help="Wikidata API URL (default: %(default)s)")
    p.add_argument("--cache", type=Path, help="answers already fetched are read from here, so a re-run sends no "
                                              "request (default: ~/.cache/casd-kg/wikidata)")
