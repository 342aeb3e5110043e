"""Loading files, cutting passages and running the ingest pipeline into a graph store."""

from ingest.pipeline import IngestOptions, IngestReport, ingest_paths

__all__ = ["ingest_paths", "IngestOptions", "IngestReport"]
