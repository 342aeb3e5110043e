"""Mandate lineage: clause matching and change types (pure), and real lineage on the shared
corpus ingested newest first (so an older resolution ingested later must slot in)."""

from __future__ import annotations

import json

import pytest

from kg.lineage import compare, in_force, mandate_end, word_diff


def task(t, cid, text, verb="decides"):
    return {"task": t, "clause_id": cid, "paragraph": cid.split(" OP ")[-1], "verb": verb, "text": text}


def test_compare_kept_reworded_strengthened_new_dropped():
    prev = [task("protection_of_civilians", "A OP 3", "To protect civilians under threat of physical violence;"),
            task("elections", "A OP 4", "To support the electoral process;", verb="encourages"),
            task("demining", "A OP 5", "To clear mines on main supply routes;")]
    cur = [task("protection_of_civilians", "B OP 3", "To protect civilians under threat of physical violence;"),
           task("elections", "B OP 4", "To support the electoral process;", verb="requests"),
           task("ddr", "B OP 6", "To support disarmament and reintegration of former combatants;")]
    out, dropped = compare(prev, cur)
    change = {t["task"]: t["change"] for t in out}
    assert change == {"protection_of_civilians": "kept", "elections": "strengthened", "ddr": "new"}
    assert out[0]["previous_clause"] == "A OP 3" and out[2]["previous_clause"] is None
    assert [d["task"] for d in dropped] == ["demining"]
    reworded, _ = compare(prev[:1], [task("protection_of_civilians", "B OP 3",
                                          "To protect civilians under imminent threat of physical violence, "
                                          "including through proactive patrolling;")])
    assert reworded[0]["change"] == "reworded"
    ops = {d["op"] for d in reworded[0]["diff"]}
    assert "insert" in ops and any(d["new"].startswith("imminent") for d in reworded[0]["diff"])


def test_word_diff_and_mandate_dates():
    assert [d["op"] for d in word_diff("until 30 April 2025", "until 30 April 2026")] == ["equal", "replace"]
    assert mandate_end({"adopted": "2025-01-31", "mandate_period": "P1M"}) == "2025-02-28"
    assert mandate_end({"adopted": "2025-05-08", "mandate_until": "2026-04-30", "mandate_period": "P1Y"}) == "2026-04-30"
    res = [{"symbol": "A", "adopted": "2024-01-01", "action": "establish", "mandate_until": "2024-12-31"},
           {"symbol": "B", "adopted": "2024-06-01", "action": "modify", "mandate_until": None},
           {"symbol": "C", "adopted": "2025-01-15", "action": "extend", "mandate_until": "2025-12-31"}]
    assert [r["symbol"] for r in in_force(res, "2024-07-01")] == ["A", "B"]
    assert in_force(res, "2025-01-05") == []            # A lapsed, C not yet adopted: a gap
    assert [r["symbol"] for r in in_force(res, "2025-03-01")] == ["C"]
    assert in_force(res, "2023-01-01") == []


R94 = "corpus/unsc-resolutions-1946-1994"
OLD = ["0425_1978", "0426_1978", "0434_1978", "0444_1979", "0450_1979", "0733_1992", "0746_1992", "0751_1992",
       "0767_1992", "0775_1992", "0794_1992", "0814_1993", "0865_1993", "0886_1993", "0897_1994"]


@pytest.fixture(scope="module")
def lineage_store(shared_dir, tmp_path_factory, extractor):
    from ingest.pipeline import ingest_paths
    from kg import open_store

    files = [shared_dir / R94 / f"S_RES_{n}_EN_GOLD.txt" for n in OLD]
    files += sorted((shared_dir / "corpus/unsc-2025/text/resolutions").glob("*.txt"))
    store = open_store(str(tmp_path_factory.mktemp("lineage") / "store"))
    report = ingest_paths(store, sorted(files, reverse=True), extractor=extractor)   # newest first
    assert not report.errors
    yield store
    store.close()


def _cli(store, *args):
    from click.testing import CliRunner

    from missiongraph.cli import cli

    r = CliRunner().invoke(cli, ["--store", store.url, *args, "--json"])
    assert r.exit_code == 0, r.output + r.stderr
    return json.loads(r.output)


@pytest.mark.shared
def test_unifil_established_by_425_then_426(lineage_store):
    d = _cli(lineage_store, "mandate", "UNIFIL")
    symbols = [r["symbol"] for r in d["resolutions"]]
    assert symbols[:2] == ["S/RES/425 (1978)", "S/RES/426 (1978)"]
    assert d["resolutions"][0]["action"] == "establish"
    assert d["resolutions"][1]["previous"]["symbol"] == "S/RES/425 (1978)"
    assert "S/RES/434 (1978)" in symbols        # the year from the file name, not the mistyped heading
    renewal = next(r for r in d["resolutions"] if r["symbol"] == "S/RES/444 (1979)")
    assert renewal["action"] == "extend" and renewal["previous"]["symbol"] == "S/RES/434 (1978)"


