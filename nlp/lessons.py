"""Lessons: from record fields (NASA LLIS) and from free text (headed sections, sentence roles).

Free text is read sentence by sentence: ``classify_sentence`` gives each one a role
(observation / recommendation / lesson / other) from cue phrases, modal verbs, tense and the
section heading, so a Lesson found in prose fills the same three fields a record does.
"""

from __future__ import annotations

import re

from nlp.facts import Lesson
from nlp.structure import Para

ROLES = ("observation", "recommendation", "lesson", "other")

_FIELDS = {"observation": ("driving_event_text", "observation", "observation_text"),
           "discussion": ("discussion", "discussion_text", "analysis"),
           "conclusion": ("conclusion", "conclusion_text"),
           "lesson": ("lesson_text", "lesson"),
           "recommendation": ("recommendation_text", "recommendation", "recommendations")}
_HEAD = re.compile(r"\b(?:lessons?[- ](?:learned|learnt|identified)|lessons?|observations?|recommendations?|"
                   r"best practices?)\b", re.I)

# -- sentence roles -------------------------------------------------------------------------
_MARKER = re.compile(r"^\s*(?:>\s*)?(?:\d{1,3}[.)]|\(?[a-z]{1,3}\)|[-*\u2022\u2013])\s+")
_JUNK = re.compile(r"^(?:[A-Z][\w ]{0,24}:\s+\S.{0,40}|.*\b(?:SAMPLE|not an official)\b.*"
                   r"|(?:source|credit|note)s?:.*)$", re.I)
_META = re.compile(
    r"\b(?:this|the present|these|the following) (?:report|lessons?(?: learned)?|document|paper|presentation|video|"
    r"annex|section|summary|note)\b[^.]{0,40}\b(?:provides?|address(?:es)?|describes?|summari[sz]es?|covers?|"
    r"presents?|discuss(?:es)?|outlines?|suggests?|is submitted|contains?)\b"
    r"|\b(?:video )?presentation in which\b|\blessons? learned (?:topics|from [^.]{0,40} are provided)"
    r"|\bis submitted pursuant to\b|\bmethodolog", re.I)
_IMPERATIVE = frozenset("""
add adopt align allocate allow analyse analyze apply appoint ask assess assign assure audit automate avoid brief
budget build calibrate check clarify compare
collect communicate conduct confirm consider continue control coordinate create define delegate deploy design
designate determine develop do document emphasize emphasise encourage enforce engage ensure establish evaluate expand
examine explore facilitate focus give hold identify implement improve include incorporate increase inform inspect
install institute integrate invest investigate involve issue keep limit maintain make monitor obtain perform place plan
prepare prevent prioritize prioritise promote protect provide record recruit reduce rehearse reiterate remind
replace require review schedule seek select set share specify standardize standardise start stop strengthen
take test track train treat update use validate vary verify write always never
""".split())
_NOT_VERB_NEXT = frozenset("of is are was were has have had will can may 's".split())
_STANCE = re.compile(
    r"^(?:(?:lastly|finally|in conclusion|in this regard|at the same time|in addition|moreover|once again),?\s+)*"
    r"I\s+(?:(?:also|further|again|once again|strongly|sincerely|warmly|would like to|wish to|should like to|"
    r"want to|take this opportunity to|reiterate my|continue to)\s+)*"
    r"(?:thank|commend|condemn|deplore|welcome|applaud|salute|congratulate|pay tribute|"
    r"(?:express|extend|convey|reiterate)\s+(?:my|our)\s+(?:\w+\s+){0,2}(?:appreciation|gratitude|thanks|condolences|"
    r"sympathy|condemnation)|am\s+(?:also\s+)?(?:grateful|thankful|appreciative)|remain\s+(?:grateful|thankful)|"
    r"appreciation|gratitude)", re.I)
_INSIGHT = re.compile(
    r"\blessons? (?:learned |learnt )?(?:is|was) that\b|\bexperience (?:has )?(?:shows?|showed|shown|demonstrates?|"
    r"demonstrated|suggests?|indicates?)\b|\bas [^.,]{0,40} (?:have|has) (?:demonstrated|shown)\b"
    r"|\b(?:highlights?|highlighted|underlines?|underlined|underscores?|underscored|illustrates?|illustrated|"
    r"points? to|pointed to|brought to light|brings to light|reveals?|revealed|demonstrates?|demonstrated)"
    r" (?:\w+ ){0,2}(?:need|necessity|importance|value|risks?|dangers?|benefits?)\b"
    r"|(?<!simulations )(?<!analysis )(?<!tests )(?<!results )(?<!data )\b(?:it|this|that) "
    r"(?:shows|showed|demonstrates|demonstrated|illustrates|proves|proved|confirms) that\b", re.I)
