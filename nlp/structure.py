"""Paragraph structure of UN documents: numbered paragraphs, sub-items, preamble, headings.

Pure Python (no spaCy).  Texts come from pypdf or plain files: lines are hard-wrapped and
paragraphs need not be separated by blank lines, so a new paragraph is recognised by its
opening ("12. The Mission", "(a) To ...", " Recalling ..." after a line ending in a comma).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Para", "parse_paragraphs", "is_resolution_text"]


@dataclass
class Para:
    """One paragraph of a document; ``start``/``end`` are offsets into the parsed text.

    ``label`` is "12", "12(a)", "12(a)(i)", "PP3" (preambular) or None (prose, heading line).
    ``heading`` is the section heading the paragraph falls under (a heading line's own text
    for the heading line itself).  ``level``: 1 for "12"/"PP3", 2 for "12(a)", 3 for
    "12(a)(i)"; for a heading line its heading level (1 "I.", 2 "A.", 3 other); 0 for prose.
    """

    label: str | None
    part: str | None
    start: int
    end: int
    heading: str | None
    level: int


_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
          "xv", "xvi", "xvii", "xviii", "xix", "xx", "xxi", "xxii", "xxiii", "xxiv", "xxv"]
_SMALL = {"of", "the", "and", "in", "on", "for", "to", "a", "an", "with", "by", "at", "from", "or",
          "de", "du", "des", "la", "le", "et", "its", "their", "into", "under", "between", "vs"}
_PP_WORDS = {"mindful", "aware", "conscious", "convinced", "desirous", "determined", "further",
             "also", "bearing", "having", "taking", "cognizant", "cognisant", "reiterating",
             "recalling", "noting", "welcoming", "reaffirming", "alarmed", "concerned",
             "emphasizing", "emphasising", "stressing", "underlining", "recognizing",
             "recognising", "affirming", "acknowledging", "highlighting", "expressing",
             "condemning", "deploring", "commending", "guided", "encouraged", "acting",
             "determining", "considering", "believing", "viewing", "appreciating"}

_NUM = re.compile(r"(\d{1,3})(?:\.|,(?=[ \t]+[A-Z][a-z]+s\b))[ \t]+(?=\S)")  # "4, Extends": a scanned full stop
_SUB = re.compile(r"(?:\(([a-z]{1,2}|[ivxl]{1,6})|([a-h]))\)[ \t]+(?=\S)")  # "f) To ..." lost its "(" in scanning
_ROMAN_H = re.compile(r"(M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))\.[ \t]+(\S.*)")
_LETTER_H = re.compile(r"([A-Z])\.[ \t]+(\S.*)")
_BARE_H = re.compile(r"(?:[IVX]{1,5}|[A-Z])")
_MD_H = re.compile(r"(#{1,6})[ \t]+(\S.*)")
_ANNEX_H = re.compile(r"(?:Annex|Appendix|Enclosure|Attachment)(?:[ \t]+[IVX\d]{1,5})?", re.I)
# An operative paragraph without a number (older one-paragraph texts: "Decides:" then (a), (b)).
_OP_VERB = re.compile(r"(?:(?:Further|Also)\s+)?(?:Decides|Requests|Authori[sz]es|Calls\s+upon|Urges|Demands|"
                      r"Approves|Endorses|Extends|Establishes)\b")
_TSC = re.compile(r"The Security Council\s*[,.]?", re.I)   # a scanned comma may read as a full stop
# What opens an unnumbered operative paragraph: a verb of the Council's ("Declares", "Calls upon",
# "Considers") or a participle lead-in ("Noting further").
_UNNUMBERED_ACT = re.compile(r"(?:(?:Further|Also|Finally)\s+)?[A-Z][a-z]+(?:es|s|ing)\b(?=\s+[a-z])")
_RES_TITLE = re.compile(r"^\s*(?:Resolution|RESOLUTION)\s+\d{1,4}\s*\(\d{4}\)\s*$", re.M)
_NOT_HEADINGS = {"security council", "general assembly", "united nations", "distr.: general"}
_FURNITURE = re.compile(
    r"\d{2}-\d{5}\s*(?:\(E\))?.*|\d+/\d+\s+\d{2}-\d{5}.*|\*\d{6,8}\*|S/(?:RES/)?\d[\w/.]*(?:\s*\(\d{4}\))?"
    r"|\d{2}-\d{5}\s+\d+/\d+"
)
_DATE_LINE = re.compile(r"\d{1,2}\s+[A-Z][a-z]+\s+\d{4}")
_TERMINAL = re.compile(r"[.!?][\"”’')\]]*$")


def is_resolution_text(text: str) -> bool:
    """Whether ``text`` looks like a Security Council resolution (not a report quoting one)."""
    head = text[:20000]
    return bool(re.search(r"^\s*The Security Council\s*,\s*$", head, re.M)) or bool(
        _RES_TITLE.search(head[:3000]))


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stripped) per line; start/end exclude surrounding whitespace."""
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        s = len(body) - len(body.lstrip())
        stripped = body.strip()
        out.append((pos + s, pos + s + len(stripped), stripped))
        pos += len(raw)
    return out


