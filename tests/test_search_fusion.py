"""Rank fusion: pure functions over (id, score) lists."""

from __future__ import annotations

import pytest

from search.fusion import convex, minmax, rrf


def test_rrf_scores_are_reciprocal_ranks():
    fused = dict(rrf([[("a", 9.0), ("b", 5.0)], [("b", 0.9), ("c", 0.1)]], k=60))
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 62)


def test_rrf_orders_best_first_and_ignores_score_scale():
    keyword = [(1, 1000.0), (2, 999.0), (5, 1.0)]
    vector = [(3, 0.99), (2, 0.98), (4, 0.1)]
    ids = [i for i, _ in rrf([keyword, vector])]
    # second in both lists beats first in one; equal scores keep the order first seen
    assert ids == [2, 1, 3, 5, 4]
    scaled = [(i, s * 1e6) for i, s in keyword]
    assert rrf([scaled, vector]) == rrf([keyword, vector])


def test_rrf_weights():
    a, b = [("x", 1.0)], [("y", 1.0)]
    assert [i for i, _ in rrf([a, b], weights=[1.0, 2.0])] == ["y", "x"]
    assert [i for i, _ in rrf([a, b], weights=[2.0, 1.0])] == ["x", "y"]
    assert dict(rrf([a, b], weights=[0.0, 1.0]))["x"] == 0.0
    with pytest.raises(ValueError):
        rrf([a, b], weights=[1.0])
    with pytest.raises(ValueError):
        rrf([a], weights=[-1.0])


def test_rrf_ties_are_deterministic():
    # x and y tie on score; both rank 1 somewhere, so order follows first appearance.
    assert [i for i, _ in rrf([[("x", 1.0)], [("y", 1.0)]])] == ["x", "y"]
    assert [i for i, _ in rrf([[("y", 1.0)], [("x", 1.0)]])] == ["y", "x"]


def test_rrf_counts_a_repeated_id_once_per_list():
    fused = dict(rrf([[("a", 3.0), ("a", 2.0), ("b", 1.0)]], k=0))
    assert fused["a"] == pytest.approx(1.0)
    assert fused["b"] == pytest.approx(1 / 3)


def test_rrf_empty_inputs():
    assert rrf([]) == []
    assert rrf([[], []]) == []
    assert rrf([[], [(7, 0.5)]]) == [(7, pytest.approx(1 / 61))]


def test_minmax():
    assert minmax([]) == []
    assert minmax([("a", 10.0), ("b", 5.0), ("c", 0.0)]) == [("a", 1.0), ("b", 0.5), ("c", 0.0)]
    assert minmax([("a", 3.0), ("b", 3.0)]) == [("a", 1.0), ("b", 1.0)]
    assert minmax([("a", -1.0), ("b", -3.0)]) == [("a", 1.0), ("b", 0.0)]


def test_convex_combination():
    keyword = [("a", 20.0), ("b", 10.0), ("c", 0.0)]
    vector = [("c", 0.9), ("b", 0.5), ("a", 0.1)]
    fused = dict(convex([keyword, vector], weights=[1, 1]))
    assert fused["a"] == pytest.approx(0.5)
    assert fused["b"] == pytest.approx(0.5 * 0.5 + 0.5 * 0.5)
    assert fused["c"] == pytest.approx(0.5)
    assert all(0.0 <= s <= 1.0 for s in fused.values())
    only_vector = [i for i, _ in convex([keyword, vector], weights=[0, 3])]
    assert only_vector[0] == "c"
    with pytest.raises(ValueError):
        convex([keyword, vector], weights=[0, 0])


def test_convex_missing_ids_score_zero_in_that_list():
    fused = dict(convex([[("a", 1.0), ("b", 0.0)], [("c", 5.0)]]))
    assert fused == {"a": pytest.approx(0.5), "b": pytest.approx(0.0), "c": pytest.approx(0.5)}
