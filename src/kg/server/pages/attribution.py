"""What data/sources/README.md says of each stored text: the document (title, publisher, date, URL, author, as the
curator recorded them) and the publisher's rights, one table row per file. Read from the data folder the build
reads (the checkout's, or the installed package's copy), once per process."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import NamedTuple

SOURCES = Path("data") / "sources"          # under the configuration's root, as dcterms:identifier names texts
README = SOURCES / "README.md"
CELLS = 3                                    # file | document | publisher and rights


class Attribution(NamedTuple):
    """A stored text's row of the README: the document it comes from, and the rights line."""

    document: str
    rights: str


def of(root: Path, file_name: str) -> Attribution | None:
    """The README's row for one text file of data/sources (by its file name), or None if it has none."""
    return _rows(root / README).get(file_name)


@functools.lru_cache(maxsize=4)
def _rows(readme: Path) -> dict[str, Attribution]:
    """Every row of the README's table, by file name (an empty table when the README is missing)."""
    try:
        lines = readme.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    found: dict[str, Attribution] = {}
    for line in lines:
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) == CELLS and cells[0].startswith("`") and cells[0].endswith("`"):
            found[cells[0].strip("`")] = Attribution(_plain(cells[1]), _plain(cells[2]))
    return found


def _plain(cell: str) -> str:
    """A Markdown cell as plain text (its code spans without their backquotes)."""
    return cell.replace("`", "")


def text_path(root: Path, identifier: str) -> Path | None:
    """The file a text's dcterms:identifier names, if it is a file under data/sources (nothing outside it is read,
    whatever a write to the store may claim)."""
    folder = (root / SOURCES).resolve()
    path = (root / identifier).resolve()
    if path.parent != folder or path.suffix != ".txt" or not path.is_file():
        return None
    return path
