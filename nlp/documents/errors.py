"""Coded messages and errors of the document readers (spaCy's Errors.E### idea).

``Errors`` are raised (bad call: the input cannot be read at all); ``Reasons`` are the texts of
``Reject``s (one bad record: reading goes on). Neither ever quotes document text.
"""

from __future__ import annotations


class Errors:
    E001 = "Unknown document format {format!r}; expected one of: {known}."
    E002 = "Path not found: {path}."
    E003 = "Format {format!r} reads {expected}, but {path} is not one."
    E004 = "max_chars must be a positive integer, got {value!r}."


class Reasons:
    R001 = "Empty text (nothing but whitespace)."
    R002 = "Undecodable bytes (not {encoding}) at byte {position}: {detail}."
    R003 = "Record has no id."
    R004 = "Text too long: {size} characters, over the limit of {limit}."
    R005 = "Text too long: {size} bytes, over the limit of {limit} characters."
    R006 = "Invalid JSON: {detail}."
    R007 = "Invalid FHIR {resource_type} resource (id {resource_id!r}): {detail}."
    R008 = "Duplicate id {record_id!r} (first read at {first})."
    R009 = "Malformed record: {detail}."
    R010 = "Invalid date {value!r}: expected an ISO 8601 date or datetime."
    R011 = "No inline text in FHIR {resource_type}: {detail}."


class DocumentFormatError(ValueError):
    """The input cannot be read at all: missing path, unknown format, wrong kind of path, bad option."""
