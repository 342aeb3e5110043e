"""The Neo4j backend over Bolt (also runs on FalkorDB's Bolt endpoint).  ``neo4j`` is imported
only when a store is opened, so the CLI starts fast without it."""

from kg.bolt.store import BoltStore

__all__ = ["BoltStore"]
