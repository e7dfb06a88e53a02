"""Hand-made concepts for integration tests of mappings and evaluation."""

from __future__ import annotations

from ontologies.model import Concept, Label, Mapping, MappingPredicate


def concept(
    curie: str, *xrefs: str, label: str | None = None, obsolete: bool = False, parents: tuple[str, ...] = ()
) -> Concept:
    """A concept of source "tst" cross-referencing ``xrefs``, labelled with its curie unless told."""
    return Concept(
        curie=curie,
        iri=f"http://example.org/{curie}",
        source="tst",
        labels=(Label(label or curie, "en"),),
        xrefs=tuple(Mapping(curie, MappingPredicate.XREF, target, "tst") for target in xrefs),
        obsolete=obsolete,
        parents=parents,
    )
