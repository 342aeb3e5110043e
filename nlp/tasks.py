"""Mandate tasks (``facts.TASKS``) found in clause text by phrase rules."""

from __future__ import annotations

import re

from nlp.facts import TASKS

_RULES: dict[str, str] = {
    "protection_of_civilians": r"protect(?:ion of|ing)? civilians|civilians under (?:imminent )?threat",
    "ddr": r"disarmament,? demobili[sz]ation,? (?:and )?(?:repatriation,? (?:resettlement,? )?)?(?:and )?reintegration"
           r"|\bD\.?D\.?R\b|\bDDRR\b",
    "ssr": r"security sector reform|\bSSR\b|reform of the security sector",
    "use_of_force_authorization": r"all necessary (?:means|measures|action)",
    "ceasefire_monitoring": r"(?:monitor|supervis|verif|observ)\w*\s+(?:\w+\s+){0,6}?(?:the\s+)?(?:cease-?fire|truce|"
                            r"cessation of hostilities|armistice|disengagement|withdrawal)"
                            r"|cease-?fire (?:monitoring|verification)|cessation of hostilities",
    "humanitarian_assistance_support": r"humanitarian (?:assistance|aid|relief|access|operations|actors)"
                                       r"|delivery of (?:humanitarian|relief)",
    "elections": r"\belect(?:ions?|oral)\b|\breferendum\b",
    "demining": r"\bmines?\b|mine action|explosive ordnance|explosive remnants|\bdemining\b|\bIEDs?\b"
                r"|improvised explosive devices?",
    "arms_embargo_monitoring": r"arms embargo|embargo on (?:arms|weapons)",
    "sexual_violence_and_children": r"sexual (?:and gender-based )?violence|children (?:and|in) armed conflict"
                                    r"|child protection|grave violations against children",
    "state_authority_extension": r"(?:extend|extension of|restor\w+|re-?establish\w*)\s+(?:\w+\s+){0,3}?"
                                 r"(?:State|state|government|governmental) authority|effective authority",
    "border_or_buffer_zone": r"buffer zone|area of separation|area of limitation|\bborder\b|\bboundary\b|Blue Line"
                             r"|demilitari[sz]ed zone|zone of separation",
    "human_rights": r"human rights",
    "rule_of_law": r"rule of law|\bjustice\b|judicial|correction(?:s|al)|accountability|\bprisons?\b|impunity",
    "political_process_support": r"political process|peace (?:process|agreement|talks)|mediation|good offices"
                                 r"|national reconciliation|political settlement|political dialogue"
                                 r"|implementation of the (?:\w+\s+){0,3}agreement",
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


def tasks_in(text: str) -> list[str]:
    """Task ids whose phrases occur in ``text``, in taxonomy order."""
    return [t for t in TASKS if t in _COMPILED and _COMPILED[t].search(text)]


def mandates(verb: str | None, body: str) -> bool:
    """Whether a clause with lead ``verb`` (``body``: the text after the verb) gives tasks."""
    if verb not in MANDATING_VERBS:
        return False
    if verb == "requests":
        return bool(_REQUEST_OBJECT.match(body))
    return True
