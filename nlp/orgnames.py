"""Organisation names by their shape: capitalised words ending in an institutional or military head
("U.S. Africa Command", "12th Infantry Regiment", "Malian Armed Forces", "Ministry of
Foreign Affairs", "the UN Board of Inquiry", "the Hema community").

Mission reporting names contingents, units and ministries that no gazetteer lists: "the Nepalese
Battalion", "Force Intervention Brigade", "Ministry of Defence", "Sector East Command".  The
statistical model finds parts of such names or misses them; these rules find the whole name.
"""

from __future__ import annotations

import re

HEADS = (r"Command|Task\s+Force|Task\s+Group|Brigade|Division|Corps|Regiment|Battalion|Squadron|Wing|Fleet|"
          r"Battery|Contingent|Detachment|Component|Forces|Army|Navy|Air\s+Force|Guard|Gendarmerie|Police|"
          r"Service|Services|Ministry|Department|Office|Agency|Commission|Committee|Council|Board|Authority|"
          r"Embassy|Consulate|Secretariat|Parliament|Court|Tribunal|Bank|Fund|Programme|Institute|University|"
          r"Foundation|Organi[sz]ation|Union|Alliance|Coalition|Front|Movement|Party|Network|Centre|Center|"
          r"Directorate|Bureau|Administration|Cabinet|Brigades|Militia|Group|Team|Unit|Staff|Headquarters")
# Words that make a capitalised phrase an institution or a topic, never a person's name.
INSTITUTIONAL = re.compile(rf"\b(?:{HEADS}|Offices|Affairs|Security|Assembly|Rights|Operations|Support|Peace|"
                           rf"Mission|Missions|Relations|Development|Cooperation|Intelligence|Justice|Defen[cs]e|"
                           rf"Interior|Finance|Health|Education|Nations|States|Republic|Kingdom|Province|District|"
                           rf"Disarmament|Demobili[sz]ation|Reintegration|Reform|Reconciliation|Recovery|"
                           rf"Stabili[sz]ation|Governance|Transition|Delegation)\b")
# One capitalised word of a name (not a determiner or a word that opens a sentence as often as a name).
_STOP = (r"(?!(?:The|A|An|This|That|These|Those|Its|Our|Their|His|Her|In|On|At|Of|For|By|With|From|And|But|"
         r"As|If|When|While|After|Before|During|Since|Under|Over|Following|Today|Yesterday|Mr|Mrs|Ms|Dr|"
         r"January|February|March|April|May|June|July|August|September|October|November|December)\b)")
_CAP = rf"{_STOP}(?:[A-Z][\w’'-]*\w|[A-Z](?:\.[A-Z])+\.?|[A-Z]{{2,}})"
_ORDINAL = r"\d{1,4}(?:st|nd|rd|th)"
_TAIL = rf"(?:\s+(?:of|for)\s+(?:the\s+)?{_CAP}(?:\s+(?:and\s+)?{_CAP})?)"
_ORG = re.compile(
    rf"(?<![\w.’'-])(?:(?:{_ORDINAL}|{_CAP})\s+)(?:(?:{_ORDINAL}|{_CAP})\s+){{0,7}}(?:{HEADS})(?![\w-]){_TAIL}?"
    rf"|(?<![\w.’'-])(?:Ministry|Department|Office|Embassy|Directorate)\s+of\s+(?:the\s+)?{_CAP}"
    rf"(?:\s+(?:and\s+)?{_CAP}){{0,3}}"
    rf"|(?<![\w.’'-]){_ORDINAL}\s+(?:{HEADS})(?![\w-])")
# "the Hema community", "the Lendu tribe": a named people acting as one.
_PEOPLE = re.compile(rf"\b[Tt]he\s+(?:{_CAP}\s+){{1,3}}(?:tribe|clan|sub-clan|community|communities|tribes|clans)\b")
_ENDS = re.compile(rf"(?:\b(?:{HEADS})|\b(?:tribe|clan|sub-clan|community|communities|tribes|clans)|"
                   rf"{_TAIL})$")   # what is left after a possessive was cut must still end like a name
_TRIM = re.compile(r"(?:[’']s|(?:\s+(?:of|for|and|the))+)$")


def find(text: str) -> list[tuple[int, int]]:
    """(start, end) of organisation names by shape."""
    out = []
    for rx in (_ORG, _PEOPLE):
        for m in rx.finditer(text):
            # "the Department of State's programme" ends at the possessive; "People’s Liberation Army" does not
            s = re.split(r"(?<!People)(?<!Lord)(?<!Women)(?<!Children)(?<!Workers)[’']s\b", m.group(0))[0]
            s = _TRIM.sub("", s)
            if " " not in s or re.fullmatch(r"(?:West|East|Left|Right)\s+Bank", s) or not _ENDS.search(s):
                continue   # one word; "the West Bank" is a riverbank, not a bank
            out.append((m.start(), m.start() + len(s)))
    return out
