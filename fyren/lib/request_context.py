"""The id of the request being served, and what it has already written to the
access log, available to services without passing them down."""

import contextvars

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("fyren_request_id", default="")


def set_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def current_request_id() -> str:
    return _request_id.get()


# Per request: keys of the access-log entries already written (None outside a
# request, where nothing is merged).
_logged: contextvars.ContextVar[set | None] = contextvars.ContextVar("fyren_access_logged", default=None)


def start_access_log_scope() -> tuple[contextvars.Token, contextvars.Token]:
    """Begin a request's scope: its access-log merging and its small cache."""
    return _logged.set(set()), _cache.set({})


def end_access_log_scope(tokens: tuple[contextvars.Token, contextvars.Token]) -> None:
    logged, cache = tokens
    _logged.reset(logged)
    _cache.reset(cache)


def access_logged_keys() -> set | None:
    return _logged.get()


# Per request: small lookups several parts of one page need (a unit and the
# user's roles there). None outside a request, where nothing is cached.
_cache: contextvars.ContextVar[dict | None] = contextvars.ContextVar("fyren_request_cache", default=None)


def request_cache() -> dict | None:
    return _cache.get()


def request_cache_clear() -> None:
    cache = _cache.get()
    if cache is not None:
        cache.clear()
