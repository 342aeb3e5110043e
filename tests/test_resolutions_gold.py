"""Self-consistency of the hand-labelled resolution gold sets.

The gold files are what the parser is scored against, so a typo in them (an unknown task id, a
symbol that does not match its file, a cite of the resolution itself) would silently skew
every score. These checks catch such slips; they do not evaluate the parser.

Six files share one shape and one set of conventions (`resolutions_gold.md`, with additions in
`resolutions_blind.md`, `resolutions_blind2.md` and `resolutions_blind3.md`): `resolutions_gold.json`, the set the parser was tuned against,
`resolutions_heldout.json` and `resolutions_test.json`, labelled later, and `resolutions_final.json`
and `resolutions_blind.json`, each labelled before the parser ran on it and scored once (their errors
since generalised from), `resolutions_blind2.json` (the same), and `resolutions_blind3.json`, labelled
last and scored once, not yet tuned on; no two share a resolution.  `resolutions_blind2_second.json` and
`resolutions_blind3_second.json` are a second annotator's labels of the blind2 and blind3 texts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from nlp.facts import TASKS

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "resolutions_gold.json"
HELDOUT = ROOT / "tests" / "data" / "resolutions_heldout.json"
TEST = ROOT / "tests" / "data" / "resolutions_test.json"
FINAL = ROOT / "tests" / "data" / "resolutions_final.json"
BLIND = ROOT / "tests" / "data" / "resolutions_blind.json"
BLIND2 = ROOT / "tests" / "data" / "resolutions_blind2.json"
BLIND3 = ROOT / "tests" / "data" / "resolutions_blind3.json"
GOLD_FILES = {"gold": GOLD, "heldout": HELDOUT, "test": TEST, "final": FINAL, "blind": BLIND, "blind2": BLIND2,
              "blind3": BLIND3, "silver-dev": ROOT / "tests" / "data" / "resolutions_silver_dev.json",
              "silver-test": ROOT / "tests" / "data" / "resolutions_silver_test.json"}
# A second annotator's labels of the same texts, to measure how far two readers agree.
SECOND_FILES = {"blind2": ROOT / "tests" / "data" / "resolutions_blind2_second.json",
                "blind3": ROOT / "tests" / "data" / "resolutions_blind3_second.json"}
MISSIONS = ROOT / "nlp" / "data" / "missions.json"

CORPORA = ("unsc-resolutions-1946-1994", "unsc-2025")
ACTIONS = ("establish", "extend", "modify", "other")
KEYS = {"symbol", "corpus", "file", "missions", "action", "chapter_vii", "mandate_until", "cites", "tasks"}
SYMBOL_RE = re.compile(r"^S/RES/([1-9]\d*) \((\d{4})\)$")
# "3", "3(a)", "3(a)(i)", and "A1" for texts split into lettered parts with restarting numbers.
PARAGRAPH_RE = re.compile(r"^[A-Z]?[1-9]\d*(\([a-z]+\))*$")


def _load(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def _acronyms() -> set[str]:
    return {m["acronym"] for m in json.loads(MISSIONS.read_text(encoding="utf-8"))}


def _expected_file(corpus: str, number: int, year: int) -> str:
    """File naming differs by corpus; the symbol fixes it exactly."""
    if corpus == "unsc-2025":
        return f"text/resolutions/S_RES_{number}.txt"
    return f"S_RES_{number:04d}_{year}_EN_GOLD.txt"


SETS = {name: _load(path) for name, path in GOLD_FILES.items()}
SETS.update({f"{name}-second": _load(path) for name, path in SECOND_FILES.items()})
GOLD_ENTRIES = SETS["gold"]
HELDOUT_ENTRIES = SETS["heldout"]
TEST_ENTRIES = SETS["test"]
FINAL_ENTRIES = SETS["final"]
BLIND_ENTRIES = SETS["blind"]
# Every entry of every file, tagged with its file so a failure names where to look.
ALL_ENTRIES = [e for entries in SETS.values() for e in entries]
ALL_IDS = [f"{name}:{e.get('symbol', '?') if isinstance(e, dict) else '?'}" for name, entries in SETS.items() for e in entries]


@pytest.mark.parametrize("name", list(SETS))
def test_gold_is_a_list_of_objects_with_known_keys(name):
    entries = SETS[name]
    assert isinstance(entries, list)
    for e in entries:
        assert isinstance(e, dict)
        assert KEYS <= set(e), f"{e.get('symbol')}: missing {KEYS - set(e)}"
        assert set(e) <= KEYS | {"notes"}, f"{e.get('symbol')}: unknown keys {set(e) - KEYS - {'notes'}}"


def test_size_and_corpus_balance():
    assert len(GOLD_ENTRIES) >= 40
    for corpus in CORPORA:
        assert sum(e["corpus"] == corpus for e in GOLD_ENTRIES) >= 15, corpus
    assert {e["corpus"] for e in GOLD_ENTRIES} <= set(CORPORA)


def test_heldout_size_and_mix():
    # All 2025 texts are in the first set, so the held-out one draws on 1946-1994 only:
    # mostly peacekeeping acts, plus a few resolutions about no mission.
    assert len(HELDOUT_ENTRIES) >= 24
    assert {e["corpus"] for e in HELDOUT_ENTRIES} <= set(CORPORA)
    assert sum(bool(e["missions"]) for e in HELDOUT_ENTRIES) >= 20
    assert sum(not e["missions"] for e in HELDOUT_ENTRIES) >= 3


@pytest.mark.parametrize("name", list(SETS))
def test_symbols_unique(name):
    symbols = [e["symbol"] for e in SETS[name]]
    assert len(symbols) == len(set(symbols))


def test_test_set_size_and_mix():
    # Labelled last, before the parser was run on it: creations, renewals and changes of
    # missions, plus a few texts that act on none.
    assert len(TEST_ENTRIES) >= 25
    assert sum(bool(e["missions"]) for e in TEST_ENTRIES) >= 18
    assert sum(not e["missions"] for e in TEST_ENTRIES) >= 3
    assert {"establish", "extend", "modify", "other"} <= {e["action"] for e in TEST_ENTRIES}


def test_final_set_size_and_mix():
    # Labelled before the parser ever ran on it: creations, renewals and changes with task lists.
    assert len(FINAL_ENTRIES) >= 25
    assert sum(len(e["tasks"]) for e in FINAL_ENTRIES) >= 30
    assert {"establish", "extend", "modify", "other"} <= {e["action"] for e in FINAL_ENTRIES}


def test_second_blind_set_size_and_mix():
    # Labelled last (resolutions_blind2.md); no mission creation was left unlabelled in the corpus
    entries = SETS["blind2"]
    assert len(entries) >= 30
    assert sum(bool(e["missions"]) for e in entries) >= 20 and sum(not e["missions"] for e in entries) >= 5
    assert sum(len(e["tasks"]) for e in entries) >= 15
    assert {"extend", "modify", "other"} <= {e["action"] for e in entries}


def test_third_blind_set_size_and_mix():
    # Labelled last (resolutions_blind3.md): the texts left were mostly renewals, so few tasks
    entries = SETS["blind3"]
    assert len(entries) >= 30
    assert sum(bool(e["missions"]) for e in entries) >= 20 and sum(not e["missions"] for e in entries) >= 5
    assert sum(len(e["tasks"]) for e in entries) >= 5
    assert {"extend", "modify", "other"} <= {e["action"] for e in entries}


@pytest.mark.parametrize("name", list(SECOND_FILES))
def test_a_second_annotation_covers_the_same_texts_in_order(name):
    assert [e["file"] for e in SETS[f"{name}-second"]] == [e["file"] for e in SETS[name]]


def test_silver_sets_cover_the_rest_of_the_corpus_split_by_symbol_hash():
    import hashlib

    for name, parity in (("silver-dev", 0), ("silver-test", 1)):
        entries = SETS[name]
        assert len(entries) >= 250, name
        assert {int(hashlib.sha1(e["symbol"].encode()).hexdigest(), 16) % 2 for e in entries} == {parity}, name
        assert sum(e["action"] == "extend" for e in entries) >= 30, name


def test_blind_set_size_and_mix():
    # Labelled before the parser ran on it (resolutions_blind.md): mostly acts on missions, every
    # kind of act, and a few texts about no mission.
    assert len(BLIND_ENTRIES) >= 30
    assert {e["corpus"] for e in BLIND_ENTRIES} == {"unsc-resolutions-1946-1994"}
    assert sum(bool(e["missions"]) for e in BLIND_ENTRIES) >= 20
    assert sum(not e["missions"] for e in BLIND_ENTRIES) >= 5
    assert sum(len(e["tasks"]) for e in BLIND_ENTRIES) >= 15
    assert {"establish", "extend", "modify", "other"} <= {e["action"] for e in BLIND_ENTRIES}


@pytest.mark.parametrize("a,b", [(a, b) for i, a in enumerate(GOLD_FILES) for b in list(GOLD_FILES)[i + 1:]])
def test_sets_share_no_resolution(a, b):
    shared = {e["symbol"] for e in SETS[a]} & {e["symbol"] for e in SETS[b]}
    assert not shared, sorted(shared)
    files = {(e["corpus"], e["file"]) for e in SETS[a]} & {(e["corpus"], e["file"]) for e in SETS[b]}
    assert not files, sorted(files)


@pytest.mark.parametrize("e", ALL_ENTRIES, ids=ALL_IDS)
def test_symbol_is_normalised_and_matches_file(e):
    m = SYMBOL_RE.match(e["symbol"])
    assert m, e["symbol"]
    number, year = int(m.group(1)), int(m.group(2))
    assert e["file"] == _expected_file(e["corpus"], number, year)
    if e["corpus"] == "unsc-2025":
        assert year == 2025
    else:
        assert 1946 <= year <= 2002  # the 1946-1994 folder also holds two 2002 texts


@pytest.mark.parametrize("e", ALL_ENTRIES, ids=ALL_IDS)
def test_labels_use_the_controlled_vocabularies(e):
    acronyms = _acronyms()
    assert e["action"] in ACTIONS
    assert isinstance(e["chapter_vii"], bool)
    assert len(e["missions"]) == len(set(e["missions"]))
    for mission in e["missions"]:
        assert mission in acronyms, mission
    # An act on a mission needs a mission; a mandate date needs one too.
    if e["action"] != "other":
        assert e["missions"], "establish/extend/modify without a mission"
    if e["mandate_until"] is not None:
        assert e["missions"]
        assert dt.date.fromisoformat(e["mandate_until"]).isoformat() == e["mandate_until"]


@pytest.mark.parametrize("e", ALL_ENTRIES, ids=ALL_IDS)
def test_tasks_are_known_and_distinct(e):
    pairs = []
    for t in e["tasks"]:
        assert set(t) == {"task", "paragraph"}, t
        assert t["task"] in TASKS, t["task"]
        assert PARAGRAPH_RE.match(t["paragraph"]), t["paragraph"]
        pairs.append((t["task"], t["paragraph"]))
    assert len(pairs) == len(set(pairs))


@pytest.mark.parametrize("e", ALL_ENTRIES, ids=ALL_IDS)
def test_cites_are_normalised_distinct_and_not_self(e):
    assert len(e["cites"]) == len(set(e["cites"]))
    assert e["symbol"] not in e["cites"]
    for c in e["cites"]:
        assert SYMBOL_RE.match(c), c


@pytest.mark.parametrize("e", ALL_ENTRIES, ids=ALL_IDS)
def test_files_exist_and_mention_what_was_labelled(e, shared_dir):
    path = shared_dir / "corpus" / e["corpus"] / e["file"]
    assert path.is_file(), path
    text = re.sub(r"\s+", " ", path.read_text(encoding="utf-8", errors="replace"))
    number, year = SYMBOL_RE.match(e["symbol"]).groups()
    # its own symbol, or at least its number in the heading where scanning garbled the year ("434 (1973)")
    assert re.search(rf"\b{number} ?\({year}\)", text) or re.search(rf"\b{number}\b", text[:80]), \
        "text does not carry its own symbol"
    for c in e["cites"]:  # the number must occur, even where the text omits the year
        assert re.search(rf"\b{SYMBOL_RE.match(c).group(1)}\b", text), c


def test_2025_symbols_are_in_the_corpus_index(shared_dir):
    index = json.loads((shared_dir / "corpus" / "unsc-2025" / "index.json").read_text(encoding="utf-8"))
    known = {d["symbol"] for d in index["documents"]}
    for e in ALL_ENTRIES:
        if e["corpus"] == "unsc-2025":
            assert e["symbol"] in known, e["symbol"]
