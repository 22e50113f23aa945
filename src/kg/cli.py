"""The `kg` command line: the only layer that parses arguments and prints."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from kg import __version__, deepstack
from kg.build import pipeline
from kg.build import checkfiles
from kg.build import describe
from kg.query import examples
from kg.query import guard
from kg.query import results
from kg.build import shapes
from kg.config import Config
from kg.console import Progress, out
from kg.errors import KgError, ValidationFailed
from kg.build.loading import parse_files
from kg.vocab import GRAPH_WIKIDATA, compact
from kg.rdfconv import graph_of
from kg.store.embedded import memory_store, open_built, query
from kg.link.records import LINKS_FILE, WIKIDATA_FILE


DEFAULT_DATA = Path("build")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    args = _parser().parse_args(argv)
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


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="Build, check and query the Central Asian summit diplomacy knowledge graph.")
    p.add_argument("--version", action="version", version=f"kg {__version__}")
    p.add_argument("--root", type=Path, help="folder with ontology/, data/ and shapes/ (default: $KG_HOME or the installed copy)")
    sub = p.add_subparsers(required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="load, reason, validate and write the dataset")
    b.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build)")
    b.add_argument("--no-reason", action="store_true", help="skip HermiT (no consistency check, no inferred graph)")
    b.set_defaults(run=_build)

    v = sub.add_parser("validate", help="SHACL and quote checks of data files (default: the project's data)")
    v.add_argument("files", nargs="*", type=Path, metavar="FILE")
    v.add_argument("--context", type=Path, nargs="*", action="extend", metavar="FILE",
                   help="files the data refers to (default: the project's data; --context alone: none)")
    v.add_argument("--shapes", type=Path, action="append", help="shapes file (repeatable; default: the project's shapes)")
    v.add_argument("--format", choices=sorted(shapes.FORMATTERS), default="text")
    v.set_defaults(run=_validate)

    q = sub.add_parser("query", help="run a SPARQL query over the built graph")
    src = q.add_mutually_exclusive_group(required=True)
    src.add_argument("sparql", nargs="?", help="the query text")
    src.add_argument("--file", type=Path, help="read the query from a file")
    src.add_argument("--example", choices=examples.names(), help="run one of the shipped example queries")
    q.add_argument("--format", choices=results.FORMAT_NAMES, default="table")
    q.add_argument("--data", type=Path, help="built dataset folder (default: build/, or the graph built in memory if there is none)")
    q.set_defaults(run=_query)

    s = sub.add_parser("stats", help="counts by graph, class and property")
    s.add_argument("--data", type=Path, help="built dataset folder (default: build/, or the graph built in memory if there is none)")
    s.set_defaults(run=_stats)

    ld = sub.add_parser("load", help="build the graph and write it into an on-disk Oxigraph store or a remote store")
    ld.add_argument("--store", required=True, metavar="DIR|URL",
                    help="store directory (created if absent), or a remote SPARQL endpoint URL (graphs sent with the Graph Store Protocol)")
    ld.set_defaults(run=_load)

    sv = sub.add_parser("serve", help="serve the graph over the SPARQL 1.1 Protocol")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=5000)
    sv.add_argument("--store", default="memory", help="memory (build the graph into memory) or an Oxigraph store directory")
    sv.add_argument("--empty", action="store_true", help="start on an empty in-memory store, without the shape gate")
    sv.add_argument("--threads", type=int, default=None,
                    help="request threads per HTTP process (default: 2 when there are several processes, else 8)")
    sv.add_argument("--workers", type=int, default=Config.http_workers,
                    help="HTTP processes for a read-only server on memory or a remote store (writable or on-disk: always 1)")
    sv.add_argument("--preload", type=Path, action="append", default=[], metavar="FILE",
                    help="with --empty: load this RDF file into the store at start (repeatable; no reasoning, no shape gate)")
    sv.add_argument("--timeout", type=float, default=Config.query_timeout, help="seconds a query may run (then 503)")
    sv.add_argument("--executors", type=int, default=None,
                    help="query processes; 0 evaluates in the HTTP processes (default for a read-only in-memory server, "
                         f"which retires a process whose query overran), else {Config.executors}")
    sv.add_argument("--max-rows", type=int, default=Config.max_rows, help="solutions per answer (more are cut, with a header saying so)")
    sv.add_argument("--max-concurrent", type=int, default=Config.max_concurrent, help="SPARQL/store requests in flight (more: 503)")
    sv.add_argument("--client-rate", type=float, default=Config.client_rate, help="requests/s one client may sustain (more: 429); inf turns throttling off")
    sv.add_argument("--client-burst", type=int, default=Config.client_burst, help="requests one client may send at once")
    sv.add_argument("--allow-service", action="append", default=[], metavar="URL",
                    help="an endpoint SERVICE and LOAD may reach (repeatable; none by default), e.g. https://query.wikidata.org/sparql")
    sv.add_argument("--trust-proxy", action="append", default=[], metavar="ADDR",
                    help="a reverse proxy (address or network) whose X-Forwarded-For names the client, for the "
                         "per-client rate (repeatable; none by default: the peer address is the client)")
    sv.add_argument("--write-token-file", type=Path,
                    help="file holding the write token (else $KG_WRITE_TOKEN; without one the endpoint is read-only)")
    sv.set_defaults(run=_serve)

    lk = sub.add_parser("link", help="find the Wikidata item of every actor, place and position (or --check the links)")
    lk.add_argument("--check", action="store_true", help="re-verify the recorded links instead: item exists, not redirected, "
                                                         "type and time still fit; exit 1 on any difference")
    lk.add_argument("--out", type=Path, help=f"link file to write or check (default: data/{LINKS_FILE})")
    _wikidata_options(lk)
    lk.set_defaults(run=_link)

    en = sub.add_parser("enrich", help="bring selected Wikidata statements of the linked items into a named graph")
    en.add_argument("--links", type=Path, help=f"link file to read (default: data/{LINKS_FILE})")
    en.add_argument("--out", type=Path, help=f"graph file to write (default: data/{WIKIDATA_FILE})")
    _wikidata_options(en)
    en.set_defaults(run=_enrich)

    e = sub.add_parser("examples", help="list the shipped example queries")
    e.set_defaults(run=_examples)
    return p


def _build(args, config: Config) -> int:
    config = Config(root=config.root, reason=not args.no_reason)
    pipeline.check_writable(args.out)                 # before the work, not after it
    started, progress = time.perf_counter(), Progress()
    built = pipeline.check(config, progress)
    progress("writing the dataset files")
    files = pipeline.write(built, args.out)
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


def _validate(args, config: Config) -> int:
    files = args.files or config.data_files
    context = args.context if args.files else []
    report = checkfiles.validate_files(config, files, context, args.shapes)
    out(shapes.FORMATTERS[args.format](report))
    return 0 if report.conforms else 1


def _store(args, config: Config):
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


def _query(args, config: Config) -> int:
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
    # evaluated and rendered on a deep stack: the engine recurses, and an overflow would abort the process
    try:
        out(deepstack.call(lambda: results.render(query(store, text), args.format)))
    except (OSError, RuntimeError, ValueError) as err:       # raised while evaluating, e.g. a SERVICE unreachable
        raise KgError(f"the query failed: {guard.redact(str(err))}") from None
    return 0


def _stats(args, config: Config) -> int:
    stats = describe.counts(_store(args, config))
    out(f"{stats['quads']} quads")
    for title, key in (("graphs", "graphs"), ("instances by class", "classes"), ("triples by property", "properties")):
        out(f"\n{title}:")
        for name, n in sorted(stats[key].items(), key=lambda kv: (-kv[1], kv[0])):
            out(f"  {n:6d}  {compact(name)}")
    return 0


def _load(args, config: Config) -> int:
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


def _serve(args, config: Config) -> int:
    from kg.server import create_app, ops, proxies, wsgi

    token = os.environ.get("KG_WRITE_TOKEN") or None
    if args.write_token_file:
        if not args.write_token_file.is_file():
            raise KgError(f"{args.write_token_file}: no such file")
        token = args.write_token_file.read_text(encoding="utf-8").strip() or None
    config = config.replace(host=args.host, port=args.port, store=args.store, empty=args.empty,
                            write_token=token, max_concurrent=args.max_concurrent,
                            query_timeout=args.timeout, max_rows=args.max_rows,
                            http_workers=args.workers, preload=tuple(args.preload),
                            client_rate=args.client_rate, client_burst=args.client_burst,
                            allow_service=tuple(guard.check_allow_list(args.allow_service)),
                            trust_proxy=tuple(str(n) for n in proxies.parse_networks(args.trust_proxy)))
    if args.preload and not args.empty:
        raise KgError("--preload goes with --empty (the built graph and stores have their own data)")
    config = config.replace(executors=wsgi.default_executors(config) if args.executors is None else args.executors)
    config = config.replace(threads=wsgi.default_threads(config) if args.threads is None else args.threads)
    listening = wsgi.listen(config)                 # a port already taken fails here, before the graph is built
    if wsgi.on_disk(config):
        ops.check_store_directory(config)          # opened in the serving process (see wsgi.run)
        make_app = lambda: create_app(config)
    else:
        app = create_app(config)
        make_app = lambda: app
    print(f"kg: serving {'an empty store' if args.empty else args.store} at http://{args.host}:{args.port}/sparql "
          f"({'writable with the token' if token else 'read-only'}, {wsgi.http_workers(config)} HTTP process(es))",
          file=sys.stderr, flush=True)
    wsgi.run(make_app, config, listening)
    return 0


def _wikidata_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--api", default=Config.wikidata_api, help="Wikidata API URL (default: %(default)s)")
    p.add_argument("--cache", type=Path, help="answers already fetched are read from here, so a re-run sends no "
                                              "request (default: ~/.cache/casd-kg/wikidata)")


def _wikidata_client(args, config: Config):
    from kg.link.client import WikidataClient

    return WikidataClient(args.api, config.wikidata_sparql, args.cache or config.wikidata_cache)


def _link(args, config: Config) -> int:
    from kg.link import linking, records

    client = _wikidata_client(args, config)
    path = args.out or config.root / "data" / LINKS_FILE
    store = memory_store(sum(pipeline.load_sources(config), []))
    if args.check:
        links = records.read_links(path)
        findings = linking.verify(client, store, links)
        for f in findings:
            out(f"{compact(f.entity)} → {f.item}: {f.problem}")
        out(f"{len(links)} links checked against {args.api}: "
              f"{'all verify' if not findings else f'{len(findings)} difference(s)'} ({client.requests_sent} requests sent)")
        return 1 if findings else 0
    outcomes = linking.reconcile(client, store)
    for o in outcomes:
        _print_outcome(o)
    records.write(records.links_graph(outcomes), path,
                  f"# Generated by `kg link` (casd-kg {__version__}) from {args.api}: one owl:sameAs per entity and "
                  f"its evidence.\n# Do not edit by hand; re-run `kg link`, then `kg link --check`.\n\n")
    linked = sum(o.link is not None for o in outcomes)
    out(f"{linked} linked, {len(outcomes) - linked} left for a curator; written to {path} "
          f"({client.requests_sent} requests sent)")
    return 0


def _print_outcome(o) -> None:
    if o.link is not None:
        out(f"linked  {compact(o.target.iri)} → {o.link.item}  score {o.link.score:.2f}  "
              f"{o.link.matched[0]!r}@{o.link.matched[1]}  [{'; '.join(o.link.passed)}]")
        return
    out(f"open    {compact(o.target.iri)}: {o.reason}")
    for c in o.candidates[:5]:
        out(f"          candidate {c.item}  score {c.score:.2f}  {c.matched[0]!r}  failed: {'; '.join(c.failed) or 'none'}")


def _enrich(args, config: Config) -> int:
    from kg.link import records
    from kg.link.enrich import enrich

    client = _wikidata_client(args, config)
    links = records.read_links(args.links or config.root / "data" / LINKS_FILE)
    path = args.out or config.root / "data" / WIKIDATA_FILE
    ds, findings = enrich(client, links)
    for f in findings:
        out(f"{compact(f.entity)} → {f.item}: {f.problem}")
    records.write(ds, path, f"# Generated by `kg enrich` (casd-kg {__version__}) from {args.api}: selected statements "
                            f"of the linked items.\n# Do not edit by hand; re-run `kg enrich`.\n\n")
    triples = len(ds.graph(GRAPH_WIKIDATA))
    out(f"{triples} triples about {len(links) - len(findings)} linked items written to {path} "
          f"({client.requests_sent} requests sent)")
    return 1 if findings else 0


def _examples(args, config: Config) -> int:
    for name in examples.names():
        out(f"{name:28} {examples.title(name)}")
    return 0