_DIRECTIVE = re.compile(
    r"(?<!that )(?<!which )(?<!who )\b(?:should|must|shall|ought to)\b(?! like\b| be noted\b| be recalled\b)"
    r"|(?<!the )(?<!a )(?<!this )\b(?:needs?|has|have) to\b|\b(?:is|are) (?:\w+ )?(?:needed|warranted|required)\b"
    r"|\brecommend(?:s|ed)?\b(?! by\b)|\brecommendations? (?:include|included|are|were)\b"
    r"|\b(?:I|we)\b[^.;]{0,40}?\b(?:urge|call|encourage|invite|request|appeal|recommend|suggest|propose|count on|"
    r"hope that|trust that)\b|\band (?:also )?(?:call|urge|encourage|invite|appeal)\b"
    r"|\b(?:urges|calls (?:on|upon|for)|encourages|invites|advises|suggests|proposes)\b"
    r"|\breiterate (?:my call|the (?:importance|urgency|need))\b"
    r"|\bit (?:\w+ )?(?:is|will be|would be|remains|was) (?:\w+ ){0,3}(?:essential|critical|crucial|important|vital|"
    r"imperative|necessary|urgent|advisable|preferable|of (?:\w+ )?importance) (?:that|to|for\b[^.]*\bto)\b"
    r"|(?:essential|critical|crucial|vital|imperative|important|necessary|urgent|of (?:\w+ )?importance)"
    r"(?: in this (?:respect|regard))?\W*$", re.I)
_GENERAL = re.compile(
    r"\b(?:is|are|was|remains?|be|proved?|becomes?) (?:\w+ ){0,2}(?:essential|critical|crucial|key|vital|important|"
    r"indispensable|instrumental|necessary|relevant|fundamental|central|helpful|useful)(?: \w+)? (?:to|for|in)\b"
    r"|\bkey (?:factors?|components?|elements?|conditions?)\b|\bprerequisites? for\b"
    r"|(?<!which )(?<!that )(?<!who )\b(?:can|cannot|can't)\b(?! be seen\b)"
    r"|\bwould (?:\w+ )?(?:enhance|improve|help|reduce|strengthen|contribute|enable|prevent|increase)\b"
    r"|\b(?:is|are) capable of\b|\b(?:is|are) (?:a |an )?(?:valuable|useful|effective|powerful) (?:tools?|means|way)\b",
    re.I)
_PAST = re.compile(r"\b(?:was|were|had|did)\b|(?<!\bbe )(?<!\bbeen )(?<!\bis )(?<!\bare )\b[a-z]{3,}ed\b")


def _heading_role(heading: str | None) -> str | None:
    """What a section heading says its sentences are, when it says one thing."""
    h = (heading or "").lower()
    if re.search(r"lesson|best practice|good practice|takeaway", h):
        return "lesson"
    rec = bool(re.search(r"recommend|way forward|next steps|action items", h))
    obs = bool(re.search(r"observ|finding|summary|background|what happened|chronology|narrative|overview", h))
    return "recommendation" if rec and not obs else "observation" if obs and not rec else None


def classify_sentence(text: str, heading: str | None = None) -> str:
    """Role of one sentence: one of ``ROLES``.

    Order matters: boilerplate first, then imperatives, then the heading of a lessons section
    (whose sentences may use "must"), then cues of a drawn insight, of advice, of diplomatic
    stance, of a general claim; a sentence with no cue reports what happened (observation).
    """
    s = _MARKER.sub("", " ".join(text.split()))
    if len(re.findall(r"[A-Za-z]{2,}", s)) < 3 or _JUNK.match(s) or _META.search(s):
        return "other"
    words = re.findall(r"[A-Za-z']+", s)
    big = [w for w in words if len(w) > 3]
    if len(words) <= 8 and big and all(w[0].isupper() for w in big):
        return "other"  # a title or caption line, not a sentence
    if words[0].lower() in _IMPERATIVE and words[0][0].isupper() and words[1].lower() not in _NOT_VERB_NEXT:
        return "recommendation"
    role = _heading_role(heading)
    if role == "lesson" or _INSIGHT.search(s):
        return "lesson"
    if _DIRECTIVE.search(s):
        return "recommendation"
    if _STANCE.match(s):
        return "other"
    if _GENERAL.search(s):
        return "lesson"
    if role == "recommendation" and not _PAST.search(s):
        return "recommendation"
    return "observation"


