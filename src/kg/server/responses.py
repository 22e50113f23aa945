"""Small helpers for every error response, so each status says what went wrong in plain text."""
from __future__ import annotations

from kg.server.reply import Reply

TEXT = "text/plain; charset=utf-8"


def error(status: int, message: str, **headers: str) -> Reply:
    """A plain-text error body ending in a newline; header names are given with _ for -."""
    return Reply((message.rstrip() + "\n").encode("utf-8"), status,
                 [("Content-Type", TEXT), *((name.replace("_", "-"), value) for name, value in headers.items())])


def bad_request(message: str) -> Reply:
    return error(400, message)


def forbidden(message: str, bearer: bool = False) -> Reply:
    return error(403, message, **({"WWW_Authenticate": 'Bearer realm="kg"'} if bearer else {}))


def not_found(message: str) -> Reply:
    return error(404, message)


def method_not_allowed(allowed: list[str]) -> Reply:
    return error(405, f"Method not allowed here; use {', '.join(allowed)}.", Allow=", ".join(allowed))


def not_acceptable(offered: list[str]) -> Reply:
    return error(406, "None of the accepted media types can be produced; available: " + ", ".join(offered) + ".")


def unsupported_media_type(message: str) -> Reply:
    return error(415, message)


def payload_too_large(limit: int) -> Reply:
    return error(413, f"The request is longer than the limit of {limit} characters.")
