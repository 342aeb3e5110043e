"""One function-word list serves explanations and the graph boost alike."""

from __future__ import annotations

from missiongraph.stopwords import STOPWORDS
from search import boosts, explain


def test_explanations_and_the_boost_share_one_list():
    assert explain.STOPWORDS is STOPWORDS and boosts.STOPWORDS is STOPWORDS
    # words each former copy had that the other lacked are now skipped by both
    assert {"those", "under", "may", "between", "during", "up"} <= STOPWORDS
    assert not {"convoy", "mission", "gao", "sudan"} & STOPWORDS


def test_a_name_span_never_starts_or_ends_with_a_function_word():
    spans = [s for _, _, s in boosts._spans("Those Under attack near Gao During May")]
    assert "Gao" in spans
    edges = {w.lower() for s in spans for w in (s.split()[0], s.split()[-1])}
    assert not edges & STOPWORDS
    assert "Those Under attack near Gao" not in spans and "Gao During May" not in spans
