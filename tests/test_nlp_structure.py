"""Paragraph structure: numbering, sub-items, preamble, headings, full coverage."""

from __future__ import annotations

import pytest

from nlp.structure import parse_paragraphs


def _check_cover(text, paras):
    pos = 0
    for p in paras:
        assert p.start >= pos and not text[pos:p.start].strip(), text[pos:p.start]
        assert p.end >= p.start
        pos = p.end
    assert not text[pos:].strip()


def _labels(text, **kw):
    paras = parse_paragraphs(text, **kw)
    _check_cover(text, paras)
    return paras, [p.label for p in paras]


REPORT = """I. Introduction

1. The present report covers developments.
2. The Mission did things:
(a) First item;
(b) Second item:
(i) roman one;
(ii) roman two;
(c) Third;
(d) d;
(e) e;
(f) f;
(g) g;
(h) h;
(i) letter i after h;
(j) letter j.

II. Political developments

A. Security situation

3. Numbered under a letter heading with a wrapped
line that continues here.
"""


def test_report_numbering_and_subitems():
    paras, labels = _labels(REPORT, resolution=False)
    numbered = [x for x in labels if x]
    assert numbered == ["1", "2", "2(a)", "2(b)", "2(b)(i)", "2(b)(ii)", "2(c)", "2(d)", "2(e)", "2(f)", "2(g)",
                        "2(h)", "2(i)", "2(j)", "3"]
    by = {p.label: p for p in paras if p.label}
    assert REPORT[by["2"].start:by["2"].end] == "2. The Mission did things:"  # lead-in only
    assert by["3"].heading == "A. Security situation" and by["1"].heading == "I. Introduction"
    assert by["2(b)(i)"].level == 3 and by["2"].level == 1
    assert all(p.part is None for p in paras)
    assert "wrapped\nline that continues" in REPORT[by["3"].start:by["3"].end]


RESOLUTION = """Resolution 9999 (2030)

The Security Council,

Recalling its previous resolutions,
Deeply concerned at the situation,
Acting under Chapter VII of the Charter of the United Nations,

  Mandate

1. Decides to extend the mandate until 30 April 2031;
2. Requests the Secretary-General to report.
"""


def test_resolution_preamble_and_operative():
    paras, labels = _labels(RESOLUTION)  # auto-detected as a resolution
    assert [x for x in labels if x] == ["PP1", "PP2", "PP3", "1", "2"]
    by = {p.label: p for p in paras if p.label}
    assert by["PP2"].part == "preamble" and by["1"].part == "operative"
    assert by["1"].heading == "Mandate"


def test_prose_paragraphs_unlabelled():
    text = "# Title\n\nFirst prose para\nwraps here.\n\nSecond para."
    paras, labels = _labels(text)
    assert labels == [None, None, None] and paras[0].heading == "# Title"


def test_empty_and_whitespace():
    assert parse_paragraphs("") == []
    assert parse_paragraphs("  \n \n") == []


@pytest.mark.shared
@pytest.mark.parametrize("rel", ["unsc-2025/text/resolutions/S_RES_2779.txt", "unsc-2025/text/s_documents/S_2025_403.txt",
                                 "unsc-resolutions-1946-1994/S_RES_0425_1978_EN_GOLD.txt",
                                 "unsc-resolutions-1946-1994/S_RES_0687_1991_EN_GOLD.txt"])
def test_shared_documents(shared_dir, rel):
    text = (shared_dir / "corpus" / rel).read_text(encoding="utf-8")
    paras, labels = _labels(text)
    nums = [int(x) for x in labels if x and x.isdigit()]
    assert nums[:4] == [1, 2, 3, 4]
    if "RES" in rel:
        assert "PP1" in labels
    if "2779" in rel:
        assert {"3(a)", "3(a)(i)", "3(d)(iv)"} <= set(labels) and max(nums) == 25
    if "687" in rel:
        assert "9(b)(iii)" in labels and max(nums) == 34
    if "403" in rel:
        assert any(p.heading == "II. Political developments" for p in paras)
        assert all(p.part is None for p in paras)


UNNUMBERED = """The Security Council,

Recalling its earlier decisions on the armistice,

Noting the complaints of both parties,

Endorses the requests of the Chief of Staff on this matter
and calls upon both Governments to comply with them;

Declares that both Governments must observe the
armistice agreement;

Noting further the complaint about the zone:

Decides that the residents should be allowed to return;

Directs the Chief of Staff to take the steps needed to
give effect to this resolution.
"""


def test_unnumbered_operative_paragraphs_are_counted_in_order():
    """Early resolutions carry no paragraph numbers: each new act after a blank line is the next
    paragraph, and a "Noting ..." lead-in opens the paragraph whose act follows it."""
    paras, labels = _labels(UNNUMBERED, resolution=True)
    assert [x for x in labels if x] == ["PP1", "PP2", "1", "2", "3", "4"]
    by = {p.label: UNNUMBERED[p.start:p.end] for p in paras if p.label}
    assert by["3"].startswith("Noting further") and "residents" in by["3"]
    assert by["4"].startswith("Directs the Chief of Staff")
