"""Terminologies parsed into plain frozen dataclasses (see ``ontologies.model``).

Imports no Neo4j, spaCy or Flask: an import-linter contract keeps it so.
"""
