"""Mandate tasks (``facts.TASKS``) found in clause text by phrase rules."""

from __future__ import annotations

import re

from nlp.facts import TASKS

_RULES: dict[str, str] = {
    "protection_of_civilians": r"protect(?:ion of|ing)? civilians|civilians under (?:imminent )?threat",
    "ddr": r"disarmament,? demobili[sz]ation,? (?:and )?(?:repatriation,? (?:resettlement,? )?)?(?:and )?reintegration"
           r"|\bD\.?D\.?R\b|\bDDRR\b|community violence reduction|demobili[sz]ation of"
           r"|\bdisarmament\b(?! of (?:nuclear|chemical))",
    "ssr": r"security sector reform|\bSSR\b|reform of the security sector|(?:training|reform|restructuring|moderni[sz]ation|"
           r"professionali[sz]ation|reorgani[sz]ation|re-?establishment|integration) of (?:the )?(?:\w+\s+){0,2}?(?:police|"
           r"armed forces|military|security forces|gendarmerie)|(?:train|guid)\w*[^.;]{0,40}\bpolice\b",
    "use_of_force_authorization": r"all necessary (?:means|measures|action)|(?:take|use) the necessary measures"
                                  r"|including the use of (?:armed )?force|use of air power",
    "ceasefire_monitoring": r"(?:(?:respect|observ|maint)\w* (?:of )?the cease-?fire|recurrence of fighting)|"
                            r"(?:monitor|supervis|verif|observ|confirm)\w*\s+(?:\w+\s+){0,6}?(?:the\s+)?(?:cease-?fire|truce|"
                            r"cessation of hostilities|armistice|disengagement|withdrawal)"
                            r"|cease-?fire (?:monitoring|verification)|cessation of hostilities|violations? of the cease-?fire",
    "humanitarian_assistance_support": r"humanitarian (?:assistance|aid|relief|access|operations|actors)"
                                       r"|delivery of (?:humanitarian|relief)|provision of relief|relief (?:supplies|"
                                       r"operations|assistance)|(?:repatriation|return) of (?:the )?refugees",
    "elections": r"\belectoral (?:assistance|support|process|preparations|calendar|commission|bod(?:y|ies)|security|"
                 r"operations|cycle|law)|(?:support|assist|organi[sz]|prepar|conduct|observ|verif|hold|secur|monitor)\w*"
                 r"\s+(?:\S+\s+){0,6}?(?:elections?|referendum|polls)\b|free and fair elections|\belections? (?:shall|will) be held",
    "demining": r"\bmines?\b|mine action|explosive ordnance|explosive remnants|\bdemining\b|\bIEDs?\b"
                r"|improvised explosive devices?",
    "arms_embargo_monitoring": r"arms embargo|embargo on (?:the )?(?:\w+\s+){0,3}?(?:arms|weapons|military equipment)",
    "sexual_violence_and_children": r"sexual (?:and gender-based )?violence|children (?:and|in) armed conflict"
                                    r"|child protection|grave violations against children",
    "state_authority_extension": r"(?:extend|extension of|restor\w+|re-?establish\w*)\s+(?:\w+\s+){0,3}?"
                                 r"(?:State|state|government|governmental) authority|effective authority"
                                 r"|re-?establishment of (?:\w+\s+){0,3}?(?:institutions|civil administration)",
    "border_or_buffer_zone": r"buffer zone|area of separation|area of limitation|\bborders?\b|\bboundary\b|Blue Line"
                             r"|demilitari[sz]ed zone|zone of separation",
    "human_rights": r"human rights|violations of international humanitarian law",
    "rule_of_law": r"rule of law|\bjustice\b|judicial|correction(?:s|al)|accountability|\bprisons?\b|impunity",
    "political_process_support": r"political process|peace (?:process|agreement|talks)|mediation|good offices"
                                 r"|(?:national|political) reconciliation|political settlement|political dialogue"
                                 r"|(?:monitor|verif)\w*\s+(?:\w+\s+){0,3}?agreements?\b"
                                 r"|implement(?:ation of|ing) the (?:\S+\s+){0,4}?agreements?\b",
}
_COMPILED = {t: re.compile(p, re.I if t not in ("ddr", "ssr", "state_authority_extension") else 0)
             for t, p in _RULES.items()}
_COMPILED["state_authority_extension"] = re.compile(_RULES["state_authority_extension"], re.I)
assert set(_COMPILED) <= set(TASKS)

# Lead verbs that give or shape a mandate; "condemns"/"welcomes" do not.
MANDATING_VERBS = {"decides", "authorizes", "authorises", "mandates", "requests", "directs", "establishes",
                   "extends", "instructs", "entrusts", "approves", "endorses"}
_REQUEST_OBJECT = re.compile(
    r"^\s*(?:also\s+|further\s+)?(?:the\s+)?(?:Secretary[- ]General|Mission|Force|Operation|Office|"
    r"Special Representative|United Nations|[A-Z]{4,}|Member States|States)", re.I)


LEAD_CHARS = 10_000


def tasks_in(text: str, lead: int | None = None) -> list[str]:
    """Task ids whose phrases occur in ``text``, in taxonomy order.

    With ``lead``, a long clause keeps the tasks named in its opening ``lead`` characters (what
    the clause is for); tasks named only later are context ("... including for elections").
    When none is named early, the earliest named one is kept."""
    found = {t: m.start() for t in TASKS if t in _COMPILED for m in [_COMPILED[t].search(text)] if m}
    if lead is None or not found:
        return [t for t in TASKS if t in found]
    early = {t for t, pos in found.items() if pos < lead} or {min(found, key=found.get)}
    return [t for t in TASKS if t in early]


def mandates(verb: str | None, body: str) -> bool:
    """Whether a clause with lead ``verb`` (``body``: the text after the verb) gives tasks."""
    if verb not in MANDATING_VERBS:
        return False
    if verb == "requests":
        return bool(_REQUEST_OBJECT.match(body))
    return True
