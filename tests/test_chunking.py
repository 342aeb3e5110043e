"""Chunking: sentence splitting, paragraph passages, prose packing, record fields."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest

from ingest.chunking import chunk_document, chunk_text, sentence_spans, split_passage
from ingest.document import LoadedDocument


@dataclass
class P:
    """Stand-in for ``nlp.structure.Para`` so these tests do not depend on the parser."""

    label: str | None
    part: str | None
    start: int
    end: int
    heading: str | None
    level: int = 0


def _paras(text: str, spec: list[tuple[str, str | None, str | None]]) -> list[P]:
    """Paragraphs located by their opening words: (first words, label, heading)."""
    starts = [(text.index(words), label, heading) for words, label, heading in spec]
    out = []
    for i, (s, label, heading) in enumerate(starts):
        e = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        blank = text.find("\n\n", s, e)
        e = blank if blank >= 0 else e  # a paragraph ends at a blank line
        out.append(P(label, "operative" if label else None, s, e, heading))
    return out


def check_chunks(text: str, chunks, max_words: int) -> None:
    assert chunks, "no chunks"
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
    for c in chunks:
        assert c.text and c.text == " ".join(text[c.start:c.end].split())
        assert not text[c.start].isspace() and not text[c.end - 1].isspace()
        assert len(c.text.split()) <= max_words + max_words // 4, (len(c.text.split()), c.text[:80])
    for a, b in zip(chunks, chunks[1:]):
        assert a.end <= b.start, "chunks overlap"


# --- sentences -----------------------------------------------------------------------------

def _sents(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_sentence_split_avoids_abbreviations():
    text = ("See No. 5 of para. 3, e.g. the report S/2025/403. It was read by Mr. J. Smith in the U.N. Hall. "
            "Then (S/2025/10/Add. 31) was noted. “Quoted end.” Next one? Yes! 12 troops left.")
    assert _sents(text) == [
        "See No. 5 of para. 3, e.g. the report S/2025/403.",
        "It was read by Mr. J. Smith in the U.N. Hall.",
        "Then (S/2025/10/Add. 31) was noted.",
        "“Quoted end.”",
        "Next one?",
        "Yes!",
        "12 troops left.",
    ]


def test_paragraph_number_is_not_a_sentence():
    assert _sents("12. Decides to extend. B. Next.") == ["12. Decides to extend.", "B. Next."]
    assert _sents("II. Political developments were many. In 2024. The end.") == [
        "II. Political developments were many.", "In 2024.", "The end."]


def test_sentence_spans_are_offsets():
    text = "  One here.  Two there.\n"
    assert [text[a:b] for a, b in sentence_spans(text)] == ["One here.", "Two there."]


def test_split_passage_limits():
    sentence = "Word " + "word " * 29 + "end."
    text = " ".join([sentence] * 20)  # 20 sentences of 31 words
    pieces = split_passage(text, 0, len(text), 100)
    assert len(pieces) == 7 and all(len(text[a:b].split()) <= 100 for a, b in pieces)
    assert all(text[b - 1] == "." for a, b in pieces)
    one_long = "alpha " * 230 + "omega."  # a single sentence: kept whole up to 1.25 x max_words
    assert split_passage(one_long, 0, len(one_long), 200) == [(0, len(one_long))]
    huge = "alpha, beta; " * 200 + "end."  # 401 words, one sentence: clause marks, then words
    pieces = split_passage(huge, 0, len(huge), 200)
    assert len(pieces) >= 3 and all(len(huge[a:b].split()) <= 200 for a, b in pieces)
    assert " ".join(" ".join(huge[a:b].split()) for a, b in pieces) == " ".join(huge.split())
    nopunct = "w " * 700
    assert all(len(nopunct[a:b].split()) <= 200 for a, b in split_passage(nopunct, 0, len(nopunct), 200))


# --- paragraphs ----------------------------------------------------------------------------

REPORT = """United Nations  S/2099/7
Security Council
1 May 2099

  Report of the Secretary-General

 I. Introduction

1. The present report covers the period.
It describes progress.
2. Political developments continued
across the country.

 II. Security situation

The situation remained tense. Attacks rose in the east.

