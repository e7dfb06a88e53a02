"""The command line starts without the NLP stack: commands that never annotate must not pay for it."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_command_line_leaves_spacy_unloaded() -> None:
    # spaCy and its French tokenizer exceptions cost ~5 s to import; `healthsearch ontologies load`,
    # `neo4j start` and `--help` use none of it. A new process, since this one may have spaCy already.
    probe = "import sys, api.cli; print(sorted(m for m in ('spacy', 'edsnlp', 'torch') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
