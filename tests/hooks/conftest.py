"""Push tests use the store made from example-store/, with the real hooks installed."""

from __future__ import annotations

import pytest

from registry.git.store import Store


@pytest.fixture
def store(example_store: Store) -> Store:
    return example_store
