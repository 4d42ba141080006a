"""Scored pairs -> persons: connected components over links above a threshold.

Plain components chain weak links transitively; where a source says a person appears in it at
most once (one birth record per person, one row per person in each FEBRL4 file), `clusters` adds
the links strongest first and skips any that would put two records of such a source in one
person (greedy, as Splink's one-to-one clustering does).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["clusters", "pairs_within_clusters"]


def _components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    graph = coo_matrix((np.ones(left.size, dtype=np.int8), (left, right)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return _renumber(labels)


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Cluster ids 0..k-1 in order of each cluster's first record."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    return rank[inverse]


def clusters(
    n_records: int,
    left: np.ndarray,
    right: np.ndarray,
    scores: np.ndarray,
    threshold: float,
    *,
    sources: Sequence[object] | np.ndarray | None = None,
    one_per_source: Collection[object] = (),
) -> np.ndarray:
    """Cluster id per record (0..n_records-1) linking pairs whose score is >= threshold.

    `left`/`right` are record positions in one numbering across all sources. With `sources`
    (the source of each record) and `one_per_source` (the sources a person appears in at most
    once), links are taken strongest first and a link that would join two records of such a
    source into one cluster is dropped.
    """
    left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    scores = np.asarray(scores, dtype=float)
    keep = scores >= threshold
    left, right, scores = left[keep], right[keep], scores[keep]
    if sources is None or not one_per_source:
        return _components(n_records, left, right)
    src = np.asarray(sources, dtype=object)
    if src.size != n_records:
        raise ValueError("sources needs one entry per record")
    constrained = list(dict.fromkeys(s for s in one_per_source))
    bit = {s: 1 << i for i, s in enumerate(constrained)}
    # One bit per constrained source present in each cluster; union-find merges them.
    mask = np.fromiter((bit.get(s, 0) for s in src), dtype=object, count=n_records).tolist()
    parent = list(range(n_records))

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for k in np.argsort(-scores, kind="stable").tolist():
        a, b = find(int(left[k])), find(int(right[k]))
        if a == b or mask[a] & mask[b]:
            continue
        parent[b] = a
        mask[a] |= mask[b]
    roots = np.fromiter((find(i) for i in range(n_records)), dtype=np.int64, count=n_records)
    return _renumber(roots)


def pairs_within_clusters(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j), i < j, of records sharing a cluster: the pairs a clustering asserts."""
    labels = np.asarray(labels)
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    end = np.searchsorted(sorted_labels, sorted_labels, side="right")
    lengths = end - np.arange(order.size) - 1
    first = np.repeat(np.arange(order.size), lengths)
    total = int(lengths.sum())
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    second = np.repeat(np.arange(order.size) + 1, lengths) + (np.arange(total) - offsets)
    a, b = order[first], order[second]
    return np.minimum(a, b), np.maximum(a, b)
