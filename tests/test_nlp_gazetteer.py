"""Gazetteer lookups and the spaCy matcher component on a blank pipeline."""

from __future__ import annotations

import spacy

from nlp import gazetteer
from nlp import pipeline as _components  # noqa: F401  (registers mg_gazetteer and mg_resolution_refs)


def test_lookup_and_former_names():
    assert gazetteer.mission("MONUC").id == "mission:monusco"
    assert gazetteer.mission("UNSOM").name == "UNTMIS"
    assert gazetteer.mission("United Nations interim force for Southern Lebanon").name == "UNIFIL"
    assert gazetteer.mission("unmiss").name == "UNMISS"
    assert gazetteer.mission("South Sudan") is None  # a State, not a mission
    assert gazetteer.mission("NOPE") is None
    assert gazetteer.lookup("DRC").id == "state:democratic-republic-of-the-congo"
    assert gazetteer.lookup("Congolese").type == "State"
    assert gazetteer.lookup("AFC/M23").id == "armedgroup:m23"
    assert gazetteer.lookup("Allied Democratic Forces").id == "armedgroup:adf"
    assert gazetteer.lookup("Security Council").id == "unbody:security-council"
    assert gazetteer.lookup("") is None


def test_successor_is_the_next_numbered_mission_not_a_rename():
    assert gazetteer.successor("UNOSOM").name == "UNOSOM II"
    assert gazetteer.successor("UNOSOM I").name == "UNOSOM II"
    assert gazetteer.successor("UNAVEM II").name == "UNAVEM III"
    assert gazetteer.successor("UNOSOM II") is None
    assert gazetteer.successor("MONUC") is None          # renamed MONUSCO: the same mission
    assert gazetteer.successor("UNEF") is None           # "UNEF II" is an alias of the one entry
    assert gazetteer.successor("NOPE") is None


def test_missions_cover_csv():
    names = {m.name for m in gazetteer.missions()} | {f for m in gazetteer.missions() for f in m.former}
    for acr in ["UNSMIL", "UNMIK", "UNISFA", "UNDOF", "UNIFIL", "UNFICYP", "UNTSO", "UNMOGIP", "MINURSO", "UNMISS",
                "MINUSCA", "MINUSMA", "MONUSCO", "UNSOM", "UNTMIS", "UNAMA", "UNAMI", "BINUH", "UNITAMS",
                "UNOSOM", "UNOSOM II", "UNAMSIL"]:
        assert acr in names, acr


def test_matcher_component_on_blank():
    nlp = spacy.blank("en")
    nlp.add_pipe("mg_gazetteer")
    doc = nlp("The UNMISS base near the Democratic Republic of the Congo border; South Sudanese and "
              "Al-Shabaab forces. Unmiss is not an acronym match.")
    got = [(s.text, s.kb_id_, s.label_) for s in doc.spans["gazetteer"]]
    assert ("UNMISS", "mission:unmiss", "Mission") in got
    assert ("Democratic Republic of the Congo", "state:democratic-republic-of-the-congo", "State") in got
    assert ("South Sudanese", "state:south-sudan", "State") in got  # longest match wins over "Sudanese"
    assert ("Al-Shabaab", "armedgroup:al-shabaab", "ArmedGroup") in got
    assert not any(t == "Unmiss" for t, _, _ in got)


def test_refs_component_on_blank():
    nlp = spacy.blank("en")
    nlp.add_pipe("mg_resolution_refs")
    doc = nlp("Recalling resolution 1701 (2006).")
    assert [r.symbol for r in doc._.resolution_refs] == ["S/RES/1701 (2006)"]