@pytest.mark.shared
def test_somalia_chain_and_the_chapter_vii_force_authorisation(lineage_store):
    d = _cli(lineage_store, "mandate", "UNOSOM")
    by = {r["symbol"]: r for r in d["resolutions"]}
    order = [r["symbol"] for r in d["resolutions"]]
    assert order.index("S/RES/751 (1992)") < order.index("S/RES/767 (1992)") < order.index("S/RES/775 (1992)") \
        < order.index("S/RES/794 (1992)")
    assert by["S/RES/751 (1992)"]["previous"]["symbol"] in ("S/RES/746 (1992)", "S/RES/733 (1992)")
    assert by["S/RES/794 (1992)"]["previous"] == {"symbol": "S/RES/775 (1992)", "in_store": True,
                                                   "adopted": "1992-08-28", "same_mission": True}
    # 814 (1993) sets up UNOSOM II: it belongs to the successor's record, not to UNOSOM's
    assert not any(s.startswith(("S/RES/814 ", "S/RES/865 ", "S/RES/886 ", "S/RES/897 ")) for s in order)
    force = [t for t in by["S/RES/794 (1992)"]["tasks"] if t["task"] == "use_of_force_authorization"]
    assert force and force[0]["change"] == "new" and "all necessary means" in force[0]["text"]
    assert by["S/RES/794 (1992)"]["chapter_vii"] and not by["S/RES/751 (1992)"]["chapter_vii"]
    assert not any(t["task"] == "use_of_force_authorization" for r in d["resolutions"][:order.index(
        "S/RES/794 (1992)")] for t in r["tasks"])


@pytest.mark.shared
def test_unosom_ii_starts_a_new_mandate_that_follows_on_from_unosom(lineage_store):
    """A successor mission is a new mandate: its first resolution points back to the
    predecessor's last one (flagged as another mission), and none of its tasks is "carried"."""
    d = _cli(lineage_store, "mandate", "UNOSOM II")
    order = [r["symbol"] for r in d["resolutions"]]
    assert order == ["S/RES/814 (1993)", "S/RES/865 (1993)", "S/RES/886 (1993)", "S/RES/897 (1994)"]
    first = d["resolutions"][0]
    assert first["action"] == "establish" and first["chapter_vii"]
    assert first["previous"] == {"symbol": "S/RES/794 (1992)", "in_store": True, "adopted": "1992-12-03",
                                 "same_mission": False}
    assert first["tasks"] and {t["change"] for t in first["tasks"]} == {"new"} and first["dropped"] == []
    assert d["resolutions"][2]["previous"]["symbol"] == "S/RES/865 (1993)"
    later = d["resolutions"][3]
    assert later["previous"] == {"symbol": "S/RES/886 (1993)", "in_store": True, "adopted": "1993-11-18",
                                 "same_mission": True}
    assert any(t["previous_clause"] and t["previous_clause"].startswith("S/RES/814 (1993)") for t in later["tasks"])
    assert _cli(lineage_store, "resolution", "814")["missions"] == ["UNOSOM II"]
    on = _cli(lineage_store, "mandate", "UNOSOM II", "--as-of", "1993-06-01")["in_force"]
    assert on["resolution"] == on["based_on"] == "S/RES/814 (1993)" and on["mandate_end"] == "1993-10-31"
    assert _cli(lineage_store, "mandate", "UNOSOM II", "--as-of", "1993-01-01")["in_force"] is None


@pytest.mark.shared
def test_unosom_mandate_ends_when_814_establishes_unosom_ii(lineage_store):
    """UNOSOM's last renewal does not outlive its successor: from 814's adoption (26 March 1993)
    UNOSOM has no mandate in force and says why, while UNOSOM II's holds."""
    before = _cli(lineage_store, "mandate", "UNOSOM", "--as-of", "1993-01-15")
    assert before["in_force"] is not None and before["in_force"]["resolution"].startswith("S/RES/")
    after = _cli(lineage_store, "mandate", "UNOSOM", "--as-of", "1993-06-01")
    assert after["in_force"] is None
    assert after["ended_by"] == {"date": "1993-03-26", "reason": "successor_established", "successor": "UNOSOM II",
                                 "resolution": "S/RES/814 (1993)"}
    assert _cli(lineage_store, "mandate", "UNOSOM", "--as-of", "1993-03-26")["in_force"] is None
    assert _cli(lineage_store, "mandate", "UNOSOM II", "--as-of", "1993-06-01")["in_force"]["resolution"] \
        == "S/RES/814 (1993)"
    assert _cli(lineage_store, "mandate", "UNOSOM II")["ended_by"] == {
        "date": "1996-01-01", "reason": "mission_closed", "successor": None, "resolution": None}
    assert _cli(lineage_store, "mandate", "UNMISS")["ended_by"] is None      # still running


