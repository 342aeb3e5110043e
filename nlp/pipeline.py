"""spaCy pipeline components: the gazetteer matcher and resolution references.

``build_pipeline(model)`` loads only what extraction needs from the statistical model
(tok2vec + ner; parser, tagger, attribute ruler, lemmatizer and senter are excluded: the
NER does not use them and they cost about a third of the time), adds the rule-based
``sentencizer`` and our components.
Components also work on ``spacy.blank("en")`` for rule-only use and tests.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp import gazetteer
from nlp.symbols import find_resolution_refs

GAZ_KEY = "gazetteer"

if not Doc.has_extension("resolution_refs"):
    Doc.set_extension("resolution_refs", default=None)


@Language.factory("mg_gazetteer", default_config={})
class GazetteerMatcher:
    """Marks known actors as ``doc.spans["gazetteer"]``: label = entity type, kb_id = entity id.

    Acronyms and single words match by exact spelling, longer names ignore case; of
    overlapping matches the longest wins ("South Sudanese" over "Sudanese").
    """

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        exact, folded = {}, {}
        for surface, entry in gazetteer.patterns():
            table = exact if gazetteer.case_sensitive(surface) else folded
            table.setdefault(entry.id, []).append(surface)
        for table, matcher in ((exact, self.exact), (folded, self.folded)):
            for eid, surfaces in table.items():
                matcher.add(eid, list(nlp.tokenizer.pipe(surfaces)))

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for matcher in (self.exact, self.folded):
            for match_id, s, e in matcher(doc):
                eid = doc.vocab.strings[match_id]
                entry = gazetteer.get(eid)
                spans.append(Span(doc, s, e, label=entry.type, kb_id=eid))
        doc.spans[GAZ_KEY] = filter_spans(spans)
        return doc


@Language.component("mg_resolution_refs")
def resolution_refs_component(doc: Doc) -> Doc:
    """``doc._.resolution_refs``: every resolution reference (``ResolutionRef``) in the text."""
    doc._.resolution_refs = find_resolution_refs(doc.text)
    return doc


def add_components(nlp: Language) -> Language:
    """Add our components to ``nlp`` (idempotent)."""
    if "mg_gazetteer" not in nlp.pipe_names:
        nlp.add_pipe("mg_gazetteer", last=True)
    if "mg_resolution_refs" not in nlp.pipe_names:
        nlp.add_pipe("mg_resolution_refs", last=True)
    return nlp


def build_pipeline(model: str) -> Language:
    """The model with parser and lemmatizer off, sentences from ``senter``, plus our components."""
    import spacy

    from missiongraph.errors import ConfigError

    try:
        nlp = spacy.load(model, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler", "senter"])
    except OSError as e:
        raise ConfigError(f"spaCy model {model!r} is not installed (pip install {model.replace('_', '-')} "
                          f"or set MISSIONGRAPH_SPACY_MODEL)", input=model) from e
    if "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return add_components(nlp)
