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
    # set up "as part of" an operation that exists: a change to that operation, not a new one
    assert _act("1. Decides to establish three sectors as part of the United Nations Operation in the region;\n") == "modify"
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


# --- older wording (1946-1994): our own short sentences, written to the rules, not taken from texts ---


def test_continuing_a_mission_until_a_date_is_an_extension_without_one_a_change():
    assert _act("1. Approves the continuation of the mandate of the Mission until 31 March 1994;\n") == "extend"
    assert _act("1. Approves the continued presence of the United Nations Observer Mission until 30 June "
                "1993;\n") == "extend"
    assert _act("1. Requests the Secretary-General to arrange for the continued service of the observers of the "
                "Truce Supervision Organization;\n") == "modify"


def test_a_change_made_in_a_later_act_of_the_clause_is_read():
    assert _act("1. Requests the Secretary-General to take steps to watch the situation and to that end, "
                "authorizes the strengthening of the United Nations Protection Force by ten observers;\n") == "modify"
    assert _act("1. Requests the Secretary-General to increase the presence of the Force in the town;\n") == "modify"
    # his errands change nothing: a report proposing a bigger force is not a bigger force
    assert _act("1. Requests the Secretary-General to include in his report proposals to increase the strength of "
                "the Force;\n") == "other"
    assert _act("1. Declares its readiness to consider an increase in the strength of the Force;\n") == "other"


def test_new_duties_and_areas_are_changes():
    assert _act("1. Authorizes the Force to assume responsibility for monitoring the withdrawal;\n") == "modify"
    assert _act("1. Approves the recommendation of the Secretary-General that the Mission should chair the joint "
                "commission;\n") == "modify"
    assert _act("1. Declares that the entry of the United Nations Force into the northern province is "
                "necessary;\n") == "modify"


def test_a_scanned_year_with_a_letter_for_its_first_digit():
    assert _undo_ocr("extended until 30 November i993 and") == "extended until 30 November 1993 and"
    assert _undo_ocr("until lS May l990") == "until 15 May 1990"
    assert _undo_ocr("item i993 of the list") == "item i993 of the list"    # no month before it


def _undo_ocr(text: str) -> str:
    from nlp.mandate_action import undo_ocr_dates

    return undo_ocr_dates(text)


def test_chapter_vii_in_its_older_forms():
    from nlp.mandate_action import CHAPTER_VII

    assert CHAPTER_VII.search("Acting therefore under Chapter VII of the Charter,")
    assert CHAPTER_VII.search("Acting under Chapters VII and VIII of the Charter,")
    assert CHAPTER_VII.search("2. Orders the parties, pursuant to Article 40 of the Charter, to stop firing;")
    assert CHAPTER_VII.search("Acting in accordance with Articles 39 and 41 of the Charter,")
    assert not CHAPTER_VII.search("the matter will be reconsidered with a view to action under Chapter VII;")
    assert not CHAPTER_VII.search("Calls upon all States, in accordance with Articles 25 and 49 of the Charter,")


def test_a_mission_as_the_agent_of_a_passive_is_given_the_task():
    text = ("The Security Council,\n\nNoting the report,\n\n1. Declares that in the region the following should "
            "hold:\n\n(a) The withdrawal of all armed units to their bases, to be monitored by United Nations military "
            "observers;\n\n(b) Free access for aid agencies;\n")
    tasks = {c.paragraph: c.tasks for c in clauses(text) if c.part == "operative"}
    assert tasks == {"1": [], "1(a)": ["ceasefire_monitoring"], "1(b)": []}


def test_the_secretary_generals_errands_are_told_apart_infinitive_by_infinitive():
    body = ("the Secretary-General to consider what the delays mean for the vote and, in response, to take all "
            "appropriate steps to secure the electoral process")
    assert clause_tasks("requests", body) == ["elections"]
    assert clause_tasks("requests", "the Secretary-General to investigate and report upon the disarmament of the "
                                    "factions") == []
    assert clause_tasks("invites", "the Secretary-General to seek to organize a meeting of the leaders with a view "
                                   "to the implementation of the peace agreement") == []
    # paired with an agency he acts for the whole system, not through the mission
    assert clause_tasks("urges", "the Secretary-General and the High Commissioner for Refugees to expand the "
                                 "humanitarian operations") == []


