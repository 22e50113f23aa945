"""Length-prefixed messages over a pipe, read against a deadline: how the server talks to its query processes."""
from __future__ import annotations

import os
import select
import struct
import time

_HEADER = struct.Struct(">Q")


def write(fd: int, payload: bytes) -> None:
    """Send one message (its length, then its bytes), however many writes the pipe takes."""
    data = memoryview(_HEADER.pack(len(payload)) + payload)
    while data:
        data = data[os.write(fd, data):]


def read(fd: int, deadline: float | None) -> bytes:
    """Receive one message; TimeoutError if it is not all there by the deadline (monotonic), EOFError if closed."""
    size = _HEADER.unpack(_read_exactly(fd, _HEADER.size, deadline))[0]
    return _read_exactly(fd, size, deadline)


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    chunks, remaining = [], size
    while remaining:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("the query process closed its pipe")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
