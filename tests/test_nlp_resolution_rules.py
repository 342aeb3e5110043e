"""Resolution task and action rules on small made-up clauses (our own wording, no corpus text)."""

from __future__ import annotations

from nlp.resolution import _successors, clauses
from nlp.structure import parse_paragraphs
from nlp.tasks import clause_tasks, segments


def test_chained_acts_are_split_and_only_addressed_ones_give_tasks():
    body = ("the importance of mine clearance, and requests XMIS to support the electoral commission, "
            "and stresses that human rights matter")
    assert [v for v, _ in segments("underlines", body)] == ["underlines", "requests", "stresses"]
    assert clause_tasks("underlines", body) == []            # "XMIS" is no known mission
    body = "the importance of mine clearance, and requests UNMISS to support the electoral commission"
    assert clause_tasks("underlines", body) == ["elections"]


def test_the_secretary_generals_own_errands_give_no_task():
    assert clause_tasks("requests", "the Secretary-General to report on progress in the peace process") == []
    assert clause_tasks("requests", "the Secretary-General to continue his good offices towards a settlement") == []
    assert clause_tasks("requests", "the Secretary-General to take all necessary measures to deliver relief "
                                    "supplies") == ["humanitarian_assistance_support"]


def test_frames_and_provisos_are_not_tasks():
    assert clause_tasks("decides", "to establish the Operation for six months, subject to the proviso that it "
                                   "continues only if the peace agreement is implemented") == []
    assert clause_tasks("decides", "to establish the Operation in line with the peace agreement, to monitor the "
                                   "cease-fire") == ["ceasefire_monitoring"]


def test_a_mission_asked_to_help_a_sanctions_panel_monitors_the_embargo():
    assert clause_tasks("encourages", "close contacts, and requests UNMISS to assist the Panel of Experts") == [
        "arms_embargo_monitoring"]
    assert clause_tasks("decides", "that the measures imposed by paragraph 2 shall be renewed") == []


def test_old_style_recommends_that_the_force_should():
    assert clause_tasks("recommends", "that the Force should supervise the truce") == ["ceasefire_monitoring"]
    assert clause_tasks("recommends", "the admission of a new Member") == []


def test_unnumbered_operative_paragraph_closes_the_preamble():
    text = ("The Security Council,\n\nHaving considered the report,\n\nDecides:\n\n(a) To renew the mandate "
            "of the Force for six months;\n\n(b) To request a report.\n")
    labels = [(p.label, p.part) for p in parse_paragraphs(text, resolution=True) if p.label]
    assert labels == [("PP1", "preamble"), ("1", "operative"), ("1(a)", "operative"), ("1(b)", "operative")]
    assert [c.verb for c in clauses(text) if c.part == "operative"] == ["decides"] * 3


def test_a_new_mandate_in_the_successor_year_names_the_successor():
    assert _successors(["UNOSOM"], 1993) == (["UNOSOM II"], True)
    assert _successors(["UNOSOM"], 1992) == (["UNOSOM"], False)


def test_the_secretary_general_with_member_states_can_be_authorised_to_use_force():
    body = "the Secretary-General and Member States cooperating with him to use all necessary means"
    assert clause_tasks("authorizes", body) == ["use_of_force_authorization"]
    assert clause_tasks("requests", "the Secretary-General to take all necessary measures to open an office") == []


def _act(text: str) -> str:
    """The action read from an operative part of our own wording (no mission named)."""
    from nlp.resolution import _action

    ops = [c for c in clauses("The Security Council,\n\nNoting the report,\n\n" + text) if c.part == "operative"]
    return _action(ops, [])[0]


def test_what_is_set_up_inside_an_operation_is_no_new_mission():
    assert _act("1. Decides to establish three sectors as part of the United Nations Operation in the region;\n") == "other"
    assert _act("1. Recommends the establishment of the Joint Commission described in the report;\n") == "other"
    # a presence of a mission that exists: a new area for it
    assert _act("1. Authorizes the Secretary-General to establish a presence of the United Nations Protection "
                "Force in the border region;\n") == "modify"
    assert _act("1. Decides to establish a United Nations observer mission for six months;\n") == "establish"


def test_a_described_force_set_up_for_an_initial_period_is_established():
    assert _act("1. Decides that the Force shall be established in accordance with the report for an initial "
                "period of six months;\n") == "establish"
    assert _act("1. Decides that the arrangements for the initial six-month period of the United Nations Observer "
                "Mission shall follow the report;\n") == "establish"