def test_force_is_the_secretary_generals_only_when_he_commands_one():
    assert clause_tasks("authorizes", "the Secretary-General to take vigorous action, including the use of the "
                                      "requisite measure of force, to detain the foreign fighters") == [
        "use_of_force_authorization"]
    assert clause_tasks("requests", "the Secretary-General to take the necessary measures so that the Force may "
                                    "complete its mandate") == []


def test_states_are_given_tasks_only_as_a_force():
    assert clause_tasks("requests", "all States to refrain from the supply of arms to the parties") == []
    assert clause_tasks("authorizes", "Member States to use all necessary means to secure the delivery of "
                                      "humanitarian relief") == ["humanitarian_assistance_support",
                                                                 "use_of_force_authorization"]


def test_an_act_that_points_back_takes_the_subject_before_it():
    body = ("the need for elections to be held in calm conditions, encourages the Mission to help "
            "bring about such a climate")
    assert clause_tasks("stresses", body) == ["elections"]
    # pointing back never brings in force
    body = "to widen the electoral support of the Mission, and requests the Secretary-General to take the " \
           "necessary measures to this effect"
    assert clause_tasks("decides", body) == ["elections"]


def test_restated_authority_is_a_task_but_the_councils_own_decision_is_not():
    assert clause_tasks("reaffirms", "that the Secretary-General is authorized to take all necessary measures "
                                     "against those responsible, including their arrest for prosecution") == [
        "rule_of_law", "use_of_force_authorization"]
    assert clause_tasks("reaffirms", "its decision on the use of air power to support UNPROFOR") == [
        "use_of_force_authorization"]
    assert clause_tasks("reaffirms", "its decision to guarantee the boundary and to take all necessary measures "
                                     "to that end") == []


def test_approving_a_view_is_by_reference_unless_it_spells_out_the_missions_part():
    assert clause_tasks("endorses", "the view of the Secretary-General that the elections should end the "
                                    "peace process") == []
    assert clause_tasks("approves", "the recommendation that the Mission should chair the commission for the "
                                    "formation of the new Defence Force") == ["ssr"]


def test_when_and_unless_are_frames_not_tasks():
    assert clause_tasks("decides", "to set up the Mission immediately after the signing of the agreements for a "
                                   "political settlement") == []
    assert clause_tasks("decides", "that the Mission will end on that date unless the Secretary-General reports "
                                   "progress in the peace process") == []


def test_older_names_for_a_mission_as_addressee():
    assert clause_tasks("calls on", "the Authority to keep a neutral climate for free and fair elections") == [
        "elections"]
    assert clause_tasks("calls on", "the authority of each province to hold free and fair elections") == []
    assert clause_tasks("requests", "the United Nations programmes to prepare free and fair elections") == []


def test_older_duty_vocabulary():
    assert clause_tasks("decides", "that the Group shall go on demobilizing the members of the resistance") == ["ddr"]
    assert clause_tasks("requests", "UNPROFOR to monitor the humanitarian situation in the town") == [
        "humanitarian_assistance_support"]
    assert clause_tasks("authorizes", "the Force to monitor the demilitarization of the peninsula") == [
        "border_or_buffer_zone"]
    assert clause_tasks("authorizes", "the Mission to help with arrangements for cease-fires") == [
        "ceasefire_monitoring"]


def test_force_put_in_the_secretary_generals_hands_is_the_serving_force():
    from nlp.facts import Mention
    from nlp.resolution import resolution_facts

    text = ("The Security Council,\n\nNoting the report,\n\n1. Authorizes the Secretary-General to take vigorous "
            "action, including the use of force, to remove the foreign fighters from the Congo;\n")
    start = text.index("Congo")
    congo = Mention("state:cd", "State", "Democratic Republic of the Congo", "Congo", start, start + 5)
    facts = resolution_facts(text, "S/RES/1 (1961)", "1961-11-24", [], [congo])
    assert facts.missions == ["ONUC"] and facts.action == "modify"
    assert [t.task for t in facts.tasks] == ["use_of_force_authorization"]
    # his diplomacy there uses no force: no mission is read into it, and nothing is set up
    quiet = text.replace("take vigorous action, including the use of force, to remove", "talk to")
    facts = resolution_facts(quiet, "S/RES/1 (1961)", "1961-11-24", [], [congo])
    assert facts.missions == [] and facts.action == "other"


