"""Evaluation harness: entity linking and assertion (negation...) scored against gold corpora.

Pure scoring (``metrics``) and gold readers (``gold``) have no I/O beyond reading files; ``linking``
and ``assertion`` take an ``Annotator`` and a ``reachable`` function, so they run offline in tests.
Only ``api.cli`` wires them to the graph.
"""
