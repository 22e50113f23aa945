"""Run the command-line interface as `python -m kg`."""
from kg.cli import main

raise SystemExit(main())