def _facts(ops: str, year: int, mentions: list[tuple[str, str, str]] = (), preamble: str = "Noting the report,"):
    """Resolution facts for an operative part of our own wording; ``mentions``: (type, name, surface)."""
    from nlp.facts import Mention
    from nlp.resolution import resolution_facts

    text = f"The Security Council,\n\n{preamble}\n\n" + ops
    ms = [Mention(f"{kind.lower()}:{name}", kind, name, surface, text.index(surface), text.index(surface) + len(surface))
          for kind, name, surface in mentions]
    return resolution_facts(text, f"S/RES/1 ({year})", f"{year}-06-01", [], ms)


def test_end_dates_in_terminations_expiries_and_withdrawals():
    f = _facts("1. Decides to terminate the mandate of ONUCA with effect from 3 March 1992;\n", 1992,
               [("Mission", "ONUCA", "ONUCA")])
    assert (f.action, f.mandate_until) == ("modify", "1992-03-03")
    f = _facts("1. Decides to renew the mandate of ONUCA for a further period expiring on 30 April 1992;\n", 1992,
               [("Mission", "ONUCA", "ONUCA")])
    assert (f.action, f.mandate_until) == ("extend", "1992-04-30")
    f = _facts("1. Decides that the withdrawal of the military component of UNTAC shall end on 1 May 1993;\n", 1993,
               [("Mission", "UNTAC", "UNTAC")])
    assert (f.action, f.mandate_until) == ("modify", "1993-05-01")
    # in an extension the same words date its start, not its end
    f = _facts("1. Decides to extend the mandate of ONUCA for six months with effect from 3 March 1992;\n", 1992,
               [("Mission", "ONUCA", "ONUCA")])
    assert (f.action, f.mandate_until) == ("extend", None)


def test_extended_tasks_and_terms_of_reference():
    f = _facts("1. Decides that the tasks of ONUCA of monitoring the cease-fire shall be extended, to lapse not later "
               "than 1 June 1990;\n", 1990, [("Mission", "ONUCA", "ONUCA")])
    assert (f.action, f.mandate_until) == ("extend", None)
    f = _facts("1. Decides to extend the terms of reference of UNIKOM to include the tasks in the report;\n", 1993,
               [("Mission", "UNIKOM", "UNIKOM")])
    assert f.action == "modify"


def test_people_sent_to_a_country_are_the_mission_that_began_there_that_year():
    f = _facts("1. Invites the Secretary-General to send a representative to the Dominican Republic to report;\n", 1965,
               [("State", "Dominican Republic", "Dominican Republic")])
    assert (f.missions, f.action) == (["DOMREP"], "establish")
    f = _facts("1. Invites the Secretary-General to write to the Dominican Republic;\n", 1965,
               [("State", "Dominican Republic", "Dominican Republic")])
    assert (f.missions, f.action) == ([], "other")


def test_a_proposed_mission_and_the_councils_own_notes_and_support_act_on_none():
    f = _facts("1. Approves the dispatch of an advance team of observers to Liberia, pending the proposed establishment "
               "of a United Nations Observer Mission in Liberia (UNOMIL);\n", 1993,
               [("State", "Liberia", "Liberia"), ("Mission", "UNOMIL", "UNOMIL")])
    assert (f.missions, f.action, f.tasks) == ([], "other", [])
    f = _facts("1. Decides to extend the mandate of UNIFIL for two months, until 1 May 1982;\n\n2. Supports the "
               "efforts to make good use of UNTSO observers;\n\n3. Notes that UNTSO works alongside;\n", 1982,
               [("Mission", "UNIFIL", "UNIFIL"), ("Mission", "UNTSO", "UNTSO observers"),
                ("Mission", "UNTSO", "UNTSO works")])
    assert f.missions == ["UNIFIL"]


