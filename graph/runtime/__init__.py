"""The local Neo4j runtime (see ``graph.runtime.local``)."""
