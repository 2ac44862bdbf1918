# Phối hợp — the two commands that matter: `make demo` and `make test`.
# Everything the project needs is installed from here (Python packages into .venv; system
# packages with apt-get when run as root and they are missing).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PHOIHOP := $(VENV)/bin/phoihop
STAMP := $(VENV)/.installed
ADDR ?= 127.0.0.1:8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/phoihop
# gettext: translation catalogues; fonts-liberation2 + pango: PDF (WeasyPrint, Times-compatible font
# with Vietnamese glyphs); hunspell-vi: spelling lint; poppler-utils: PDF checks in tests;
# libreoffice-writer-nogui + antiword: legacy .doc import and DOCX conversion checks;
# chromium: browser tests (Playwright drives Debian's Chromium; no browser download).
# tesseract-ocr + tesseract-ocr-vie: OCR of scanned PDFs and page photos on import.
SYSTEM_PACKAGES ?= gettext fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0 hunspell-vi \
	poppler-utils antiword libreoffice-writer-nogui chromium tesseract-ocr tesseract-ocr-vie

.PHONY: demo serve test bench install system-deps lint messages clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): $(PY) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# System packages: installed when missing and we are root; otherwise say what is missing.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing"; \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
	      || echo "WARNING: could not install:$$missing (tests that need them will be skipped)"; \
	  else \
	    echo "WARNING: missing system packages:$$missing (install them as root; tests that need them will be skipped)"; \
	  fi; \
	fi

demo: install
	$(PHOIHOP) migrate --no-input
	$(PHOIHOP) demo $(ADDR)

# A real installation: no demo data; an empty database starts at the first-run page (/setup/).
serve: install
	$(PHOIHOP) migrate --no-input
	$(PHOIHOP) serve $(ADDR)

lint: install
	$(VENV)/bin/ruff check phoihop tests
	$(VENV)/bin/ruff format --check phoihop tests

test: install system-deps lint
	$(PHOIHOP) makemigrations --check --dry-run
	PHOIHOP_VAR_DIR=$(CURDIR)/var/test-sqlite DATABASE_URL= $(PY) -m pytest -q
	@if [ -n "$$PHOIHOP_TEST_DATABASE_URL" ] || $(PY) -c "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1',5432)))"; then \
	  url="$${PHOIHOP_TEST_DATABASE_URL:-$(PG_URL)}"; \
	  echo "== PostgreSQL pass on $$url"; \
	  PHOIHOP_VAR_DIR=$(CURDIR)/var/test-pg DATABASE_URL="$$url" $(PY) -m pytest -q --ignore=tests/core; \
	else \
	  echo "== SKIPPED the PostgreSQL pass: nothing answers on 127.0.0.1:5432 and PHOIHOP_TEST_DATABASE_URL is not set"; \
	fi

bench: install system-deps
	$(PHOIHOP) bench

messages: install
	cd phoihop && PHOIHOP_VAR_DIR=$(CURDIR)/var ../$(PHOIHOP) makemessages -l en --no-obsolete --add-location=file
	cd phoihop && PHOIHOP_VAR_DIR=$(CURDIR)/var ../$(PHOIHOP) compilemessages

clean:
	rm -rf $(VENV) var/test-sqlite var/test-pg .pytest_cache