def _transparent(lines: list[tuple[int, int, str]]) -> list[bool]:
    """Page furniture (job numbers, running symbols) and the blank lines around it."""
    n = len(lines)
    furn = [bool(t) and bool(_FURNITURE.fullmatch(t)) for _, _, t in lines]
    out = list(furn)
    i = 0
    while i < n:
        if not lines[i][2] or furn[i]:
            j = i
            while j < n and (not lines[j][2] or furn[j]):
                j += 1
            if any(furn[i:j]) and i > 0 and j < n:
                for k in range(i, j):
                    out[k] = True
            i = j
        else:
            i += 1
    return out


def _titleish(s: str) -> bool:
    if s.endswith(":") and len(s.split()) <= 6:
        s = s[:-1].rstrip()
    if not (2 <= len(s) <= 80) or s[-1] in ".,;:" or not s[0].isupper() or ": " in s:
        return False
    if " ".join(s.split()).lower() in _NOT_HEADINGS:
        return False
    if _DATE_LINE.fullmatch(s) or "S/" in s or s.startswith("*") or _RES_TITLE.match(s):
        return False
    words = re.findall(r"[A-Za-z][\w'’-]*", s)
    if not words or len(words) > 10:
        return False
    big = [w for w in words if w.lower() not in _SMALL]
    return bool(big) and sum(w[0].isupper() for w in big) / len(big) >= 0.5


def _next_roman(tok: str | None) -> str | None:
    if tok is None:
        return "i"
    i = _ROMAN.index(tok) if tok in _ROMAN else -1
    return _ROMAN[i + 1] if 0 <= i < len(_ROMAN) - 1 else None


def _next_letter(tok: str | None) -> str:
    if tok is None:
        return "a"
    if len(tok) == 1:
        return chr(ord(tok) + 1) if tok != "z" else "aa"
    return tok[0] + chr(ord(tok[1]) + 1)


class _SubStack:
    """Nested sub-item lists under a numbered paragraph: letters and roman numerals."""

    def __init__(self) -> None:
        self.levels: list[list] = []  # [kind, token]

    def place(self, tok: str, strict: bool = False) -> int | None:
        """Depth (1-based) at which ``tok`` continues or starts a list, else None.

        ``strict``: only a continuation of an open list counts (the line before did not end
        a clause, so a new list is unlikely to start here).
        """
        for d in range(len(self.levels) - 1, -1, -1):
            kind, cur = self.levels[d]
            nxt = _next_roman(cur) if kind == "roman" else _next_letter(cur)
            misread = kind == "letter" and len(tok) == 2 and nxt is not None and len(nxt) == 1 and tok[-1] == nxt
            if tok == nxt or misread:  # "(ad)" where "(d)" is due is a scanning slip, not a new list
                del self.levels[d + 1:]
                self.levels[d][1] = nxt
                return d + 1
        if not strict and len(self.levels) < 2 and tok in ("a", "i"):
            self.levels.append(["roman" if tok == "i" else "letter", tok])
            return len(self.levels)
        return None

    def label(self, base: str) -> str:
        return base + "".join(f"({t})" for _, t in self.levels)


