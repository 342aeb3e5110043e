# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_STORE ?= demo-data
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install test demo bench clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# torch pinned first: the CPU build of 2.13.0 (see README for machines without it on disk)
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[test]'
	# OCR of scanned PDF pages: Debian's tesseract-ocr where the machine lets us install it (root, apt);
	# without it a scanned PDF fails with a clear needs-OCR error and the OCR tests skip
	command -v tesseract >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
		timeout 300 apt-get install -y -q --no-install-recommends tesseract-ocr >/dev/null 2>&1; } || \
		echo "note: tesseract-ocr not installed; scanned PDFs will need OCR first"
	touch $(STAMP)

install: $(STAMP)

test: install
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

demo: install
	$(BIN)/missiongraph --store $(DEMO_STORE) ingest corpus/sample
	$(BIN)/missiongraph --store $(DEMO_STORE) serve --host 127.0.0.1 --port 5000

bench: install
	$(BIN)/python bench/ingest_search.py

clean:
	rm -rf $(VENV) $(DEMO_STORE) *.egg-info .pytest_cache
