"""The commands on the graph itself: `kg build`, `validate`, `query`, `stats`, `load` and `examples`."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kg import deepstack
from kg.build import checkfiles, describe, pipeline, shapes
from kg.build.loading import rdf_files
from kg.config import Config
from kg.console import Progress, out
from kg.errors import KgError, redact
from kg.query import examples, results
from kg.query.fulltext.expand import expand
from kg.store.embedded import EmbeddedStore, open_built, query
from kg.vocab import PREFIXES, compact

DEFAULT_DATA = Path("build")


def build(args: argparse.Namespace, config: Config) -> int:
    """`kg build`: load, reason, validate and write the dataset files, then say what was built."""
    config = config.replace(reason=not args.no_reason, base_url=args.base_url)
    pipeline.check_writable(args.out)                 # before the work, not after it
    started, progress = time.perf_counter(), Progress()
    built = pipeline.check(config, progress)
    progress("writing the dataset files")
    files = pipeline.write(built, args.out, config)
    progress.close()
    stats = describe.counts(built.store)
    out(f"Built {stats['quads']} quads in {len(stats['graphs'])} graphs into {args.out}/ "
          f"in {time.perf_counter() - started:.2f} s")
    for name, n in sorted(stats["graphs"].items()):
        out(f"  {compact(name):32} {n:6d} triples")
    out("  steps: " + ", ".join(f"{k} {v:.2f} s" for k, v in built.timings.items()))
    out(f"  {built.quotes_checked} quotes match their source text; SHACL: "
          f"{built.report.violation_count} violations, {len(built.report.results) - built.report.violation_count} warnings")
    for r in built.report.results:
        out(f"  {r.severity}: {r.focus_label} ({r.focus}): {r.message}")
    out("  files: " + ", ".join(p.name for p in files.values()))
    return 0


def validate(args: argparse.Namespace, config: Config) -> int:
    """`kg validate`: SHACL and quote checks of data files; 1 if they do not conform."""
    if args.context is not None and not args.files:
        raise KgError("--context is the context of the FILEs given; without FILE the project's data is validated "
                      "on its own (name the files to validate)")
    files = rdf_files(args.files) or config.data_files          # a folder stands for the RDF files under it
    context = args.context if args.files else []
    if context:
        context = rdf_files(context)
    report = checkfiles.validate_files(config, files, context, args.shapes)
    out(shapes.FORMATTERS[args.format](report))
    return 0 if report.conforms else 1


def _store(args: argparse.Namespace, config: Config):
    """The dataset of --data; without --data, build/'s, or the graph built in memory if there is none."""
    if args.data is not None:
        return open_built(args.data)               # a folder named but not built is an error, not a silent build
    if (DEFAULT_DATA / "dataset.nq").is_file():
        return open_built(DEFAULT_DATA)
    print(f"kg: no built dataset in {DEFAULT_DATA}/; building the graph in memory", file=sys.stderr)
    progress = Progress()
    store = pipeline.check(config, progress).store
    progress.close()
    return store


def query_command(args: argparse.Namespace, config: Config) -> int:
    """`kg query`: run a SPARQL query (text, file or shipped example) and print the answer."""
    if args.example:
        text = examples.text(args.example)
    elif args.file:
        if not args.file.is_file():
            raise KgError(f"{args.file}: no such file")
        try:
            text = args.file.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            raise KgError(f"{args.file}: not UTF-8 text (byte {err.start}: {err.reason})") from None
    else:
        text = args.sparql
    store = _store(args, config)
    text = expand(text, EmbeddedStore(store), config.sources_dir, config.query_timeout, implicit=PREFIXES)
    # evaluated and rendered on a deep stack: the engine recurses, and an overflow would abort the process
    try:
        out(deepstack.call(lambda: results.render(query(store, text), args.format)))
    except (OSError, RuntimeError, ValueError) as err:       # raised while evaluating, e.g. a SERVICE unreachable
        raise KgError(f"the query failed: {redact(str(err))}") from None
    return 0


def stats(args: argparse.Namespace, config: Config) -> int:
    """`kg stats`: counts by graph, class and property."""
    counts = describe.counts(_store(args, config))
    out(f"{counts['quads']} quads")
    for title, counted in (("graphs", counts["graphs"]), ("instances by class", counts["classes"]),
                           ("triples by property", counts["properties"])):
        out(f"\n{title}:")
        for name, n in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0])):
            out(f"  {n:6d}  {compact(name)}")
    return 0


def load(args: argparse.Namespace, config: Config) -> int:
    """`kg load`: build the graph and write it into an on-disk Oxigraph store or a remote store."""
    from kg.store.remote import Endpoints, RemoteStore
    from kg.store.embedded import load_directory

    began, progress = time.perf_counter(), Progress()
    built = pipeline.check(config, progress)
    progress(f"loading the quads into {args.store}")
    started = time.perf_counter()
    if args.store.startswith(("http://", "https://")):
        progress.close()                              # the bar below says how the push goes

        def pushed(graph: str, sent: int, total: int) -> None:
            if sys.stderr.isatty():
                rate = sent / max(time.perf_counter() - started, 1e-9)
                bar = "#" * int(30 * sent / max(total, 1))
                print(f"\r[{bar:30}] {sent}/{total} triples, {rate:,.0f} triples/s  {compact(graph)}",
                      end="", file=sys.stderr, flush=True)
        count = RemoteStore(Endpoints.from_url(args.store)).push(built.store, pushed)
        if sys.stderr.isatty():
            print(file=sys.stderr)
    else:
        count = load_directory(Path(args.store), built.store)
    seconds = time.perf_counter() - started
    progress.close()
    out(f"Built the graph in {started - began:.2f} s, then loaded {count} quads into {args.store} in {seconds:.2f} s "
          f"({count / max(seconds, 1e-9):,.0f} quads/s); {time.perf_counter() - began:.2f} s in all")
    return 0


def list_examples(args: argparse.Namespace, config: Config) -> int:
    """`kg examples`: list the shipped example queries."""
    for name in examples.names():
        out(f"{name:28} {examples.title(name)}")
    return 0
