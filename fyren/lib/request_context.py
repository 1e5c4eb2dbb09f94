"""The id of the request being served, available to services without passing it down."""

import contextvars

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("fyren_request_id", default="")


def set_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def current_request_id() -> str:
    return _request_id.get()
