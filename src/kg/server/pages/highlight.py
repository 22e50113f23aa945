"""A source text with its quoted spans marked, as well-formed HTML however the spans overlap: a span inside another
is nested in it; a span that crosses another's end is split, each piece its own <mark> with the quote's name in
data-quote, and only the first piece carries the quote's id. After a quote's last piece comes a reference link to
the facts it supports (its label in aria-label and its number drawn by the style sheet, so that the text of the
marks is exactly the quoted words)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Span:
    """A quoted span of the text: code-point offsets (end exclusive), the quote's name and its number."""

    start: int
    end: int
    name: str
    number: int


def marked(text: str, spans: list[Span], ref_label: Callable[[Span], str]) -> Markup:
    """The text, escaped, with every non-empty span within it marked and referenced."""
    kept = sorted((s for s in spans if 0 <= s.start < s.end <= len(text)), key=lambda s: (s.start, -s.end, s.name))
    cuts = sorted({0, len(text), *(s.start for s in kept), *(s.end for s in kept)})
    out: list[str] = []
    open_: list[Span] = []
    waiting = list(reversed(kept))                   # popped from the end: by start, then the longer first
    for here, after in zip(cuts, cuts[1:] + [len(text)]):
        _close(open_, here, out, ref_label)
        while waiting and waiting[-1].start == here:
            span = waiting.pop()
            out.append(_open(span, first=True))
            open_.append(span)
        out.append(str(escape(text[here:after])))
    _close(open_, len(text), out, ref_label)
    return Markup("".join(out))


def _open(span: Span, first: bool) -> str:
    """The opening tag of a span's piece (the first piece carries the id the quote's links point to)."""
    name = escape(span.name)
    return f'<mark id="{name}" data-quote="{name}">' if first else f'<mark data-quote="{name}">'


def _close(open_: list[Span], here: int, out: list[str], ref_label: Callable[[Span], str]) -> None:
    """Close the spans that end at `here`: the ones opened after them are closed first and opened again as new
    pieces, so that the elements nest; each ending span is followed by its reference link."""
    if not any(span.end == here for span in open_):
        return
    deepest = min(i for i, span in enumerate(open_) if span.end == here)
    above = open_[deepest:]
    del open_[deepest:]
    out.append("</mark>" * len(above))
    for span in above:
        if span.end == here:
            out.append(_reference(span, ref_label(span)))
    for span in above:
        if span.end != here:
            out.append(_open(span, first=False))
            open_.append(span)


def _reference(span: Span, label: str) -> str:
    """The link from a quote's end to the list of the facts it supports."""
    return (f'<a class="ref" href="#facts-{escape(span.name)}" data-n="{span.number}" '
            f'aria-label="{escape(label)}"></a>')
