"""Passage search: MiniLM embeddings, a FAISS index cached beside the store (rebuildable from
the stored vectors), BM25 via the store's FTS5 index, and reciprocal rank fusion.

Importing this package is cheap: torch, sentence-transformers and faiss load on first use.
"""

from search.embeddings import Embedder
from search.engine import MODES, index_store, search
from search.fusion import convex, minmax, rrf
from search.index import VectorIndex

__all__ = ["search", "Embedder", "VectorIndex", "index_store", "MODES", "rrf", "convex", "minmax"]
