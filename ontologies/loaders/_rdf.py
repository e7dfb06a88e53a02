"""rdflib plumbing shared by the OWL and SKOS loaders (private: rdflib types stay in ``loaders``).

Parsing turns every parser failure into an OntologyFormatError naming the file, the line when the
parser reports one and the syntax expected. Python warnings that rdflib raises while parsing (an
ill-typed ``"maybe"^^xsd:boolean`` warns "Parsing weird boolean") are recorded and returned, to be
reported in ``OntologyRelease.warnings``: a user can fix them, and under ``-W error`` they would
otherwise abort a load that is still meaningful.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from xml.sax import SAXParseException

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from ontologies.curie import OBO_PURL, iri_to_curie, normalise_curie
from ontologies.errors import Errors, OntologyFormatError

# What each rdflib parser name reads, for "expected ..." in error messages.
SYNTAX_NAMES: dict[str, str] = {
    "xml": "well-formed RDF/XML",
    "turtle": "valid Turtle",
    "nt": "valid N-Triples",
    "n3": "valid Notation3",
    "json-ld": "valid JSON-LD",
}
# rdflib's RDF/XML parser prefixes its messages with "<base>:<line>:<column>: ".
_LOCATED_RE = re.compile(r":(?P<line>\d+):(?P<column>\d+): (?P<detail>.*)$", re.DOTALL)
_LOCAL_RE = re.compile(r"^[^\s/#?]+$")


def parse_rdf(path: Path, data: bytes, *, rdf_format: str) -> tuple[Graph, tuple[str, ...]]:
    """Parse ``data`` (the bytes of ``path``) as ``rdf_format`` into a graph.

    The graph binds only the prefixes the file declares (not rdflib's defaults), so that SKOS CURIEs
    are compacted with the file's own prefixes. Relative IRIs resolve against the file's URI.

    Returns:
        The graph and the messages of the Python warnings rdflib raised while parsing.

    Raises:
        OntologyFormatError: the parser rejected the file (E005), with the line when known.
    """
    graph = Graph(bind_namespaces="none")
    expected = SYNTAX_NAMES.get(rdf_format, rdf_format)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            graph.parse(data=data, format=rdf_format, publicID=path.resolve().as_uri())
        except SAXParseException as e:
            raise _error(path, rdf_format, e.getMessage(), expected, e.getLineNumber()) from e
        except BadSyntax as e:
            # BadSyntax.lines counts the newlines before the error: the 1-based line is one more.
            why = getattr(e, "_why", None) or str(e).strip().splitlines()[-1]
            raise _error(path, rdf_format, str(why), expected, e.lines + 1) from e
        except ParserError as e:
            located = _LOCATED_RE.search(str(e))
            if located:
                line = int(located.group("line"))
                raise _error(path, rdf_format, located.group("detail"), expected, line) from e
            raise _error(path, rdf_format, str(e), expected, None) from e
        except ValueError as e:  # JSONDecodeError (json-ld), UnicodeDecodeError, bad IRIs
            raise _error(path, rdf_format, str(e), expected, getattr(e, "lineno", None)) from e
    messages = tuple(f"{path}: rdflib: {warning.message}" for warning in caught)
    return graph, messages


def _error(path: Path, rdf_format: str, detail: str, expected: str, line: int | None) -> OntologyFormatError:
    message = Errors.E005.format(rdf_format=rdf_format, detail=f"{detail.strip()} (expected {expected})")
    return OntologyFormatError(message, path=path, line=line)


class Compactor:
    """IRIs to canonical CURIEs.

    OBO PURLs first (``…/obo/HP_0001627`` → ``HP:0001627``, even when the file binds ``obo:``),
    then the prefixes the file binds (longest namespace wins; the empty prefix is skipped), then the
    IRI bases ``ontologies.curie`` knows. A local part with ``/``, ``#`` or ``?`` is not compacted
    against a bound namespace: it would make an unreadable CURIE.
    """

    def __init__(self, graph: Graph | None = None) -> None:
        bindings: list[tuple[str, str]] = []
        if graph is not None:
            for prefix, namespace in graph.namespaces():
                if prefix and str(namespace) != OBO_PURL:
                    bindings.append((str(namespace), str(prefix)))
        self._bindings = sorted(bindings, key=lambda item: -len(item[0]))

    def curie(self, iri: str) -> str | None:
        """The canonical CURIE of ``iri``, or None when no prefix covers it."""
        if iri.startswith(OBO_PURL):
            obo = iri_to_curie(iri)
            if obo is not None:
                return obo
        for namespace, prefix in self._bindings:
            if iri.startswith(namespace):
                local = iri[len(namespace) :]
                if _LOCAL_RE.match(local):
                    try:
                        return normalise_curie(f"{prefix}:{local}")
                    except ValueError:
                        continue
        return iri_to_curie(iri)


def literals(graph: Graph, subject: Node, predicate: URIRef) -> Iterator[Literal]:
    """The literal objects of ``subject predicate ?o``, sorted for a deterministic order."""
    found = [obj for obj in graph.objects(subject, predicate) if isinstance(obj, Literal)]
    yield from sorted(found, key=lambda lit: (lit.language or "", str(lit)))


def iris(graph: Graph, subject: Node, predicate: URIRef) -> list[str]:
    """The IRI objects of ``subject predicate ?o`` as strings, sorted."""
    return sorted(str(obj) for obj in graph.objects(subject, predicate) if isinstance(obj, URIRef))


def first_text(graph: Graph, subject: Node, predicates: tuple[URIRef, ...]) -> str | None:
    """The first value (literal text or IRI) of the first predicate that has one, or None."""
    for predicate in predicates:
        values = sorted(
            str(obj).strip() for obj in graph.objects(subject, predicate) if not isinstance(obj, BNode)
        )
        values = [value for value in values if value]
        if values:
            return values[0]
    return None


def is_true(value: object) -> bool:
    """True for an RDF boolean literal written ``true`` or ``1`` (the lexical form, not toPython)."""
    return isinstance(value, Literal) and str(value).strip().lower() in ("true", "1")
