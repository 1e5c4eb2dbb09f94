"""What belongs to the request being served, available to services without
passing it down: its id, the access-log entries it already wrote, and a small
cache of lookups several parts of one page need. Outside a request (commands,
tests calling services) the last two are None: nothing is merged or cached."""

import contextvars

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("fyren_request_id", default="")
_logged: contextvars.ContextVar[set | None] = contextvars.ContextVar("fyren_access_logged", default=None)
_cache: contextvars.ContextVar[dict | None] = contextvars.ContextVar("fyren_request_cache", default=None)
# The API client (an app or record system) a request comes through, for the access log.
_api_client: contextvars.ContextVar[str] = contextvars.ContextVar("fyren_api_client", default="")


def set_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def current_request_id() -> str:
    return _request_id.get()


def start_request_scope() -> tuple[contextvars.Token, contextvars.Token, contextvars.Token]:
    """Begin a request's access-log merging, its cache and its API client (none yet)."""
    return _logged.set(set()), _cache.set({}), _api_client.set("")


def end_request_scope(tokens: tuple[contextvars.Token, contextvars.Token, contextvars.Token]) -> None:
    logged, cache, client = tokens
    _logged.reset(logged)
    _cache.reset(cache)
    _api_client.reset(client)


def set_api_client(name: str) -> None:
    """The request comes through this API client (set by the API's authentication)."""
    _api_client.set(name)


def current_api_client() -> str:
    return _api_client.get()


def access_logged_keys() -> set | None:
    """Keys of the access-log entries this request already wrote."""
    return _logged.get()


def request_cache() -> dict | None:
    return _cache.get()


def request_cache_clear() -> None:
    cache = _cache.get()
    if cache is not None:
        cache.clear()
