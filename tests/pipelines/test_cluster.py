"""Clustering scored pairs into persons."""

from __future__ import annotations

import numpy as np

from pipelines.cluster import clusters, pairs_within_clusters


def _same(labels: np.ndarray, *records: int) -> bool:
    return len({int(labels[r]) for r in records}) == 1


def test_links_chain_into_one_person_above_the_threshold() -> None:
    labels = clusters(5, np.array([0, 1, 3]), np.array([1, 2, 4]), np.array([0.9, 0.8, 0.3]), 0.5)
    assert _same(labels, 0, 1, 2)
    assert not _same(labels, 3, 4)
    assert labels.tolist() == [0, 0, 0, 1, 2]


def test_one_birth_record_per_person_keeps_the_strongest_link() -> None:
    # Records 0, 1 are births; 2 is a directory entry that links to both.
    sources = ["birth", "birth", "directory"]
    labels = clusters(3, np.array([2, 2]), np.array([0, 1]), np.array([0.8, 0.95]), 0.5,
                      sources=sources, one_per_source={"birth"})
    assert _same(labels, 2, 1)
    assert not _same(labels, 0, 1)


def test_constraint_is_checked_across_whole_clusters_not_only_the_pair() -> None:
    # 0-2 and 1-3 are strong; 2-3 would join births 0 and 1 through two directory entries.
    sources = ["birth", "birth", "directory", "directory"]
    labels = clusters(4, np.array([0, 1, 2]), np.array([2, 3, 3]), np.array([0.9, 0.9, 0.7]), 0.5,
                      sources=sources, one_per_source={"birth"})
    assert _same(labels, 0, 2) and _same(labels, 1, 3)
    assert not _same(labels, 0, 1)


def test_unconstrained_sources_may_appear_many_times_in_a_person() -> None:
    sources = ["directory", "directory", "birth"]
    labels = clusters(3, np.array([0, 1]), np.array([2, 2]), np.array([0.9, 0.8]), 0.5,
                      sources=sources, one_per_source={"birth"})
    assert _same(labels, 0, 1, 2)


def test_pairs_within_clusters_lists_every_pair_once() -> None:
    left, right = pairs_within_clusters(np.array([0, 1, 0, 0, 2]))
    assert set(zip(left.tolist(), right.tolist(), strict=True)) == {(0, 2), (0, 3), (2, 3)}
