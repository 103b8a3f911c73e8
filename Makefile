# regassist developer commands. Every target sets up the venv itself (torch first, see
# ../shared/guides/stack.md), so a fresh clone needs nothing but python3 and make.
PY        ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
STAMP     := $(VENV)/.installed-stamp
DATA_DIR  ?= data
PORT      ?= 8501
PYTEST_ARGS ?=
# `make test` spreads the suite over this many pytest-xdist workers (2 = CI's cores; 0 runs it in one process)
TEST_WORKERS ?= 2
ADGM_DIR  ?= /tmp/regassist-adgm

.DEFAULT_GOAL := help
.PHONY: help install browser-deps index app test test-fast eval eval-real bench ranker answerability lint format clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q torch==2.13.0 2>&1 | grep -v '^WARNING: Location' || true
	$(BIN)/python -m pip install -q -e ".[dev]" 2>&1 | grep -v '^WARNING: Location' || true
	$(BIN)/python -c "import torch, sentence_transformers, chromadb, bm25s, xdist, assistant.cli"
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install regassist with its pinned dependencies

index: $(STAMP) ## Build the index of the bundled corpus into $(DATA_DIR), or bring it up to date (a no-op when nothing changed)
	$(BIN)/regassist ingest corpus --data-dir "$(DATA_DIR)"

app: index ## Set up, build or update the index of the bundled corpus, and serve the app on http://localhost:$(PORT)
	REGASSIST_DATA_DIR="$(DATA_DIR)" $(BIN)/streamlit run app.py --server.headless true \
		--browser.gatherUsageStats false --server.fileWatcherType none --server.port $(PORT) --server.address 127.0.0.1

browser-deps: ## Install Debian's Chromium for the browser tests (needs root or sudo)
	@if command -v chromium >/dev/null 2>&1; then echo "chromium present"; else \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
		command -v chromium >/dev/null 2>&1 || { echo "could not install chromium"; exit 1; }; fi

test: $(STAMP) browser-deps ## Set up (venv, Chromium), then run the whole test suite on TEST_WORKERS (default 2) pytest-xdist workers
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-fast: $(STAMP) ## Unit tests only (not slow, integration or browser): the edit-test loop, under a minute
	$(BIN)/python -m pytest -m "not slow and not integration and not browser" $(PYTEST_ARGS)

eval: index ## Run the golden eval suite (all metrics; LLM judge if REGASSIST_JUDGE__* is set), then the blind founder set, and write the reports
	$(BIN)/regassist eval --data-dir "$(DATA_DIR)" --report "$(DATA_DIR)/eval-report"
	$(BIN)/regassist eval evals/datasets/founder_blind.yaml --no-policy --data-dir "$(DATA_DIR)" --report "$(DATA_DIR)/eval-report-founder"

eval-real: $(STAMP) ## ADGM track: 40 real rulebooks, check split, ours vs BM25 (index in $(ADGM_DIR)/full, report in $(DATA_DIR)/eval-real)
	$(BIN)/regassist eval --track adgm --all --split check --data-dir "$(ADGM_DIR)/full" --report "$(DATA_DIR)/eval-real"

bench: $(STAMP) ## Benchmark ingest/search/ask/memory against a plain llama-index pipeline (bench-results/)
	$(BIN)/python -m evals.bench --out bench-results

ranker: $(STAMP) ## Refit the learned re-ranker on the ADGM tune split (passage vectors cached in /tmp/regassist-lab)
	$(BIN)/python -m evals.real.retrieval_lab prepare
	$(BIN)/python -m evals.real.retrieval_lab embed
	$(BIN)/python -m evals.real.ltr

answerability: $(STAMP) ## Refit both answerability models on the ADGM tune split: the slice (RRF regime, with the golden questions), then all 40 documents (re-ranked regime)
	$(BIN)/python -m evals.real.fit_answerability --index "$(ADGM_DIR)/slice"
	$(BIN)/python -m evals.real.fit_answerability --regime ranked --docs all --index "$(ADGM_DIR)/full" \
		--answer-rate 0.92 --cache /tmp/regassist-answerability/rows-ranked.json

lint: $(STAMP) ## ruff (lint + format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP) ## Apply ruff formatting and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## Remove the venv, caches and the default data directory
	rm -rf $(VENV) $(DATA_DIR) .pytest_cache .mypy_cache .ruff_cache
