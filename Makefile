# Two commands set everything up on a fresh machine with Python 3.11+:
#   make start   - create .venv, install the course, open JupyterLab on the first notebook
#   make test    - the same set-up, then lint, type-check and the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: start test setup clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("meso-training needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
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
