# Everything bootstraps from a bare python3: uv goes into .tools/, the project
# and its pinned development tools into .venv/ (from the committed uv.lock).
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
SYNCED := $(VENV)/.synced
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Bytecode caches are what keep a warm run fast: Python's own .pyc files and pytest's
# rewritten test modules (a shell that sets this would recompile ~200 modules every run).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install lock generate check test test-slow hostile demo bench conformance e2e ui-check docs docs-check docs-serve clean

install: $(SYNCED)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

$(SYNCED): $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet --python "$$(command -v $(PYTHON))"
	touch $@

## Re-resolve uv.lock after changing dependencies in pyproject.toml.
lock: $(UV)
	$(UV) lock --python "$$(command -v $(PYTHON))"

## Regenerate ziett_client/ and ziett/_constraints.py from openapi.yaml.
generate: $(SYNCED)
	$(BIN)/python scripts/generate.py

## Spec validity, no drift between the spec and the generated code, lint and types.
check: $(SYNCED)
	$(BIN)/python -m openapi_spec_validator openapi.yaml
	$(BIN)/python scripts/check_generated.py
	$(BIN)/ruff check ziett tests scripts conformance examples bench
	$(BIN)/ruff format --check ziett tests scripts conformance examples bench
	$(BIN)/mypy
	$(BIN)/lint-imports --config .importlinter
	$(BIN)/python scripts/verify_types.py

## The whole test suite (starts its own Redis server: installs redis-server when missing).
test: $(SYNCED)
	scripts/need.sh redis-server:redis-server
	$(BIN)/python -m pytest -n 3 --dist loadfile

## The slow tests: regeneration from scratch, the recipes' subprocess runs, Ctrl+C and resume.
test-slow: $(SYNCED)
	ZIETT_SLOW=1 $(BIN)/python -m pytest -n 2 --dist loadfile tests/slow

## The hostile-server suite with many more examples (`make test` runs a few fixed ones).
hostile: $(SYNCED)
	ZIETT_HOSTILE_PROFILE=hostile-long $(BIN)/python -m pytest -n 2 tests/hostile

## Heavy end-to-end scenarios in subprocesses: SIGKILL and resume, a Redis fleet, a real terminal.
e2e: $(SYNCED)
	scripts/need.sh redis-server:redis-server tmux:tmux
	ZIETT_E2E=1 $(BIN)/python -m pytest tests/e2e

## The sandbox's inbox in a real browser (headless Chromium): installs chromium when missing.
ui-check: $(SYNCED)
	scripts/need.sh chromium:chromium
	$(BIN)/python scripts/ui_check.py

## The documentation site into site/, warnings as errors.
docs: $(SYNCED)
	$(UV) sync --frozen --quiet --group docs --python "$$(command -v $(PYTHON))"
	$(BIN)/python scripts/build_docs.py

## The built site in a real browser (headless Chromium): home page, a reference page, search.
docs-check: docs
	scripts/need.sh chromium:chromium
	$(BIN)/python scripts/docs_check.py

## Serve the built documentation on http://127.0.0.1:8000/.
docs-serve: docs
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory site 8000

## The main job (send, 1,000-recipient batch, paginated listing) against the local sandbox.
demo: $(SYNCED)
	$(BIN)/python examples/demo.py

## schemathesis against the sandbox server, and every SDK call against Prism's validating mock.
conformance: $(SYNCED)
	$(BIN)/python conformance/run.py

## Benchmarks against raw httpx (and the openai client), written to bench/RESULTS.md.
bench: $(SYNCED)
	$(UV) sync --frozen --quiet --group bench --python "$$(command -v $(PYTHON))"
	$(BIN)/python -m bench.run

clean:
	rm -rf $(TOOLS) $(VENV)
