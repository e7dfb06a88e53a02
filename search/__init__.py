"""How a query becomes ranked evidence: expansion through concept relations (``search.expansion``),
then, next, query understanding and scoring. Pure logic over data handed in by ``graph``."""