def _heading(line: str, state: dict) -> int | None:
    """Heading level of a line, or None; updates the roman/letter heading counters."""
    m = _MD_H.fullmatch(line)
    if m:
        return len(m.group(1))
    if _ANNEX_H.fullmatch(line):
        return 1
    m = _ROMAN_H.fullmatch(line)
    tok = None
    if m and m.group(1):
        tok, rest = m.group(1), m.group(2)
    elif _BARE_H.fullmatch(line):
        tok, rest = line, "X"
    if tok is not None:
        if len(rest) > 100 or rest[-1] in ",;" or not (rest[0].isupper() or rest[0] in "\"“‘'"):
            return None
        letter_next = chr(ord(state["letter"]) + 1) if state["letter"] else "A"
        roman_next = _next_roman(state["roman"].lower() if state["roman"] else None).upper()
        if len(tok) == 1 and tok == letter_next and (state["letter"] is not None or tok != roman_next):
            state["letter"] = tok
            return 2
        if tok.lower() in _ROMAN:
            state["roman"], state["letter"] = tok, None
            return 1
        if len(tok) == 1:
            state["letter"] = tok
            return 2
        return None
    m = _LETTER_H.fullmatch(line)
    if m:
        rest = m.group(2)
        if len(rest) <= 100 and rest[-1] not in ",;" and rest[0].isupper():
            state["letter"] = m.group(1)
            return 2
    return None


