"""Cached reads with versioned keys: a write bumps its data's version, so every cached value
computed from the old data stops being used at once (no key has to be found and deleted).

The services that write a kind of data call :func:`data_changed` (never a signal: the write and
its invalidation are read together); readers wrap a computation in :func:`cached`. Each value
also expires after ``ESCP4I_FIGURES_CACHE_SECONDS``, the bound on staleness when a cache is
per process (the default local-memory cache: other worker processes keep their copy until it
expires). A shared cache (Redis) makes invalidation immediate for every process.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")

_VERSION_KEY = "escp4i:data-version:{tag}"


def data_version(tag: str) -> int:
    """The current version of the data called ``tag`` (starts at 1)."""
    version = cache.get_or_set(_VERSION_KEY.format(tag=tag), 1, timeout=None)
    return int(version) if version is not None else 1


def data_changed(*tags: str) -> None:
    """Mark the data called ``tags`` as changed: cached values computed from it are dropped."""
    for tag in tags:
        key = _VERSION_KEY.format(tag=tag)
        try:
            cache.incr(key)
        except ValueError:  # not in the cache (yet, or evicted): any new value is a change
            cache.set(key, data_version(tag) + 1, timeout=None)


def cached(tag: str, key: Hashable, compute: Callable[[], T], *, timeout: int | None = None) -> T:
    """``compute()``, or its value cached under ``key`` for the current version of ``tag``."""
    seconds = settings.ESCP4I_FIGURES_CACHE_SECONDS if timeout is None else timeout
    if seconds <= 0:
        return compute()
    full_key = f"escp4i:{tag}:v{data_version(tag)}:{key!r}"
    value: T | None = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=seconds)
    return value
