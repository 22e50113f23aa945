"""The `kg` subcommands, part of the command-line layer (with kg.cli, kg.console and kg.__main__).

Each command is a function (args, config) -> exit code that kg.cli's parser calls; `options` makes `kg serve`'s
options from the Config fields' metadata. Any layer may be imported from here; nothing imports this package but
the command line.
"""
