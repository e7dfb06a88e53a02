"""Expansions remembered per terminology version.

A deep expansion costs one graph round trip per level (20-90 ms at depth 4-5), and clinicians ask
for the same concepts again and again. An expansion only changes when the terminologies do, so the
cache is keyed by their version: the caller reads it once per request (``ExpansionRepository.
version``, one small query), and a new version empties the cache. The least recently used entries go
first beyond ``max_entries``. Safe to share between threads; two threads missing the same entry both
compute it, which is harmless.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from search.engine import Expander
from search.expansion import ExpandedConcept, ExpansionPolicy

DEFAULT_MAX_ENTRIES = 512


def policy_key(policy: ExpansionPolicy) -> Hashable:
    """Every field of ``policy`` that changes an expansion, hashable (its weights are a mapping)."""
    return (
        tuple(sorted(policy.weights.items())),
        policy.enabled,
        policy.max_depth,
        policy.max_concepts,
        policy.min_weight,
    )


class ExpansionCache:
    def __init__(self, expander: Expander, *, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._expander = expander
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._version: str | None = None
        self._entries: OrderedDict[tuple[str, Hashable], tuple[ExpandedConcept, ...]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def expander(self, version: str) -> Expander:
        """An expander answering from the cache of terminology ``version`` (a new one empties it)."""
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version

        def expand(curie: str, policy: ExpansionPolicy) -> list[ExpandedConcept]:
            key = (curie, policy_key(policy))
            with self._lock:
                found = self._entries.get(key) if version == self._version else None
                if found is not None:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return list(found)
                self.misses += 1
            expanded = self._expander(curie, policy)
            with self._lock:
                if version == self._version:  # not meanwhile replaced by a newer version
                    self._entries[key] = tuple(expanded)
                    self._entries.move_to_end(key)
                    while len(self._entries) > self.max_entries:
                        self._entries.popitem(last=False)
            return expanded

        return expand
