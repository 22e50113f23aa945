"""Files written whole or not at all: a reader sees the old content or the new, never half of it."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path` (one step on POSIX file systems)."""
    path = Path(path)
    fd, staging = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(staging, 0o666 & ~umask())          # mkstemp makes it private; the file is for everyone
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise


def umask() -> int:
    """The process's file-creation mask (reading it means setting it: set it back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
