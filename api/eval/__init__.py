"""Evaluation harness: entity linking, assertion (negation...) and search, each scored against gold.

Pure scoring (``metrics``, ``ir_metrics``) and gold readers (``gold``, ``beir``) have no I/O beyond
reading files; ``linking`` and ``assertion`` take an ``Annotator`` and a ``reachable`` function, and
``search`` takes rankers (query text → document ids), so they run offline in tests.
``search_systems`` builds the two rankers of ``healthsearch eval search`` over the graph; only
``api.cli`` wires them.
"""