Armed groups moved south.
3. Three   incidents were   recorded.
(a) First incident;
(b) Second incident.
"""


def test_numbered_paragraphs_keep_labels():
    paras = _paras(REPORT, [
        ("United Nations", None, None),
        ("1. The present", "1", "I. Introduction"),
        ("2. Political", "2", "I. Introduction"),
        ("The situation", None, "II. Security situation"),
        ("3. Three", "3", "II. Security situation"),
        ("(a) First", "3(a)", "II. Security situation"),
        ("(b) Second", "3(b)", "II. Security situation"),
    ])
    chunks = chunk_text(REPORT, paras, max_words=200)
    check_chunks(REPORT, chunks, 200)
    labels = [c.paragraph for c in chunks]
    assert labels == [None, "1", "2", None, "3", "3(a)", "3(b)"]
    by = {c.paragraph: c for c in chunks}
    assert by["1"].text == "1. The present report covers the period. It describes progress."
    assert by["1"].section == "I. Introduction"
    assert by["3"].text == "3. Three incidents were recorded."
    prose = [c for c in chunks if c.paragraph is None]
    assert prose[1].section == "II. Security situation"
    assert prose[1].text == "The situation remained tense. Attacks rose in the east. Armed groups moved south."
    assert all("II. Security situation" != c.text for c in chunks)


def test_headings_in_gaps_are_sections_not_passages():
    paras = _paras(REPORT, [("1. The present", "1", "I. Introduction"), ("2. Political", "2", "I. Introduction"),
                            ("3. Three", "3", "II. Security situation")])
    chunks = chunk_text(REPORT, paras, max_words=200)
    check_chunks(REPORT, chunks, 200)
    texts = [c.text for c in chunks]
    assert "I. Introduction" not in texts and "II. Security situation" not in texts
    prose = next(c for c in chunks if c.text.startswith("The situation"))
    assert prose.section == "II. Security situation" and prose.paragraph is None
    assert chunks[0].text.startswith("United Nations S/2099/7") and chunks[0].section is None


def test_long_paragraph_split_with_same_label():
    body = "12. " + " ".join(f"Sentence number {i} has exactly seven words." for i in range(60))
    text = f"Intro.\n{body}\n13. Short.\n"
    paras = _paras(text, [("Intro", None, None), ("12.", "12", None), ("13.", "13", None)])
    chunks = chunk_text(text, paras, max_words=50)
    check_chunks(text, chunks, 50)
    twelve = [c for c in chunks if c.paragraph == "12"]
    assert len(twelve) >= 8 and all(len(c.text.split()) <= 50 for c in twelve)
    assert twelve[0].text.startswith("12. Sentence number 0")
    assert [c.paragraph for c in chunks][-1] == "13"


def test_unnumbered_prose_is_packed():
    paras_text = [f"Paragraph {i} says a few words here." for i in range(30)]  # 7 words each
    text = "\n\n".join(paras_text) + "\n"
    chunks = chunk_text(text, [], max_words=50)
    check_chunks(text, chunks, 50)
    assert len(chunks) == 5 and all(len(c.text.split()) <= 50 for c in chunks)
    assert " ".join(c.text for c in chunks) == " ".join(text.split())


def test_numbered_paragraph_running_into_a_heading_is_cut():
    text = "1. First point.\n\n II. Next part\n\nProse under the next part.\n2. Second point.\n"
    paras = [P("1", None, 0, text.index("2. Second"), "I. Intro"),
             P("2", None, text.index("2. Second"), len(text), "II. Next part")]
    chunks = chunk_text(text, paras, max_words=200)
    assert [(c.paragraph, c.section, c.text) for c in chunks] == [
        ("1", "I. Intro", "1. First point."), (None, "II. Next part", "Prose under the next part."),
        ("2", "II. Next part", "2. Second point.")]


def test_wrapped_heading_second_line_joins_the_section():
    text = " B. Support of the Mission for the reinforced ad hoc\nverification mechanism\n\n\n79. At the request.\n"
    paras = [P(None, None, 0, text.index("\nverif"), "B. Support of the Mission for the reinforced ad hoc", 2),
             P(None, None, text.index("verif"), text.index("\n\n\n"), "B. Support of the Mission for the reinforced ad hoc"),
             P("79", None, text.index("79."), len(text), "B. Support of the Mission for the reinforced ad hoc")]
    chunks = chunk_text(text, paras, max_words=200)
    assert [(c.paragraph, c.section, c.text) for c in chunks] == [
        ("79", "B. Support of the Mission for the reinforced ad hoc verification mechanism", "79. At the request.")]


def test_parent_paragraph_does_not_repeat_children():
    text = "4. Decides that the mandate shall be:\n(a) to protect civilians;\n(b) to support elections.\n"
    parent = P("4", "operative", 0, len(text), None)
    a = P("4(a)", "operative", text.index("(a)"), text.index("(b)"), None, 1)
    b = P("4(b)", "operative", text.index("(b)"), len(text), None, 1)
    chunks = chunk_text(text, [a, parent, b], max_words=200)
    assert [(c.paragraph, c.text) for c in chunks] == [
        ("4", "4. Decides that the mandate shall be:"), ("4(a)", "(a) to protect civilians;"),
        ("4(b)", "(b) to support elections.")]


def test_never_empty_and_no_text_lost():
    text = "\n\n   \n\f\n•\n\nReal words here.\n\n"
    chunks = chunk_text(text, [P(None, None, 0, 3, None)], max_words=200)
    assert [c.text for c in chunks] in (["Real words here."], ["• Real words here."])
    assert chunk_text("  \n ", [], max_words=200) == []


def test_bad_max_words():
    with pytest.raises(ValueError):
        chunk_document(LoadedDocument(source="x", text="a", format="txt"), max_words=0)


# --- records -------------------------------------------------------------------------------

def test_record_fields_chunked_separately(tmp_path):
    from ingest.loaders import load_file

    f = tmp_path / "l.jsonl"
    long = " ".join(f"Long sentence {i} about screws and torque." for i in range(40))  # 280 words
    f.write_text(json.dumps({"id": 1, "title": "T", "lesson_text": "Short lesson.", "recommendation_text": long,
                             "driving_event_text": "One.\n\nTwo."}) + "\n")
    [doc] = load_file(f)
    chunks = chunk_document(doc, max_words=100)
    check_chunks(doc.clean, chunks, 100)
    for c in chunks:
        s, e = doc.field_spans[c.section]
        assert s <= c.start and c.end <= e, "a passage straddles two fields"
        assert c.paragraph is None
    assert [c.section for c in chunks][:2] == ["lesson_text", "recommendation_text"]
    assert [c.text for c in chunks if c.section == "driving_event_text"] == ["One. Two."]
    assert sum(c.section == "recommendation_text" for c in chunks) == 3
    assert not any(c.text.startswith(("Lesson", "Recommendation")) for c in chunks)


# --- with the real paragraph parser --------------------------------------------------------

def _structure():
    return pytest.importorskip("nlp.structure", reason="nlp.structure not available yet")


def test_chunk_document_with_parser(tmp_path):
    _structure()
    from ingest.loaders import load_file

    f = tmp_path / "r.txt"
    f.write_text(REPORT)
    [doc] = load_file(f)
    chunks = chunk_document(doc)
    check_chunks(doc.clean, chunks, 200)
    labels = [c.paragraph for c in chunks]
    assert "1" in labels and "2" in labels and "3" in labels


@pytest.mark.shared
@pytest.mark.parametrize("rel, kind", [("pdf/S_2025_403.en.pdf", "sg_report"),
                                       ("text/s_documents/S_2025_403.txt", None),
                                       ("text/resolutions/S_RES_2779.txt", "resolution"),
                                       ("pdf/S_RES_2779_(2025).en.pdf", None)])
def test_shared_documents_chunk(shared_dir, rel, kind):
    _structure()
    from ingest.loaders import load_file

    [doc] = load_file(shared_dir / "corpus" / "unsc-2025" / rel)
    chunks = chunk_document(doc, kind=kind)
    check_chunks(doc.clean, chunks, 200)
    labels = [c.paragraph for c in chunks]
    for c in chunks:
        assert "25-09041" not in c.text and "25-07317" not in c.text
    if "RES" in rel:
        assert "PP1" in labels and "1" in labels
    else:
        assert {"1", "2", "49"} <= set(labels) or {"1", "2", "40"} <= set(labels)
        assert any(c.section and "Political developments" in c.section for c in chunks)
    words = sum(len(c.text.split()) for c in chunks)
    assert words >= 0.97 * len(doc.clean.split()), "text went missing"


@pytest.mark.shared
def test_shared_lessons_chunk(shared_dir):
    from ingest.loaders import load_file

    docs = load_file(shared_dir / "corpus" / "nasa-llis" / "lessons.jsonl")
    for doc in docs[:300]:
        chunks = chunk_document(doc, kind="lesson")
        check_chunks(doc.clean, chunks, 200)
        assert {c.section for c in chunks} <= set(doc.field_spans)
        assert all(re.search(r"\w", c.text) for c in chunks)