def test_strengthening_or_enlarging_an_existing_mission_is_a_change():
    assert _act("1. Authorizes the strengthening of the Force by the addition of up to forty military "
                "observers;\n") == "modify"
    text = ("1. Decides to enlarge the mandate of the United Nations Observer Mission to include the verification "
            "of the agreements;\n\n2. Also decides that the mandate of the Mission, enlarged in accordance with the "
            "present resolution, will be extended to 30 June 1995;\n")
    assert _act(text) == "extend"


def test_a_mission_described_not_named_is_the_one_serving_there_that_year():
    from nlp.facts import Mention
    from nlp.resolution import _unnamed_mission

    states = [Mention("state:el-salvador", "State", "El Salvador", "El Salvador", 0, 11)]
    assert _unnamed_mission(1992, states, serving=True) == ["ONUSAL"]
    assert _unnamed_mission(1992, states) == []            # none began there that year
    assert _unnamed_mission(1991, states) == ["ONUSAL"]


def test_a_mission_named_only_in_looking_forward_to_a_report_is_not_acted_on():
    from nlp.facts import Mention
    from nlp.resolution import resolution_facts

    text = ("The Security Council,\n\nNoting the agreement,\n\n1. Approves the appointment of an interim "
            "representative;\n\n2. Looks forward to the report on the establishment of ONUMOZ;\n")
    start = text.index("ONUMOZ")
    onumoz = Mention("mission:onumoz", "Mission", "ONUMOZ", "ONUMOZ", start, start + 6)
    facts = resolution_facts(text, "S/RES/1 (1992)", "1992-10-13", [], [onumoz])
    assert facts.missions == [] and facts.action == "other"


def test_parts_whose_numbering_restarts_carry_their_letter():
    text = ("A\n\nThe Security Council,\n\nNoting the report,\n\n1. Urges the parties to stop;\n\n2. Decides to "
            "remain seized;\n\nB\n\nThe Security Council,\n\nNoting the letter,\n\n1. Urges the convening of the "
            "Parliament;\n")
    labels = [p.label for p in parse_paragraphs(text, resolution=True) if p.part == "operative"]
    assert labels == ["A1", "A2", "B1"]
    runs_on = text.replace("1. Urges the convening", "3. Urges the convening")
    assert [p.label for p in parse_paragraphs(runs_on, resolution=True) if p.part == "operative"] == ["1", "2", "3"]


def test_a_citation_that_lost_its_brackets_is_still_a_citation():
    from nlp.symbols import find_resolution_refs

    refs = [r.symbol for r in find_resolution_refs("Recalling its resolution 637 1989 of 27 July 1989 and "
                                                   "resolutions 693 (1991), 714 (1991),")]
    assert refs == ["S/RES/637 (1989)", "S/RES/693 (1991)", "S/RES/714 (1991)"]
    assert [r.symbol for r in find_resolution_refs("resolutions 1267 (1999) and 1989 (2011)")] == [
        "S/RES/1267 (1999)", "S/RES/1989 (2011)"]
    assert find_resolution_refs("resolution 12 3456 of the Assembly") == []


def test_a_scanned_day_in_letters_is_read_only_before_a_month_and_year():
    from nlp.resolution import _undo_ocr_days

    assert _undo_ocr_days("until IS December 1981;") == "until 15 December 1981;"
    assert _undo_ocr_days("until 3O June 1990") == "until 30 June 1990"
    assert _undo_ocr_days("SO May 1990") == "SO May 1990"       # letters only: not a day
    assert _undo_ocr_days("IS December") == "IS December"       # no year: left alone


def test_election_wording_hyphen_wraps_and_the_secretariats_committee_work():
    assert clause_tasks("decides", "to establish a Group to ensure independence through free elections under "
                                   "the supervision of the United Nations") == ["elections"]
    assert clause_tasks("decides", "that the Force shall continue the monitor- ing of the cease-fire") == [
        "ceasefire_monitoring"]
    assert clause_tasks("requests", "the Secretary-General to provide all necessary assistance to the Committee") == []
    assert clause_tasks("requests", "UNMISS to assist the Committee and its Panel") == ["arms_embargo_monitoring"]