# -- lessons ----------------------------------------------------------------------------------
def from_fields(text: str, fields: dict, title: str | None, mapping: dict[str, str] | None = None) -> list[Lesson]:
    """One lesson per record, each slot (observation, discussion, conclusion, lesson, recommendation)
    from the field ``mapping`` names for it, else from the field names lessons files commonly use."""
    spans = {k: v for k, v in (fields or {}).items() if v and v[1] > v[0]}
    if not spans:
        return []
    got = {}
    for slot, names in _FIELDS.items():
        if mapping and slot in mapping:
            names = (mapping[slot],)
        for n in names:
            if n in spans:
                a, b = spans[n]
                got[slot] = text[a:b].strip() or None
                break
    if not any(got.values()):
        return []
    if title is None and "title" in spans:
        a, b = spans["title"]
        title = text[a:b].strip()
    start = min(a for a, _ in spans.values())
    end = max(b for _, b in spans.values())
    return [Lesson(start, end, title, got.get("observation"), got.get("recommendation"), got.get("lesson"),
                   origin="record", discussion=got.get("discussion"), conclusion=got.get("conclusion"))]


def _fill(lesson: Lesson, text: str, parts: list[tuple[int, int, str]]) -> Lesson:
    """Each field gets its sentences, in document order; "other" sentences are left out."""
    for role in ("observation", "recommendation", "lesson"):
        body = " ".join(_MARKER.sub("", " ".join(text[a:b].split())) for a, b, r in parts if r == role)
        setattr(lesson, role, body or None)
    return lesson


def _split_blank(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A blank line always ends a sentence (a title the sentencizer ran into the next line)."""
    out = []
    for s, e in sentences:
        for m in re.finditer(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)", text[s:e], re.S):
            out.append((s + m.start(), s + m.end()))
    return out


def _units(text: str, a: int, b: int, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences inside [a, b); the whole span when no sentence falls in it."""
    inside = [(max(s, a), min(e, b)) for s, e in _split_blank(text, sentences) if a <= s < b]
    return inside or [(a, b)]


def from_text(text: str, paras: list[Para], sentences: list[tuple[int, int]], *, sentence_rules: bool) -> list[Lesson]:
    """Labelled records (``nlp.aar``), then headed sections ("Lessons learned", "Observations",
    "Recommendations") and, with ``sentence_rules``, blocks of prose holding a recommendation or
    lesson sentence, outside the records."""
    from nlp.aar import records

    out: list[Lesson] = records(text)   # a report written as labelled records: one lesson per record
    covered: list[tuple[int, int]] = [(x.start, x.end) for x in out]
    groups: dict[str, list[Para]] = {}
    for p in paras:
        if any(a <= p.start < b for a, b in covered):
            continue
        if p.heading and _HEAD.search(p.heading) and p.heading != " ".join(text[p.start:p.end].split()):
            groups.setdefault(p.heading, []).append(p)
    for heading, ps in groups.items():
        a, b = ps[0].start, ps[-1].end
        parts = [(s, e, classify_sentence(text[s:e], heading)) for s, e in _units(text, a, b, sentences)]
        lesson = _fill(Lesson(a, b, heading), text, parts)
        if lesson.observation or lesson.recommendation or lesson.lesson:
            out.append(lesson)
        covered.append((a, b))
    if sentence_rules:
        out += _from_sentences(text, paras, sentences, covered)
    out.sort(key=lambda x: x.start)
    return out


def _from_sentences(text: str, paras: list[Para], sentences: list[tuple[int, int]],
                    covered: list[tuple[int, int]]) -> list[Lesson]:
    """A block (sentences not parted by a blank line) becomes a Lesson when it advises or
    generalises; its observations ride along as the context the advice answers."""
    heads = sorted((p.start, p.end, p.heading) for p in paras)
    blocks: list[list[tuple[int, int, str]]] = []
    prev_end = None
    for s, e in _split_blank(text, sentences):
        if s >= len(text) or any(a <= s < b for a, b in covered):
            prev_end = None
            continue
        heading = next((h for a, b, h in heads if a <= s < b), None)
        role = classify_sentence(text[s:e], heading)
        if prev_end is None or "\n\n" in text[prev_end:s]:
            blocks.append([])
        blocks[-1].append((s, e, role))
        prev_end = e
    out = []
    for block in blocks:
        anchors = [i for i, (_, _, r) in enumerate(block) if r in ("recommendation", "lesson")]
        if not anchors:
            continue
        keep = block[max(anchors[0] - 2, 0):anchors[-1] + 1]
        out.append(_fill(Lesson(keep[0][0], keep[-1][1], None), text, keep))
    return out
