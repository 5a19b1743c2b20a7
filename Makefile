# The README's two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: demo test serve bench debian-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

# Debian packages the tests drive: a real browser, the PDF tools, Saxon-HE (XSLT 2.0, on a Java
# runtime) for the EN 16931 schematron that checks the Factur-X invoices, LibreOffice (it
# recomputes the dashboards' XLSX exports), the spelling aid's dictionaries (Enchant + Hunspell
# French and British English), the French grammar aid (Grammalecte, loaded by path from the
# system's Python packages) and the customers' voices (espeak-ng).
debian-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	test -f /usr/share/java/Saxon-HE.jar || missing="$$missing libsaxonhe-java"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	command -v espeak-ng >/dev/null 2>&1 || missing="$$missing espeak-ng"; \
	test -f /usr/share/hunspell/fr_FR.dic || missing="$$missing hunspell-fr"; \
	test -f /usr/share/hunspell/en_GB.dic || missing="$$missing hunspell-en-gb"; \
	ls /usr/lib/*/libenchant-2.so.2 >/dev/null 2>&1 || missing="$$missing libenchant-2-2"; \
	test -f /usr/lib/python3/dist-packages/grammalecte/__init__.py || missing="$$missing python3-grammalecte"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

demo: $(STAMP) debian-deps
	$(BIN)/advsim demo

serve: $(STAMP)
	$(BIN)/advsim serve

test: $(STAMP) debian-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/seed_company.py

clean:
	rm -rf $(VENV) .pytest_cache