def test_heads_of_missions_and_the_secretary_general_errands_and_duties():
    assert clause_tasks("requests", "the Chief of Staff to go on observing the cease-fire") == ["ceasefire_monitoring"]
    assert clause_tasks("requests", "the Chief of Staff to report on the observance of the cease-fire") == []
    assert clause_tasks("requests", "the Secretary-General, in his efforts there, to promote a cessation of "
                                    "hostilities") == []
    assert clause_tasks("decides", "to conduct a full reassessment of the Force in the light of the political "
                                   "settlement") == []
    assert clause_tasks("confirms", "its agreement to the arrangements for sending officers to assist in the "
                                    "good offices mission") == ["political_process_support"]
    assert clause_tasks("confirms", "the report") == []


def test_duty_vocabulary_from_the_blind_set():
    assert clause_tasks("authorizes", "the Force to keep carrying out its tasks in the humanitarian and "
                                      "administrative fields") == ["humanitarian_assistance_support"]
    assert clause_tasks("requests", "UNPROFOR to allow humanitarian flights") == ["humanitarian_assistance_support"]
    assert clause_tasks("requests", "the Secretary-General to ensure that the police, courts and prisons programme goes on") \
        == ["ssr", "rule_of_law"]
    assert clause_tasks("urges", "the Secretary-General to help the people in rebuilding their political "
                                 "institutions") == ["state_authority_extension"]
    # a frame ends where the duty it frames begins
    assert clause_tasks("calls on", "the Authority to work in accordance with resolution 9 to ensure free and fair "
                                    "elections") == ["elections"]
    # an act pointing back ("implement them") takes its subject from the act before it
    assert clause_tasks("approves", "the recommendations on the re-establishment of the national police and "
                                    "requests the Secretary-General to implement them") == ["ssr"]


def test_member_states_called_on_to_enforce_under_chapter_vii_are_a_force_not_a_mission():
    from nlp.facts import Mention
    from nlp.resolution import resolution_facts

    text = ("The Security Council,\n\nNoting the report,\n\nActing under Chapter VII of the Charter,\n\n1. Calls upon "
            "Member States to use such measures suited to the case as may be necessary to ensure the provisions "
            "relating to the supply of fuel and arms to Haiti are kept, and to stop ships to inspect them;\n")
    start = text.index("Haiti")
    # UNMIH served in Haiti that year: force given to States is still not read as that mission's
    haiti = Mention("state:ht", "State", "Haiti", "Haiti", start, start + 5)
    facts = resolution_facts(text, "S/RES/1 (1993)", "1993-10-16", [], [haiti])
    assert facts.missions == [] and facts.action == "other"
    assert sorted(t.task for t in facts.tasks) == ["arms_embargo_monitoring", "use_of_force_authorization"]
    # without Chapter VII, a call on States gives no one a task
    facts = resolution_facts(text.replace("Acting under Chapter VII of the Charter,\n\n", ""), "S/RES/1 (1993)",
                             "1993-10-16", [], [haiti])
    assert facts.tasks == []


def test_a_mission_the_parties_are_asked_to_respect_is_not_acted_on():
    ops = ("1. Decides to renew the mandate of UNIFIL for six months, until 19 December 1990;\n"
           "2. Calls upon the parties to ensure full respect for the freedom of movement of UNTSO;\n")
    facts = _facts(ops, 1990, [("Mission", "UNIFIL", "UNIFIL"), ("Mission", "UNTSO", "UNTSO")])
    assert facts.missions == ["UNIFIL"] and facts.action == "extend" and facts.mandate_until == "1990-12-19"
    # asked of the mission itself, the same verb acts on it
    facts = _facts("1. Calls upon UNTSO to monitor the cease-fire;\n", 1990, [("Mission", "UNTSO", "UNTSO")])
    assert facts.missions == ["UNTSO"] and [t.task for t in facts.tasks] == ["ceasefire_monitoring"]


def test_the_force_is_the_named_mission_that_is_a_force():
    ops = ("1. Calls upon the parties to cooperate with the United Nations Interim Force in Lebanon;\n"
           "2. Urges the parties to respect the United Nations Truce Supervision Organization;\n"
           "3. Decides to renew the mandate of the Force for a period of six months;\n")
    facts = _facts(ops, 1990, [("Mission", "UNIFIL", "United Nations Interim Force in Lebanon"),
                         ("Mission", "UNTSO", "United Nations Truce Supervision Organization")])
    assert facts.missions == ["UNIFIL"] and facts.action == "extend"


