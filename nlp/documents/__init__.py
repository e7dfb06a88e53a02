"""Readers of clinical documents (JSONL, plain text, brat, PubTator, FHIR R4) into ``DocumentRecord``s.

Every reader streams: it yields one ``DocumentRecord`` or ``Reject`` at a time, in input order, and
never raises for a bad record. Library types (fhir.resources models) stay inside this package.
"""

from __future__ import annotations

from nlp.documents.errors import DocumentFormatError
from nlp.documents.model import DocumentRecord, MetadataValue, Reject
from nlp.documents.readers import read_documents

__all__ = ["DocumentFormatError", "DocumentRecord", "MetadataValue", "Reject", "read_documents"]
