"""Regenerate ``sample/aar_ied_menaka.docx`` (a sample written for the missiongraph demo).

Run from the project root: ``python -m corpus.make_docx``.  The text lives here so the
Word file can be rebuilt and reviewed in a diff; document properties are fixed so a
rebuild only changes zip timestamps.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

TITLE = "After-action report: IED strike on a fuel convoy near Menaka, MINUSMA, 2023"
NOTE = ("SAMPLE - written for the missiongraph demo. Not an official United Nations "
        "after-action report: units, places and figures are illustrative.")
SECTIONS: list[tuple[str, list[str]]] = [
    ("Summary", [
        "On 17 June 2023 a MINUSMA fuel convoy of 14 contractor tankers and 6 escort "
        "vehicles struck an improvised explosive device 30 km west of Menaka. One "
        "tanker burned; its driver was killed and 3 peacekeepers were injured.",
    ]),
    ("Observations", [
        "The contractor changed the departure time by five hours without telling the "
        "escort company, so the convoy left before the route clearance team had finished.",
        "Tanker drivers were briefed in English only; several did not understand the "
        "immediate action drill and drove off the cleared track after the blast.",
        "Local herders had warned a civil affairs officer about strangers near the "
        "wadi two days earlier, but the warning was not passed to the convoy planners.",
    ]),
    ("Lessons learned", [
        "A convoy's timetable belongs to the escort commander, not to the contractor; "
        "any change must be agreed on the escort net.",
        "Community warnings are intelligence: they must reach the people who plan "
        "movements within hours, not days.",
        "Drills that drivers do not understand will not be followed under fire.",
    ]),
    ("Recommendations", [
        "Include in every fuel transport contract a clause that departure times are set "
        "by the escort commander and that drivers attend the pre-move brief.",
        "Brief contractor drivers in a language they speak and test the drill with a "
        "short rehearsal before departure.",
        "Create a shared threat log between civil affairs, the joint mission analysis "
        "centre and movement control, reviewed before each convoy.",
    ]),
]


def build(path: Path) -> Path:
    from docx import Document

    doc = Document()
    props = doc.core_properties
    props.title = TITLE
    props.author = "missiongraph sample"
    props.comments = NOTE
    props.subject = "MINUSMA"
    props.created = props.modified = datetime(2023, 6, 30, 12, 0, 0)
    props.last_modified_by = "missiongraph sample"
    props.revision = 1
    doc.add_heading(TITLE, level=1)
    doc.add_paragraph(NOTE).runs[0].italic = True
    doc.add_paragraph("Mission: MINUSMA. Date: 2023-06-30. Topic: IED threats, contractor communication.")
    for heading, paragraphs in SECTIONS:
        doc.add_heading(heading, level=2)
        style = "List Number" if heading in ("Observations", "Recommendations") else None
        for text in paragraphs:
            doc.add_paragraph(text, style=style)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build(Path(__file__).resolve().parent / "sample" / "aar_ied_menaka.docx"))
