"""Compact identifiers (CURIEs) and IRIs: one normal form for every source.

Sources spell the same prefix differently (``MSH``/``MESH``, ``UMLS_CUI``/``UMLS``,
``ICD10CM``/``ICD10CM``); one canonical spelling lets mappings from different files meet on
the same stub concept.
"""

from __future__ import annotations

import re

OBO_PURL = "http://purl.obolibrary.org/obo/"

# Canonical prefix for the spellings met in HPO, DOID, Biomappings and the corpora.
_PREFIX_SYNONYMS: dict[str, str] = {
    "MSH": "MESH",
    "MESH": "MESH",
    "UMLS_CUI": "UMLS",
    "UMLS": "UMLS",
    "SNOMEDCT_US": "SNOMEDCT",
    "SNOMEDCT": "SNOMEDCT",
    "SNOMED_CT": "SNOMEDCT",
    "SCTID": "SNOMEDCT",
    "OMIM": "OMIM",
    "MIM": "OMIM",
    "ORPHA": "ORPHANET",
    "ORDO": "ORPHANET",
    "ORPHANET": "ORPHANET",
    "NCI": "NCIT",
    "NCIT": "NCIT",
    "ICD10": "ICD10",
    "ICD10WHO": "ICD10",
    "ICD10CM": "ICD10CM",
    "ICD9CM": "ICD9CM",
    "ICD9CM_2005": "ICD9CM",  # Symptom Ontology xrefs: the 2005 edition of the same codes
    "ICD-10": "ICD10",
    "CIM-10": "CIM10",
    "CIM10": "CIM10",
    "ORPHANET.ORDO": "ORPHANET",  # bioregistry's name for the ORDO ontology (same ids)
    "HP": "HP",
    "DOID": "DOID",
    "MONDO": "MONDO",
}

# Non-OBO prefixes whose IRIs we can state (identifiers.org/bioregistry style).
_IRI_BASES: dict[str, str] = {
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "UMLS": "http://linkedlifedata.com/resource/umls/id/",
    "SNOMEDCT": "http://snomed.info/id/",
    "OMIM": "https://omim.org/entry/",
    "ORPHANET": "http://www.orpha.net/ORDO/Orphanet_",
    "NCIT": OBO_PURL + "NCIT_",
    "ICD10": "http://id.who.int/icd/release/10/",
    "CIM10": "https://healthsearch.local/cim10/",
    "ATC": "http://www.whocc.no/atc_ddd_index/?code=",
}

# DOID stamps its SNOMED CT xrefs with the edition ("SNOMEDCT_US_2016_03_01:...", and
# "SNOMEDCT_2005_07_31" in older synonym refs); the code is the same concept across editions.
_DATED_SNOMED_RE = re.compile(r"^SNOMEDCT(?:_US)?_\d{4}_\d{2}_\d{2}$")

_CURIE_RE = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z0-9_.\-]*):(?P<local>\S+)$")
_OBO_IRI_RE = re.compile(
    r"^http://purl\.obolibrary\.org/obo/(?P<prefix>[A-Za-z][A-Za-z0-9]*)_(?P<local>\S+)$"
)


def normalise_prefix(prefix: str) -> str:
    """The canonical spelling of ``prefix`` (upper case, synonyms folded)."""
    upper = prefix.strip().upper()
    canonical = _PREFIX_SYNONYMS.get(upper)
    if canonical is not None:
        return canonical
    if _DATED_SNOMED_RE.match(upper):
        return "SNOMEDCT"
    return upper


def is_curie(text: str) -> bool:
    """True when ``text`` has the ``PREFIX:local`` shape (no IRI scheme)."""
    match = _CURIE_RE.match(text)
    return match is not None and not match.group("local").startswith("//")


def normalise_curie(text: str) -> str:
    """``text`` as a canonical CURIE; raises ValueError when it is not a CURIE.

    ``MSH:D003920`` → ``MESH:D003920``; ``OMIM:125853`` unchanged; an OBO PURL becomes its CURIE.
    """
    text = text.strip()
    obo = _OBO_IRI_RE.match(text)
    if obo:
        return f"{normalise_prefix(obo.group('prefix'))}:{obo.group('local')}"
    match = _CURIE_RE.match(text)
    if match is None or match.group("local").startswith("//"):
        raise ValueError(f"not a CURIE: {text!r}")
    return f"{normalise_prefix(match.group('prefix'))}:{match.group('local')}"


def curie_to_iri(curie: str) -> str:
    """The IRI of a canonical CURIE: OBO PURL for OBO prefixes, a known base otherwise."""
    prefix, _, local = curie.partition(":")
    base = _IRI_BASES.get(prefix)
    if base is not None:
        return base + local
    return f"{OBO_PURL}{prefix}_{local}"


def iri_to_curie(iri: str) -> str | None:
    """The CURIE of an OBO PURL or a known IRI base, or None when the IRI is not recognised."""
    obo = _OBO_IRI_RE.match(iri)
    if obo:
        return f"{normalise_prefix(obo.group('prefix'))}:{obo.group('local')}"
    for prefix, base in _IRI_BASES.items():
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base) :]}"
    return None
