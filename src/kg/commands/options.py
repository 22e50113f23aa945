"""Command-line options made from the Config fields' metadata (kg.config.option), as Datasette's SETTINGS does.

Each field with option(...) metadata becomes one option whose dest is the field's name: a bool field a switch, a
tuple field a repeatable option, a field of type `X | None` an option of type X, any other one an option of the
field's type (or the metadata's) defaulting to the field's default, or to None when the field is `auto`.
"""
from __future__ import annotations

import argparse
import dataclasses
import types
import typing
from typing import Any

from kg.config import Config, serve_options


def flag_of(f: dataclasses.Field) -> str:
    """The option string of a Config field: its metadata's flag, else `--` + its name with dashes."""
    return f.metadata.get("flag") or "--" + f.name.replace("_", "-")


def add_config_options(parser: argparse.ArgumentParser) -> None:
    """Add one option per Config field that has option(...) metadata, in the fields' order."""
    hints = typing.get_type_hints(Config)
    for f in serve_options():
        parser.add_argument(flag_of(f), **_argument(f, hints[f.name]))


def config_values(args: argparse.Namespace) -> dict[str, Any]:
    """The parsed value of every option that add_config_options made, by field name (repeated ones as tuples)."""
    values = {f.name: getattr(args, f.name) for f in serve_options()}
    return {name: tuple(v) if isinstance(v, list) else v for name, v in values.items()}


def _argument(f: dataclasses.Field, hint: Any) -> dict[str, Any]:
    meta = f.metadata
    kwargs: dict[str, Any] = {"dest": f.name, "help": meta["help"].format(default=f.default)}
    if hint is bool:
        if f.default is not False:
            raise TypeError(f"Config.{f.name}: a switch must default to False")
        return kwargs | {"action": "store_true"}
    kwargs["metavar"] = meta.get("metavar") or flag_of(f).lstrip("-").replace("-", "_").upper()
    if typing.get_origin(hint) is tuple:                    # tuple[X, ...]: repeatable
        return kwargs | {"action": "append", "type": meta.get("type") or typing.get_args(hint)[0], "default": []}
    if typing.get_origin(hint) in (typing.Union, types.UnionType):      # X | None
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    return kwargs | {"type": meta.get("type") or hint, "default": None if meta.get("auto") else f.default}
