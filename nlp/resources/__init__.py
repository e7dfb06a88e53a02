"""Data files of the NLP pipelines (curated abbreviation lists...), shipped as package data."""
