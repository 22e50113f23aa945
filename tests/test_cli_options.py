"""`kg serve`'s options are made from the Config fields' metadata (issue 12): a limit is one edit in kg/config.py,
and a serving field that has no option fails here."""
from __future__ import annotations

import argparse
import dataclasses
import math

import pytest

from kg.cli import build_parser, main
from kg.commands.options import add_config_options, config_values, flag_of
from kg.commands.serve import settings
from kg.config import Config, option

# Config fields that are deliberately not `kg serve` options; a new field must either get option(...) metadata or
# be listed here, so a limit cannot be added without its flag by accident.
NOT_OPTIONS = {"root", "build_dir", "reason", "max_query_length", "max_upload_bytes",
               "wikidata_api", "wikidata_sparql", "wikidata_cache", "doc_cache"}


def _serve_parser() -> argparse.ArgumentParser:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices["serve"]


def missing_options(serve: argparse.ArgumentParser) -> list[str]:
    """The Config fields with option metadata that the serve parser has no option for (by flag and dest)."""
    have = {(flag, a.dest) for a in serve._actions for flag in a.option_strings}
    return [f.name for f in dataclasses.fields(Config) if f.metadata and (flag_of(f), f.name) not in have]


def test_every_config_field_with_metadata_is_a_serve_option():
    assert missing_options(_serve_parser()) == []


def test_every_config_field_is_an_option_or_deliberately_not_one():
    unclassified = [f.name for f in dataclasses.fields(Config) if not f.metadata and f.name not in NOT_OPTIONS]
    assert unclassified == [], "give these fields option(...) metadata, or list them in NOT_OPTIONS"
    assert not [name for name in NOT_OPTIONS if Config.__dataclass_fields__[name].metadata]


def test_the_check_can_fail():
    """A serve parser without --max-rows is caught."""
    bare = argparse.ArgumentParser()
    add_config_options(bare)
    bare._actions = [a for a in bare._actions if a.dest != "max_rows"]
    assert missing_options(bare) == ["max_rows"]


def test_the_existing_flags_keep_their_names():
    flags = {flag for a in _serve_parser()._actions for flag in a.option_strings}
    assert flags == {"-h", "--help", "--host", "--port", "--store", "--empty", "--threads", "--workers", "--preload",
                     "--timeout", "--executors", "--max-rows", "--max-concurrent", "--client-rate", "--client-burst",
                     "--allow-service", "--trust-proxy", "--base-url", "--write-token-file"}


def test_without_options_the_settings_are_configs_defaults(monkeypatch):
    monkeypatch.delenv("KG_WRITE_TOKEN", raising=False)
    args = build_parser().parse_args(["serve"])
    values = config_values(args)
    assert values.pop("threads") is None and values.pop("executors") is None       # worked out at start
    assert values == {name: getattr(Config(), name) for name in values}
    served = settings(args, Config())
    assert (served.threads, served.executors) == (2, 0)      # 2 HTTP processes, read-only in memory
    assert dataclasses.replace(served, threads=Config.threads, executors=Config.executors) == Config()


def test_each_option_sets_its_field(monkeypatch, tmp_path):
    monkeypatch.delenv("KG_WRITE_TOKEN", raising=False)
    token = tmp_path / "token"
    token.write_text("s3cret\n", encoding="utf-8")
    argv = ["serve", "--host", "0.0.0.0", "--port", "8080", "--store", str(tmp_path), "--threads", "3", "--workers", "4",
            "--timeout", "2.5", "--executors", "1", "--max-rows", "10", "--max-concurrent", "5", "--client-rate", "inf",
            "--client-burst", "7", "--allow-service", "https://query.wikidata.org/sparql",
            "--allow-service", "http://example.org/sparql", "--trust-proxy", "10.0.0.0/8", "--trust-proxy", "127.0.0.1",
            "--write-token-file", str(token)]
    c = settings(build_parser().parse_args(argv), Config())
    assert (c.host, c.port, c.store, c.threads, c.http_workers, c.query_timeout, c.executors) == \
           ("0.0.0.0", 8080, str(tmp_path), 3, 4, 2.5, 1)
    assert (c.max_rows, c.max_concurrent, c.client_burst, c.write_token) == (10, 5, 7, "s3cret")
    assert math.isinf(c.client_rate)
    assert c.allow_service == ("https://query.wikidata.org/sparql", "http://example.org/sparql")
    assert c.trust_proxy == ("10.0.0.0/8", "127.0.0.1/32")
    assert not c.empty and c.preload == ()


def test_empty_with_preload_and_the_token_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KG_WRITE_TOKEN", "from-env")
    c = settings(build_parser().parse_args(["serve", "--empty", "--preload", "a.nq", "--preload", "b.ttl"]), Config())
    assert c.empty and [p.name for p in c.preload] == ["a.nq", "b.ttl"] and c.write_token == "from-env"
    assert (c.threads, c.executors, c.http_workers) == (8, 2, 2)     # writable: one HTTP process, query processes


def test_a_missing_token_file_is_an_error(capsys, tmp_path):
    assert main(["serve", "--write-token-file", str(tmp_path / "none")]) == 2
    assert f"{tmp_path / 'none'}: no such file" in capsys.readouterr().err


def test_option_metadata():
    f = dataclasses.field(default=3, metadata=option("widgets (default: {default})", flag="--w", auto=True))
    assert dict(f.metadata) == {"help": "widgets (default: {default})", "flag": "--w", "auto": True}
    with pytest.raises(TypeError):
        f.metadata["help"] = "read-only"


def test_help_is_made_from_the_metadata(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"else {Config.executors}" in text and f"else {Config.threads})" in text
    assert "--timeout TIMEOUT seconds a query may run (then 503)" in text
    assert "--write-token-file WRITE_TOKEN_FILE file holding the write token" in text