@pytest.mark.shared
def test_the_api_and_the_mission_page_say_unosom_ended_with_814(lineage_store):
    from webapp import create_app

    client = create_app({"STORE": lineage_store.url, "TESTING": True}).test_client()
    d = client.get("/api/mandate/UNOSOM", query_string={"as_of": "1993-06-01"}).get_json()
    assert d["in_force"] is None and d["ended_by"]["resolution"] == "S/RES/814 (1993)"
    page = client.get("/mission/UNOSOM").get_data(as_text=True)
    assert "Mandate ended 1993-03-26" in page and ">UNOSOM II</a>" in page
    assert "The mission closed in 1995." in client.get("/mission/UNOSOM%20II").get_data(as_text=True)


def test_mandate_on_stops_at_the_end_but_a_later_renewal_holds():
    from kg.mandates import mandate_on

    res = [{"symbol": "A", "adopted": "1992-04-24", "action": "establish", "mandate_until": None,
            "mandate_end": None, "mandate": [{"task": "t"}]},
           {"symbol": "B", "adopted": "1994-01-10", "action": "extend", "mandate_until": None,
            "mandate_end": None, "mandate": [{"task": "t"}]}]
    ended = {"date": "1993-03-26", "reason": "successor_established", "successor": "Y", "resolution": "R"}
    assert mandate_on(res, "1993-03-25", ended)["resolution"] == "A"
    assert mandate_on(res, "1993-03-26", ended) is None
    assert mandate_on(res, "1993-06-01")["resolution"] == "A"          # without an end, A runs on
    assert mandate_on(res, "1994-02-01", ended)["resolution"] == "B"     # renewed after the end: it holds


@pytest.mark.shared
def test_unmiss_renewals_link_in_the_corpus_and_name_the_missing_one(lineage_store):
    d = _cli(lineage_store, "resolution", "2779")
    assert d["previous"]["symbol"] == "S/RES/2778 (2025)" and d["previous"]["in_store"]   # the technical rollover
    rollover = _cli(lineage_store, "resolution", "2778")
    assert rollover["previous"] == {"symbol": "S/RES/2729 (2024)", "in_store": False, "adopted": None,
                                    "same_mission": False}                               # not in the corpus
    assert all("change" in t for t in d["tasks"])
    on = _cli(lineage_store, "mandate", "UNMISS", "--as-of", "2025-06-01")
    assert on["in_force"]["resolution"] == "S/RES/2779 (2025)"
    assert on["in_force"]["mandate_end"] == "2026-04-30"
    assert any(t["task"] == "protection_of_civilians" for t in on["in_force"]["tasks"])
    assert _cli(lineage_store, "mandate", "UNMISS", "--as-of", "2020-01-01")["in_force"] is None


@pytest.mark.shared
def test_clause_history_follows_a_task_across_renewals(lineage_store):
    d = _cli(lineage_store, "mandate", "UNOSOM")
    later = next(t for r in d["resolutions"] for t in r["tasks"] if t["change"] != "new")
    h = _cli(lineage_store, "clause", later["clause_id"], "--history")
    [chain] = [c for c in h["history"] if c["task"] == later["task"]]
    versions = chain["versions"]
    assert len(versions) >= 2 and versions[0]["change"] == "new"
    assert [v["adopted"] for v in versions] == sorted(v["adopted"] for v in versions)
    assert later["clause_id"] in [v["clause_id"] for v in versions]
    assert all(v["diff"] for v in versions[1:] if v["change"] != "kept")


def test_bad_inputs_to_mandate_and_clause(store):
    from click.testing import CliRunner

    from missiongraph.cli import cli

    run = lambda *a: CliRunner().invoke(cli, ["--store", store.url, *a, "--json"])  # noqa: E731
    assert run("clause", "S/RES/1 (1946) OP 1", "--history").exit_code == 1
    r = run("mandate", "UNMISS", "--as-of", "next week")
    assert r.exit_code == 1 and json.loads(r.stderr)["input"] in ("UNMISS", "next week")