def parse_paragraphs(text: str, *, resolution: bool | None = None) -> list[Para]:
    """Paragraphs of ``text`` in order, covering it with only whitespace between them."""
    if resolution is None:
        resolution = is_resolution_text(text)
    lines = _lines(text)
    skip = _transparent(lines)
    content = [i for i, (_, _, t) in enumerate(lines) if t and not skip[i]]
    opened: list[dict] = []
    hstate = {"roman": None, "letter": None}
    heading: str | None = None
    cur: dict | None = None
    base: str | None = None           # label of the current numbered / PP paragraph
    subs = _SubStack()
    last_num = 0
    pp = 0
    preamble = False
    prev_text = ""
    unnumbered = False                # an operative part whose paragraphs carry no numbers (1940s-50s)
    lead_in = False                   # ... and its last paragraph was a "Noting ..." lead-in

    def open_(start: int, label, part, level, head=None) -> dict:
        p = {"label": label, "part": part, "start": start, "heading": head or heading, "level": level,
             "letter": hstate["letter"]}
        opened.append(p)
        return p

    for idx_pos, i in enumerate(content):
        s, e, t = lines[i]
        prev_i = content[idx_pos - 1] if idx_pos else None
        blank_before = prev_i is None or any(not lines[k][2] and not skip[k] for k in range(prev_i + 1, i))
        nxt = content[idx_pos + 1] if idx_pos + 1 < len(content) else None
        blank_after = nxt is None or any(not lines[k][2] and not skip[k] for k in range(i + 1, nxt))
        next_text = lines[nxt][2] if nxt is not None else ""
        prev_end = prev_text[-1:] if prev_text else ""
        standalone_before = blank_before or prev_end in (".", ";", ":", ",", "") or (
            cur is not None and cur["label"] is None and cur.get("is_heading"))
        prev_text_saved, prev_text = prev_text, t

        # 0. an unnumbered operative paragraph closing the preamble ("Decides:" before (a), (b))
        if preamble and pp and _OP_VERB.match(t) and (blank_before or prev_end in (",", ";") or re.search(
                r",?\s\d{1,3}$", prev_text_saved)):   # ... or after a footnote mark ("the Force, 24")
            last_num, preamble, unnumbered, lead_in = 1, False, True, False
            base = "1"
            subs = _SubStack()
            cur = open_(s, base, "operative", 1)
            continue
        # 0b. the next unnumbered operative paragraph: a new act after a blank line ("Declares ...",
        # "Calls upon ..."); a "Noting ..." lead-in opens the paragraph whose act follows it
        if unnumbered and blank_before and prev_end in (";", ".", ",", ":") and (m := _UNNUMBERED_ACT.match(t)):
            if not lead_in:
                last_num += 1
                base = str(last_num)
                subs = _SubStack()
                cur = open_(s, base, "operative", 1)
            lead_in = m.group(0).endswith("ing")
            continue

        # 1. headings
        level = None
        if standalone_before and not (preamble and not blank_before):
            level = _heading(t, dict(hstate))
            if level is not None:
                next_starts = blank_after or _NUM.match(next_text) is not None or nxt is None
                plain = not (_MD_H.fullmatch(t) or _ROMAN_H.fullmatch(t) or _LETTER_H.fullmatch(t))
                if not next_starts and plain:
                    level = None
                elif _ROMAN_H.fullmatch(t) or _LETTER_H.fullmatch(t) or _BARE_H.fullmatch(t):
                    if not (next_starts or len(t) <= 60):
                        level = None
            if level is not None:
                _heading(t, hstate)
            elif blank_before and blank_after and _titleish(t) and not (preamble and t[-1:] == ","):
                level = 3
        if level is not None:
            heading = " ".join(t.split())
            cur = open_(s, None, None, level, heading)
            cur["is_heading"] = True
            base = None if not preamble else base
            continue

        # 2. "The Security Council," opens the preamble
        if resolution and _TSC.fullmatch(t):
            cur = open_(s, None, None, 0)
            preamble, base, last_num = True, None, 0
            subs = _SubStack()
            continue

        # 3. numbered paragraph
        m = _NUM.match(t)
        if m:
            n = int(m.group(1))
            after = t[m.end():m.end() + 1]
            terminal = prev_end in (".", ";", ":", "") or bool(_TERMINAL.search(prev_text_saved)) or blank_before
            ok = after.isupper() or after in "\"“‘'([" or (after.islower() and n == last_num + 1)
            seq = n == last_num + 1 or (n == 1 and terminal) or (last_num < n <= last_num + 5 and terminal)
            if ok and seq:
                last_num, preamble = n, False
                base = str(n)
                subs = _SubStack()
                cur = open_(s, base, "operative" if resolution else None, 1)
                continue

        # 4. sub-item under a numbered or preambular paragraph
        m = _SUB.match(t)
        if m and base is not None and (cur is not None and cur["label"]):
            punct = prev_end in (":", ";", ",", ".", "") or blank_before or bool(
                re.search(r"\b(?:and|or)$", prev_text_saved))
            depth = subs.place(m.group(1) or m.group(2), strict=not punct or m.group(2) is not None)
            if depth is not None:
                part = "preamble" if base.startswith("PP") else ("operative" if resolution else None)
                cur = open_(s, subs.label(base), part, 1 + depth)
                continue

        # 5. preambular paragraph
        if preamble:
            first = re.match(r"[A-Za-z]+", t)
            word = first.group(0) if first else ""
            pp_word = bool(word) and word[0].isupper() and (
                word.lower() in _PP_WORDS or word.endswith(("ing", "ed", "ly")))
            after_tsc = cur is not None and cur["label"] is None
            if blank_before or after_tsc or (pp_word and prev_end in (",", ";", ":")):
                pp += 1
                base = f"PP{pp}"
                subs = _SubStack()
                cur = open_(s, base, "preamble", 1)
                continue
            continue

        # 6. prose after a blank line
        if cur is None or blank_before or cur.get("is_heading"):
            if cur is not None and cur["label"] and not cur.get("is_heading"):
                ends = bool(_TERMINAL.search(prev_text_saved)) and (t[0].isupper() or not t[0].isalpha())
                if not ends:
                    continue          # a page break inside the paragraph
            cur = open_(s, None, None, 0)
            base = None
            continue
        # 7. continuation line

    _prefix_restarting_parts(opened)
    paras: list[Para] = []
    for k, p in enumerate(opened):
        end = opened[k + 1]["start"] if k + 1 < len(opened) else len(text)
        while end > p["start"] and text[end - 1].isspace():
            end -= 1
        paras.append(Para(p["label"], p["part"], p["start"], end, p["heading"], p["level"]))
    return paras


def _prefix_restarting_parts(opened: list[dict]) -> None:
    """A resolution in lettered parts ("A", "B", each opening with "The Security Council,") whose
    operative numbering starts again at 1 in a later part: "A1", "B1" keep the paragraphs apart.
    Where the numbering runs on across the parts, the plain numbers are already unique."""
    ops = [p for p in opened if p["part"] == "operative" and p["label"]]
    first = {p["letter"] for p in ops if p["label"] == "1"}
    if len(first) < 2 or None in first:
        return
    for p in ops:
        p["label"] = p["letter"] + p["label"]
