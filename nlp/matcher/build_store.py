"""Where a lexicon build keeps its keys and terms: a temporary SQLite file, not dicts.

Why: in dicts (token tuples → lists of term tuples) a build held ~700 bytes of Python objects per term,
2.2 GiB at three million terms (``docs/benchmarks.md``), and UMLS-size lexicons have several million.
Here each indexed term is a row on disk; what a build holds in memory is SQLite's page cache
(``CACHE_KIB``), the rows waiting in a batch, and, while freezing, the flat arrays the lexicon is made
of anyway. The file lives in a temporary folder removed by :meth:`BuildStore.close`.

Rows keep build order (their ``seq``): a key's terms come back in the order they were indexed, which
breaks the last ties between candidates.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nlp.matcher.errors import Errors, MatcherBuildError
from nlp.matcher.lexicon import Term

CACHE_KIB = 64 * 1024  # SQLite's page cache: the build's memory, whatever the lexicon's size
BATCH = 20_000  # rows written per executemany
# A scratch file: nothing to recover after a crash, so no journal and no fsync.
PRAGMAS = ("journal_mode = OFF", "synchronous = OFF", f"cache_size = -{CACHE_KIB}")

_TABLES = """
CREATE TABLE term_rows (row INTEGER PRIMARY KEY, curie TEXT NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE postings (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, term INTEGER NOT NULL);
CREATE TABLE acronyms (seq INTEGER PRIMARY KEY, raw TEXT NOT NULL, term INTEGER NOT NULL);
CREATE TABLE concept_keys (seq INTEGER PRIMARY KEY, curie TEXT NOT NULL, key TEXT NOT NULL);
CREATE TABLE broader (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, curie TEXT NOT NULL, text TEXT NOT NULL,
                      UNIQUE (key, curie));
CREATE TABLE labels (curie TEXT PRIMARY KEY, text TEXT NOT NULL);
"""
# Built once the entries are in (an index kept up during bulk inserts costs more than one built after).
_READ_INDEXES = """
CREATE INDEX IF NOT EXISTS postings_key ON postings (key);
CREATE INDEX IF NOT EXISTS concept_keys_curie ON concept_keys (curie);
"""
# Distinct indexed terms, numbered from 0 in build order, and each term row's number.
_NUMBER_TERMS = """
CREATE TABLE used (row INTEGER PRIMARY KEY);
INSERT OR IGNORE INTO used SELECT term FROM postings;
INSERT OR IGNORE INTO used SELECT term FROM acronyms;
CREATE TABLE terms (id INTEGER PRIMARY KEY, curie TEXT, text TEXT, kind TEXT, UNIQUE (curie, text, kind));
INSERT OR IGNORE INTO terms (id, curie, text, kind)
  SELECT NULL, r.curie, r.text, r.kind FROM term_rows r JOIN used USING (row) ORDER BY r.row;
CREATE TABLE term_of_row (row INTEGER PRIMARY KEY, id INTEGER NOT NULL);
INSERT INTO term_of_row
  SELECT r.row, t.id - 1 FROM term_rows r JOIN used USING (row)
  JOIN terms t ON t.curie = r.curie AND t.text = r.text AND t.kind = r.kind;
"""
_INSERT = {
    "term_rows": "INSERT INTO term_rows (row, curie, text, kind) VALUES (?, ?, ?, ?)",
    "postings": "INSERT INTO postings (key, term) VALUES (?, ?)",
    "acronyms": "INSERT INTO acronyms (raw, term) VALUES (?, ?)",
    "concept_keys": "INSERT INTO concept_keys (curie, key) VALUES (?, ?)",
    "broader": "INSERT OR IGNORE INTO broader (key, curie, text) VALUES (?, ?, ?)",
    "labels": "INSERT OR IGNORE INTO labels (curie, text) VALUES (?, ?)",
}


def scratch_error(error: Exception) -> MatcherBuildError:
    """The error to raise when the scratch file cannot be created or written, naming its folder."""
    return MatcherBuildError(Errors.E003.format(folder=tempfile.gettempdir(), error=error))


class BuildStore:
    """The rows of one lexicon build; write with :meth:`add`, read after :meth:`flush` (reads flush).

    Failing to create it raises :class:`~nlp.matcher.errors.MatcherBuildError`; its SQLite errors
    later (disk full, among others) become one in the matcher's build (see :func:`scratch_error`).
    """

    def __init__(self) -> None:
        try:
            self._folder = tempfile.TemporaryDirectory(prefix="healthsearch-lexicon-")
        except OSError as error:
            raise scratch_error(error) from error
        self._db = sqlite3.connect(Path(self._folder.name) / "build.sqlite", isolation_level=None)
        try:
            for pragma in PRAGMAS:
                self._db.execute(f"PRAGMA {pragma}")
            self._db.executescript(_TABLES)
            # One transaction for the whole build: committing every executemany row by row cost
            # ~10 µs a row. Reads inside it see the rows written.
            self._db.execute("BEGIN")
        except sqlite3.Error as error:
            self.close()
            raise scratch_error(error) from error
        self._pending: dict[str, list[tuple[Any, ...]]] = {table: [] for table in _INSERT}
        self._indexed = False
        self._rows = 0  # term rows added

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()

    # Writes, batched.

    def add_term(self, term: Term) -> int:
        """A new term row (one per indexing of a term); returns its row number."""
        row = self._rows
        self._rows += 1
        self.add("term_rows", (row, *term))
        return row

    def add(self, table: str, values: tuple[Any, ...]) -> None:
        """Queue a row for ``postings`` (key, term row), ``acronyms`` (raw, term row), ``concept_keys``
        (curie, key), ``broader`` (key, curie, text; the first per key and curie kept) or ``labels``
        (curie, text; the first kept)."""
        pending = self._pending[table]
        pending.append(values)
        if len(pending) >= BATCH:
            self._db.executemany(_INSERT[table], pending)
            pending.clear()

    def flush(self) -> None:
        for table, pending in self._pending.items():
            if pending:
                self._db.executemany(_INSERT[table], pending)
                pending.clear()
        if not self._indexed:
            self._script(_READ_INDEXES)
            self._indexed = True

    # Reads during the build.

    def terms(self, key: str) -> list[Term]:
        """The terms indexed under ``key`` (joined), in build order."""
        self.flush()
        query = (
            "SELECT r.curie, r.text, r.kind FROM postings p JOIN term_rows r ON r.row = p.term"
            " WHERE p.key = ? ORDER BY p.seq"
        )
        return [(curie, text, kind) for curie, text, kind in self._db.execute(query, (key,))]

    def has_key(self, key: str) -> bool:
        self.flush()
        return self._db.execute("SELECT 1 FROM postings WHERE key = ? LIMIT 1", (key,)).fetchone() is not None

    def concept_keys(self, curie: str) -> list[str]:
        """The keys (joined) ``curie``'s terms are indexed under, in build order."""
        self.flush()
        query = "SELECT key FROM concept_keys WHERE curie = ? ORDER BY seq"
        return [key for (key,) in self._db.execute(query, (curie,))]

    def label(self, curie: str) -> str | None:
        self.flush()
        found = self._db.execute("SELECT text FROM labels WHERE curie = ?", (curie,)).fetchone()
        return None if found is None else str(found[0])

    def broader_groups(self) -> Iterator[tuple[str, list[tuple[str, str]]]]:
        """``(key, [(curie, text), ...])`` of the subtype-free names, keys and concepts in build order.

        The caller may write postings meanwhile: the cursor reads another table.
        """
        query = (
            "SELECT b.key, b.curie, b.text FROM broader b"
            " JOIN (SELECT key, MIN(seq) AS first FROM broader GROUP BY key) f USING (key)"
            " ORDER BY f.first, b.seq"
        )
        key = ""
        group: list[tuple[str, str]] = []
        for row_key, curie, text in self._stream(query):
            if row_key != key and group:
                yield key, group
                group = []
            key = row_key
            group.append((curie, text))
        if group:
            yield key, group

    # Reads while freezing, after :meth:`number_terms`: terms are numbered from 0, distinct
    # (curie, text, kind) among those indexed under a key or an abbreviation, in build order.

    def number_terms(self) -> None:
        """Number the distinct indexed terms; once, after the last write."""
        self.flush()
        self._script(_NUMBER_TERMS)

    def term_table(self) -> Iterator[Term]:
        """Every numbered term, in number order."""
        return self._stream("SELECT curie, text, kind FROM terms ORDER BY id")

    def known_curies(self) -> Iterator[str]:
        """The concepts of the numbered terms, once each."""
        return (curie for (curie,) in self._stream("SELECT DISTINCT curie FROM terms"))

    def numbered(self) -> int:
        """How many terms are numbered."""
        self.flush()
        return int(self._db.execute("SELECT COUNT(*) FROM terms").fetchone()[0])

    def texts(self) -> Iterator[str]:
        return (text for (text,) in self._stream("SELECT DISTINCT text FROM terms"))

    def kinds(self) -> list[str]:
        return [kind for (kind,) in self._stream("SELECT DISTINCT kind FROM terms ORDER BY kind")]

    def keys(self) -> Iterator[str]:
        return (key for (key,) in self._stream("SELECT DISTINCT key FROM postings"))

    def acronyms(self) -> Iterator[str]:
        return (raw for (raw,) in self._stream("SELECT DISTINCT raw FROM acronyms"))

    def key_postings(self) -> Iterator[tuple[str, int]]:
        """``(key, term number)`` of every posting, in build order."""
        query = "SELECT p.key, n.id FROM postings p JOIN term_of_row n ON n.row = p.term ORDER BY p.seq"
        return self._stream(query)

    def acronym_postings(self) -> Iterator[tuple[str, int]]:
        """``(abbreviation, term number)`` of every acronym, in build order."""
        query = "SELECT a.raw, n.id FROM acronyms a JOIN term_of_row n ON n.row = a.term ORDER BY a.seq"
        return self._stream(query)

    def known_concept_keys(self) -> Iterator[tuple[str, str]]:
        """``(curie, key)`` of the numbered terms' concepts, each pair once."""
        query = "SELECT DISTINCT curie, key FROM concept_keys WHERE curie IN (SELECT curie FROM terms)"
        return self._stream(query)

    def _script(self, script: str) -> None:
        # Not executescript: it commits first, ending the build's transaction.
        for statement in script.split(";"):
            if statement.strip():
                self._db.execute(statement)

    def _stream(self, query: str) -> Iterator[Any]:
        self.flush()
        cursor = self._db.execute(query)
        while rows := cursor.fetchmany(BATCH):
            yield from rows
