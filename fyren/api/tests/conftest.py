import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """Rate counts live in the cache, keyed by client id; ids repeat across tests."""
    cache.clear()
    yield
    cache.clear()
