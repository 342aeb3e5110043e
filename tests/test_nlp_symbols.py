"""Symbols, resolution references and dates."""

from __future__ import annotations

import pytest

from missiongraph.errors import InputError
from nlp.symbols import (find_dates, find_resolution_refs, format_resolution, normalise_document_symbol,
                         parse_date, parse_resolution_input, symbol_from_filename)


@pytest.mark.parametrize("s, want", [("425", (425, None)), ("425 (1978)", (425, 1978)), ("S/RES/425(1978)", (425, 1978)),
                                     ("s/res/425 (1978)", (425, 1978)), ("resolution 425", (425, None))])
def test_parse_resolution_input(s, want):
    assert parse_resolution_input(s) == want


def test_formats():
    assert format_resolution(425, 1978) == "S/RES/425 (1978)"
    assert normalise_document_symbol("s/2025/403") == "S/2025/403"
    assert normalise_document_symbol("S/2025/10/Add.31") == "S/2025/10/Add.31"


def test_bad_input_raises():
    with pytest.raises(InputError):
        parse_resolution_input("hello")
    with pytest.raises(InputError, match="not a date"):
        parse_date("31 February 2025")


@pytest.mark.parametrize("s, iso", [("30 April 2026", "2026-04-30"), ("8 May 2025", "2025-05-08"),
                                    ("19 March 1978", "1978-03-19"), ("April 30, 2026", "2026-04-30"),
                                    ("2026-04-30", "2026-04-30")])
def test_parse_date(s, iso):
    assert parse_date(s) == iso


def test_find_dates_offsets():
    text = "on 8 May 2025 and April 30, 2026"
    assert [(d, text[a:b]) for d, a, b in find_dates(text)] == [("2025-05-08", "8 May 2025"),
                                                             ("2026-04-30", "April 30, 2026")]


def test_find_resolution_refs():
    text = ("recalling resolutions 2459 (2019), 2514 (2020) and 2567 (2021), submitted pursuant to paragraph 49 of "
            "Security Council\nresolution 2765 (2024) and S/RES/425 (1978); resolutions 2709 (2023) and 2765 (2024); "
            "paragraph 3 (c) of resolution 2779 (2025)")
    refs = find_resolution_refs(text)
    assert [r.symbol for r in refs] == ["S/RES/2459 (2019)", "S/RES/2514 (2020)", "S/RES/2567 (2021)",
                                        "S/RES/2765 (2024)", "S/RES/425 (1978)", "S/RES/2709 (2023)",
                                        "S/RES/2765 (2024)", "S/RES/2779 (2025)"]
    assert refs[3].paragraph == "49" and refs[-1].paragraph == "3(c)" and refs[0].paragraph is None
    assert text[refs[1].start:refs[1].end] == "2514 (2020)"


@pytest.mark.parametrize("name, sym", [("S_RES_2779.txt", "S/RES/2779"), ("S_2025_403.txt", "S/2025/403"),
                                       ("S_RES_0425_1978_EN_GOLD.txt", "S/RES/425 (1978)"),
                                       ("/x/S_2025_10_Add.31.en.pdf", "S/2025/10/Add.31"), ("notes.txt", None)])
def test_symbol_from_filename(name, sym):
    assert symbol_from_filename(name) == sym
