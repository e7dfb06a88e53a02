"""Everything Neo4j: schema, batched writers, repositories and the local Neo4j runtime.

Cypher lives in this package only, always parameterised. neo4j driver types (records, sessions,
errors) are converted here and never cross the package boundary.
"""
