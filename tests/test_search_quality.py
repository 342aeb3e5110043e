"""Search-quality metrics (hand-made rankings, exact values) and the judged query file."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from search.quality import (aliases_of, dcg, evaluate, grade, judge, ndcg_at_k, qrel_key, qrels_of, ranked_keys,
                            recall_at_k, reciprocal_rank, relative_source)

DATA = Path(__file__).resolve().parent / "data"
QUERIES = DATA / "search_queries.json"
HELDOUT = DATA / "search_queries_heldout.json"
QUERY_FILES = pytest.mark.parametrize("path,minimum", [(QUERIES, 40), (HELDOUT, 24)], ids=["dev", "heldout"])
LOG2_3 = math.log2(3)
LOG2_4 = 2.0


# -- metrics ------------------------------------------------------------------------------
def test_dcg_uses_exponential_gains_and_log_discount():
    # gains 2, 0, 1 -> (2^2-1)/log2(2) + 0 + (2^1-1)/log2(4)
    assert dcg([2, 0, 1], 10) == pytest.approx(3.0 + 0.0 + 1.0 / LOG2_4)
    assert dcg([2, 0, 1], 1) == pytest.approx(3.0)
    assert dcg([], 10) == 0.0


def test_ndcg_perfect_and_reversed_and_empty():
    qrels = {"a": 2, "b": 1}
    assert ndcg_at_k(["a", "b", "x"], qrels, 10) == pytest.approx(1.0)
    ideal = 3.0 + 1.0 / LOG2_3
    assert ndcg_at_k(["b", "a"], qrels, 10) == pytest.approx((1.0 + 3.0 / LOG2_3) / ideal)
    assert ndcg_at_k(["x", "y"], qrels, 10) == 0.0
    assert ndcg_at_k([], qrels, 10) == 0.0
    assert ndcg_at_k(["a"], {}, 10) == 0.0  # nothing relevant: defined as 0


def test_ndcg_cut_off_at_k():
    qrels = {"a": 2, "b": 2}
    # relevant items at ranks 2 and 3; k=2 keeps only rank 2; ideal@2 has both
    value = ndcg_at_k(["x", "a", "b"], qrels, 2)
    assert value == pytest.approx((3.0 / LOG2_3) / (3.0 + 3.0 / LOG2_3))
    with pytest.raises(ValueError):
        ndcg_at_k(["a"], qrels, 0)


def test_ndcg_ignores_none_and_unjudged_keys():
    qrels = {"a": 1}
    assert ndcg_at_k([None, "a"], qrels, 10) == pytest.approx(1.0 / LOG2_3)


def test_recall_at_k():
    qrels = {"a": 2, "b": 1, "c": 1, "z": 0}  # grade 0 is not relevant
    assert recall_at_k(["a", "x", "c"], qrels, 10) == pytest.approx(2 / 3)
    assert recall_at_k(["x", "a", "c"], qrels, 1) == 0.0
    assert recall_at_k(["a", "a", "a"], qrels, 10) == pytest.approx(1 / 3)
    assert recall_at_k(["a"], {}, 10) == 0.0


def test_reciprocal_rank():
    qrels = {"a": 1, "b": 2}
    assert reciprocal_rank(["x", "y", "b", "a"], qrels) == pytest.approx(1 / 3)
    assert reciprocal_rank(["a"], qrels) == 1.0
    assert reciprocal_rank(["x", None], qrels) == 0.0
    assert reciprocal_rank(["x", "y", "a"], qrels, k=2) == 0.0


def test_evaluate_bundles_the_three_metrics():
    out = evaluate(["x", "a"], {"a": 2}, 10)
    assert out == {"ndcg": pytest.approx(1 / LOG2_3), "recall": 1.0, "mrr": 0.5}


# -- judging results ----------------------------------------------------------------------
def _result(source, record=None, paragraph=None):
    return {"source": source, "record": record, "paragraph": paragraph}


def test_relative_source_and_judge():
    lesson = _result("/x/shared/corpus/nasa-llis/lessons.jsonl", record="641", paragraph=None)
    para = _result("/x/shared/corpus/unsc-2025/text/resolutions/S_RES_2779.txt", paragraph="3(a)(iv)")
    assert relative_source("/a/b/corpus/unsc-2025/text/s_documents/S_2025_54.txt") == \
        "corpus/unsc-2025/text/s_documents/S_2025_54.txt"
    assert relative_source("/elsewhere/file.txt") is None
    assert relative_source(None) is None
    assert judge(lesson, {}) == ("corpus/nasa-llis/lessons.jsonl", "record", "641")
    assert judge(para, {}) == ("corpus/unsc-2025/text/resolutions/S_RES_2779.txt", "paragraph", "3(a)(iv)")
    assert judge(_result("/x/corpus/a.txt"), {}) is None  # a heading passage has no label
    assert judge(_result("/nowhere/a.txt", paragraph="1"), {}) is None


def test_record_wins_over_paragraph_and_grade_lookup():
    both = _result("/s/corpus/nasa-llis/lessons.jsonl", record="12", paragraph="3")
    qrels = qrels_of([{"source": "corpus/nasa-llis/lessons.jsonl", "record": "12", "grade": 2}])
    assert judge(both, qrels) == ("corpus/nasa-llis/lessons.jsonl", "record", "12")
    assert grade(both, qrels) == 2
    assert grade(_result("/s/corpus/nasa-llis/lessons.jsonl", record="13"), qrels) == 0


def test_qrels_keep_highest_grade_and_need_a_locator():
    items = [{"source": "corpus/x.txt", "paragraph": "PP4", "grade": 1},
             {"source": "corpus/x.txt", "paragraph": "PP4", "grade": 2}]
    assert qrels_of(items) == {("corpus/x.txt", "paragraph", "PP4"): 2}
    with pytest.raises(ValueError):
        qrel_key({"source": "corpus/x.txt", "grade": 1})


def test_ranked_keys_count_a_repeated_item_once():
    src = "/s/corpus/nasa-llis/lessons.jsonl"
    results = [_result(src, record="1"), _result(src, record="1"), _result(src, record="2")]
    keys = ranked_keys(results)
    assert keys == [(src.split("/s/")[1], "record", "1"), None, ("corpus/nasa-llis/lessons.jsonl", "record", "2")]
    qrels = {("corpus/nasa-llis/lessons.jsonl", "record", "1"): 2,
             ("corpus/nasa-llis/lessons.jsonl", "record", "2"): 2}
    # the duplicate at rank 2 gains nothing; lesson 2 counts at rank 3
    assert ndcg_at_k(keys, qrels, 10) == pytest.approx((3.0 + 3.0 / LOG2_4) / (3.0 + 3.0 / LOG2_3))


def test_aliases_map_a_copy_onto_the_judged_item():
    relevant = [{"source": "corpus/r/S_RES_1.txt", "paragraph": "PP2", "grade": 2,
                 "same_as": [{"source": "corpus/s/S_2025_9.txt", "paragraph": "PP2"}]},
                {"source": "corpus/r/S_RES_1.txt", "paragraph": "4", "grade": 1}]
    aliases = aliases_of(relevant)
    assert aliases == {("corpus/s/S_2025_9.txt", "paragraph", "PP2"): ("corpus/r/S_RES_1.txt", "paragraph", "PP2")}
    results = [_result("/x/corpus/s/S_2025_9.txt", paragraph="PP2"),
               _result("/x/corpus/r/S_RES_1.txt", paragraph="PP2"),
               _result("/x/corpus/r/S_RES_1.txt", paragraph="4")]
    keys = ranked_keys(results, aliases)
    assert keys == [("corpus/r/S_RES_1.txt", "paragraph", "PP2"), None, ("corpus/r/S_RES_1.txt", "paragraph", "4")]
    assert recall_at_k(keys, qrels_of(relevant), 10) == 1.0
    assert reciprocal_rank(ranked_keys(results), qrels_of(relevant)) == 0.5  # without aliases the copy misses


# -- the judged query file ----------------------------------------------------------------
def _queries(path=QUERIES):
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


@QUERY_FILES
def test_query_file_shape(path, minimum):
    queries = _queries(path)
    assert len(queries) >= minimum
    ids = [q["id"] for q in queries]
    assert len(ids) == len(set(ids))
    groups = {q["group"] for q in queries}
    assert groups == {"nasa", "reports", "resolutions"}
    for q in queries:
        assert q["query"].strip(), q["id"]
        assert 1 <= len(q["relevant"]) <= 15, q["id"]
        keys = [qrel_key(r) for r in q["relevant"]]
        assert len(keys) == len(set(keys)), f"{q['id']}: an item is judged twice"
        for r in q["relevant"]:
            assert r["grade"] in (1, 2), q["id"]
            assert ("record" in r) != ("paragraph" in r), q["id"]
            if "record" in r:
                assert r["source"] == "corpus/nasa-llis/lessons.jsonl" and str(r["record"]).isdigit()
            else:
                assert r["source"].startswith("corpus/unsc-2025/text/") and r["source"].endswith(".txt")
            for other in r.get("same_as", ()):
                assert "paragraph" in other and other["source"].startswith("corpus/unsc-2025/text/")
        # each group's judgments live mostly where the group says
        home = {"nasa": "nasa-llis", "reports": "s_documents", "resolutions": "resolutions"}[q["group"]]
        assert any(home in r["source"] for r in q["relevant"]), q["id"]
        assert any(r["grade"] == 2 for r in q["relevant"]), f"{q['id']}: nothing answers it fully"


@QUERY_FILES
def test_query_file_sources_exist(shared_dir, path, minimum):
    lessons = None
    for q in _queries(path):
        for r in (x for item in q["relevant"] for x in (item, *item.get("same_as", ()))):
            path = shared_dir / r["source"]
            assert path.is_file(), f"{q['id']}: {r['source']} not found under {shared_dir}"
            if "record" in r:
                if lessons is None:
                    lessons = {json.loads(line)["lesson_number"] for line in path.open(encoding="utf-8")
                               if line.strip()}
                assert r["record"] in lessons, f"{q['id']}: lesson {r['record']} not in the lessons file"


def test_held_out_queries_are_new():
    """The held-out set must not repeat a development query (it would leak what was tuned)."""
    dev = {q["query"].strip().lower() for q in _queries(QUERIES)}
    held = _queries(HELDOUT)
    assert not dev & {q["query"].strip().lower() for q in held}
    assert not {q["id"] for q in _queries(QUERIES)} & {q["id"] for q in held}


def test_run_queries_and_summarize_score_a_fixed_ranker():
    from search.quality import run_queries, summarize

    src = "corpus/nasa-llis/lessons.jsonl"
    queries = [{"id": "a", "group": "nasa", "query": "x", "relevant": [{"source": src, "record": "1", "grade": 2}]},
               {"id": "b", "group": "reports", "query": "y", "relevant": [{"source": src, "record": "2", "grade": 1}]}]
    ranked = {"x": [_result("/s/" + src, record="1")], "y": [_result("/s/" + src, record="9"),
                                                            _result("/s/" + src, record="2")]}
    per = run_queries(queries, lambda text, mode: ranked[text], ["hybrid"], 10)
    assert [r["id"] for r in per["hybrid"]] == ["a", "b"]
    assert per["hybrid"][0] == {"id": "a", "group": "nasa", "ndcg": 1.0, "recall": 1.0, "mrr": 1.0}
    assert per["hybrid"][1]["mrr"] == 0.5 and per["hybrid"][1]["ndcg"] == pytest.approx(1 / LOG2_3)
    summary = summarize(per, ("nasa", "reports"))["hybrid"]
    assert summary["all"]["n"] == 2 and summary["nasa"]["ndcg"] == 1.0
    assert summary["all"]["mrr"] == pytest.approx(0.75)
