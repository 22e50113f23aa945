"""Small helpers for every error response, so each status says what went wrong in plain text."""
from __future__ import annotations

from flask import Response

TEXT = "text/plain; charset=utf-8"


def error(status: int, message: str, **headers: str) -> Response:
    """A plain-text error body ending in a newline."""
    response = Response(message.rstrip() + "\n", status=status, content_type=TEXT)
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    return response


def bad_request(message: str) -> Response:
    return error(400, message)


def forbidden(message: str, bearer: bool = False) -> Response:
    return error(403, message, **({"WWW_Authenticate": 'Bearer realm="kg"'} if bearer else {}))


def not_found(message: str) -> Response:
    return error(404, message)


def method_not_allowed(allowed: list[str]) -> Response:
    return error(405, f"Method not allowed here; use {', '.join(allowed)}.", Allow=", ".join(allowed))


def not_acceptable(offered: list[str]) -> Response:
    return error(406, "None of the accepted media types can be produced; available: " + ", ".join(offered) + ".")


def unsupported_media_type(message: str) -> Response:
    return error(415, message)


def payload_too_large(limit: int) -> Response:
    return error(413, f"The request is longer than the limit of {limit} characters.")
