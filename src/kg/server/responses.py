"""Every response the server makes is a Reply made here: a body with its media type, an empty one, or an error
that says what went wrong in plain text."""
from __future__ import annotations

from kg.server.reply import Reply

TEXT = "text/plain; charset=utf-8"


def ok(body: bytes | str, content_type: str, status: int = 200) -> Reply:
    """A body (text is sent as UTF-8) with its media type."""
    return Reply(body.encode("utf-8") if isinstance(body, str) else body, status, [("Content-Type", content_type)])


def empty(status: int, **headers: str) -> Reply:
    """No body (204, 201 …); header names are given with _ for -."""
    return Reply(b"", status, [(name.replace("_", "-"), value) for name, value in headers.items()])


def error(status: int, message: str, **headers: str) -> Reply:
    """A plain-text error body ending in a newline; header names are given with _ for -."""
    return Reply((message.rstrip() + "\n").encode("utf-8"), status,
                 [("Content-Type", TEXT), *((name.replace("_", "-"), value) for name, value in headers.items())])


def bad_request(message: str) -> Reply:
    """400 with the message."""
    return error(400, message)


def forbidden(message: str, bearer: bool = False) -> Reply:
    """403; with `bearer`, the challenge that names the token scheme."""
    return error(403, message, **({"WWW_Authenticate": 'Bearer realm="kg"'} if bearer else {}))


def not_found(message: str) -> Reply:
    """404 with the message."""
    return error(404, message)


def method_not_allowed(allowed: list[str]) -> Reply:
    """405 with the methods that are allowed, in the text and in Allow."""
    return error(405, f"Method not allowed here; use {', '.join(allowed)}.", Allow=", ".join(allowed))


def not_acceptable(offered: list[str]) -> Reply:
    """406 with the media types that could be produced."""
    return error(406, "None of the accepted media types can be produced; available: " + ", ".join(offered) + ".")


def unsupported_media_type(message: str) -> Reply:
    """415 with the message."""
    return error(415, message)


def payload_too_large(limit: int) -> Reply:
    """413 for a query or update over the length limit."""
    return error(413, f"The request is longer than the limit of {limit} characters.")


def body_too_large(limit: int) -> Reply:
    """413 for a request body over the upload limit."""
    return error(413, f"The request body is larger than {limit} bytes.")


def server_error() -> Reply:
    """500 for a fault of ours (logged, with its traceback, by whoever caught it)."""
    return error(500, "The server failed while answering this request; the failure was logged.")