def test_an_act_held_in_prospect_acts_on_no_mission():
    ops = ("1. Decides that the measures imposed by resolution 5 (1990) shall be suspended;\n"
           "2. Confirms its readiness to consider further measures if the parties impede the Mission;\n")
    assert _facts(ops, 1993, [("Mission", "UNMIH", "UNMIH")], preamble="Recalling the work of UNMIH,").missions == []


def test_a_condition_is_no_act_and_a_ban_is_no_mission():
    ops = ("1. Decides to lift the measures unless the Secretary-General reports that the parties have not "
           "established the arrangements that let the United Nations Mission work;\n")
    assert _facts(ops, 1993, [("Mission", "UNMIH", "United Nations Mission")]).action != "establish"
    ops = ("1. Decides to establish a ban on military flights over the country, this ban not to apply to flights "
           "of the United Nations Protection Force, including humanitarian assistance;\n"
           "2. Requests the United Nations Protection Force to monitor compliance with the ban;\n")
    facts = _facts(ops, 1992, [("Mission", "UNPROFOR", "United Nations Protection Force")])
    assert facts.action == "modify" and facts.tasks == []   # the exemption names no task


def test_older_wording_for_renewals_and_changes():
    ops = "1. Extends the period in which the United Nations Peace-keeping Force shall be stationed in the island " \
          "for another three months, ending 26 December 1990;\n"
    facts = _facts(ops, 1990, [("Mission", "UNFICYP", "United Nations Peace-keeping Force")])
    assert (facts.action, facts.mandate_until) == ("extend", "1990-12-26")
    ops = "1. Confirms its agreement to the arrangements for the mission of good offices for a further period of two months;\n"
    facts = _facts(ops, 1990, [("State", "Afghanistan", "Afghanistan"), ("State", "Pakistan", "Pakistan")],
                   preamble="Noting the situation in Afghanistan and Pakistan,")
    assert facts.missions == ["UNGOMAP"] and facts.action == "extend"   # not UNMOGIP, also serving in Pakistan
    ops = "1. Endorses the measures for the strengthening of the Truce Supervision Organization in its tasks of " \
          "detecting and deterring incidents;\n"
    facts = _facts(ops, 1962, [("Mission", "UNTSO", "Truce Supervision Organization")])
    assert facts.action == "modify" and [t.task for t in facts.tasks] == ["ceasefire_monitoring"]
    ops = "1. Approves the recommendation that the strength of the Force be increased;\n"
    assert _facts(ops, 1992, [("Mission", "UNPROFOR", "UNPROFOR")], preamble="Recalling UNPROFOR,").action == "modify"


def test_a_mission_leaving_in_stages_ends_with_its_last_elements():
    ops = ("1. Decides to extend the period of withdrawal of the engineering unit of the Authority until 30 November 1993;\n"
           "2. Decides that the remaining medical elements of the Authority will be withdrawn by 31 December 1993;\n")
    facts = _facts(ops, 1993, [("Mission", "UNTAC", "Authority")])
    assert facts.action == "modify" and facts.mandate_until == "1993-12-31"


def test_new_task_wordings():
    assert clause_tasks("authorizes", "the Force to assist the Government in ensuring the security of all the "
                                      "inhabitants of the area") == ["protection_of_civilians"]
    assert clause_tasks("calls upon", "MONUC to give attention to the protection and reintegration of children") == [
        "sexual_violence_and_children"]
    assert clause_tasks("encourages", "MONUC to continue its assessment of police capabilities") == ["ssr"]
    assert clause_tasks("decides", "that the mandate of the Force should be extended in order to assist efforts "
                                   "for a just and lasting peace") == ["political_process_support"]
    # where a force is sent is not a duty; a Special Representative who heads a mission acts for it
    assert clause_tasks("requests", "the Secretary-General to arrange a deployment of the Force to the southern "
                                    "border") == []
    assert clause_tasks("calls on", "all States to increase humanitarian relief, and encourages the Special "
                                    "Representative to continue to coordinate such assistance") == [
        "humanitarian_assistance_support"]
    # "all measures necessary" is force, and stopping ships to search cargo polices an embargo
    assert clause_tasks("calls upon", "States to use such measures as may be necessary to halt shipping in order to "
                                      "inspect and verify their cargoes", chapter_vii=True) == [
        "use_of_force_authorization", "arms_embargo_monitoring"]
    assert "use_of_force_authorization" in clause_tasks("calls upon", "States to take all measures necessary to "
                                                                      "deliver relief", chapter_vii=True)
    # "accord" the verb is no peace accord
    assert clause_tasks("encourages", "the Special Representative to accord or increase humanitarian relief "
                                      "in implementation of the plan") == ["humanitarian_assistance_support"]


