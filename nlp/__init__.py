"""Clinical NLP: spaCy pipelines for French and English that emit ``Mention``s (see ``nlp.model``).

Imports no Neo4j or Flask; spaCy types stay inside this package.
"""
