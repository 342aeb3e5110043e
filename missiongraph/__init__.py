"""missiongraph: offline knowledge graph and lessons-learned search for peace operations.

The application layer (CLI, settings, error tree) lives here; the library is split
into ``kg`` (graph store), ``ingest`` (loading and pipeline), ``nlp`` (extraction),
``search`` (embeddings and ranking) and ``webapp`` (Flask UI and JSON API).
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