def test_a_list_whose_comma_was_lost_in_scanning_still_cites_every_resolution():
    from nlp.symbols import find_resolution_refs

    refs = find_resolution_refs("Recalling its resolutions 444 (1979), 450 (1979) 459 (1979) and 474 (1980),")
    assert [r.symbol for r in refs] == ["S/RES/444 (1979)", "S/RES/450 (1979)", "S/RES/459 (1979)", "S/RES/474 (1980)"]


def test_blind3_generalisations():
    from nlp.symbols import find_resolution_refs

    # a list whose comma was scanned as a full stop
    refs = find_resolution_refs("Recalling its resolutions 362 (1974) of 23 October 1974. 368 (1975) of 17 April,")
    assert [r.symbol for r in refs] == ["S/RES/362 (1974)", "S/RES/368 (1975)"]
    # a head of mission's own reporting is his errand; what he is told to do on the ground is the mission's
    assert clause_tasks("requests", "the Chief of Staff mentioned above to report on the armistice lines") == []
    assert clause_tasks("authorizes", "the Chief of Staff to recommend steps to control crossings of the "
                                      "armistice lines") == ["border_or_buffer_zone"]
    # a reaffirmed authority of States to use force is still a force authorisation
    ops = ("1. Reaffirms the authority of States acting under resolution 5 (1992) to use such measures as may be "
           "necessary to enforce the present resolution;\n")
    facts = _facts(ops, 1993, preamble="Acting under Chapter VII of the Charter,")
    assert facts.missions == [] and [t.task for t in facts.tasks] == ["use_of_force_authorization"]
    # a mission named after its list end, with a numbered successor serving: the successor
    ops = "1. Decides to extend the mandate of UNAVEM until 31 May 1993;\n"
    facts = _facts(ops, 1993, [("Mission", "UNAVEM", "UNAVEM")])
    assert facts.missions == ["UNAVEM II"] and facts.action == "extend"


def test_silver_dev_generalisations():
    from nlp.structure import parse_paragraphs

    # an "unless ..." set inside the act: the act's infinitive after it is still the act
    body = ("Member States cooperating with the Government, unless the other side complies in full by 15 January, "
            "to use all necessary means to restore peace")
    assert clause_tasks("authorizes", body) == ["use_of_force_authorization"]
    # a scanned full stop after "The Security Council" and a footnote mark before "Decides:"
    text = ("The Security Council.\n\nHaving considered the report on the Force, 24\nDecides:\n\n(a) To call upon "
            "the parties to keep the cease-fire;\n\n(b) To renew the mandate of the Force for six months, that is, "
            "until 31 May 1987;\n")
    labels = [p.label for p in parse_paragraphs(text, resolution=True) if p.label]
    assert labels == ["PP1", "1", "1(a)", "1(b)"]
    from nlp.facts import Mention
    from nlp.resolution import resolution_facts

    force = text.index("Force")
    facts = resolution_facts(text, "S/RES/1 (1986)", "1986-11-26", [],
                             [Mention("mission:undof", "Mission", "UNDOF", "Force", force, force + 5)])
    assert (facts.action, facts.mandate_until) == ("extend", "1987-05-31")
    # a speck after "until"
    facts = _facts("1. Decides to extend the mandate of UNIFIL for six months, that is, until! 19 January 1987;\n",
                   1986, [("Mission", "UNIFIL", "UNIFIL")])
    assert facts.mandate_until == "1987-01-19"
    # deploring what befell a mission, or asking the parties to cooperate with it, acts on no mission
    ops = ("1. Deplores the fact that members of the United Nations Peace-keeping Force in Cyprus were wounded;\n"
           "2. Calls upon all parties to co-operate fully with the United Nations Force;\n")
    assert _facts(ops, 1974, [("Mission", "UNFICYP", "United Nations Peace-keeping Force in Cyprus"),
                              ("State", "Cyprus", "Cyprus")]).missions == []
