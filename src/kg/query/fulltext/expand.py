"""A request's search patterns answered from the full-text index of the data it runs on (rewrite + index)."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Mapping

from kg.query.fulltext import rewrite
from kg.query.fulltext.index import index_for
from kg.store.protocol import Store


def expand(text: str, store: Store, sources_root: Path, timeout: float,
           implicit: Mapping[str, str] | None = None) -> str:
    """The request with each `casd:search` pattern replaced by its hits, searched within `timeout` seconds
    (SearchTimeout past it), or the request itself if it has none; SearchRefused or QueryError for a pattern
    that cannot be searched."""
    if not rewrite.mentions_search(text):
        return text
    deadline = time.monotonic() + timeout
    found = rewrite.find(text, implicit)
    if not found:
        return text
    index = index_for(store, sources_root)

    def search(words: str) -> list[rewrite.Row]:
        return [rewrite.Row(hit.iri, hit.score, "".join(piece for piece, _ in hit.snippet))
                for hit in index.search(words, deadline=deadline)]
    return rewrite.rewrite(text, search, implicit)
