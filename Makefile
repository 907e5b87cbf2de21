# polybrief — two set-up commands do everything:
#   make demo       publishes examples/nagorno-karabakh.yaml in hy, az and ru into dist/
#   make test       sets up, runs mypy and the test suite but its slow tier, on every core
#   make test-all   the same with the slow tier too (soak, corpus, bench, wheel and Ray tests): what CI runs
#   make docs       builds the API reference and the docs into build/docs/
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
# constraints.txt pins torch to the CPU build (the argos extra: argostranslate -> stanza -> torch).
PIP_INSTALL := $(PIP) install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: demo test test-all docs catalogs bench bench-quick bench-floor bench-install clean vnu browser chromium axe

# The Nu HTML Checker for tests/test_html_validity.py, installed with npm into .cache/vnu.
# `make test` installs it only when both npm and java exist; without them (or when the
# install fails, e.g. offline) the HTML validity test is skipped, never failed.
VNU_DIR := .cache/vnu
VNU_JAR := $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar
HAVE_VNU_TOOLS := $(shell command -v npm >/dev/null 2>&1 && command -v java >/dev/null 2>&1 && echo yes)

# The browser tests (tests/test_browser.py) drive Debian's Chromium with Playwright for Python (which
# cannot download a browser of its own here) and inject axe-core from npm, installed into .cache/axe.
# `make test` installs Chromium (and fonts-noto-core: the Georgian, Armenian and Naskh Arabic faces the
# pages' font stacks name) with apt-get when it runs as root, and axe-core when npm exists; when
# either is missing the browser tests are skipped with one line saying how to get it, never passed.
AXE_DIR := .cache/axe
AXE_JS  := $(AXE_DIR)/node_modules/axe-core/axe.min.js

$(VENV)/.core: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -e .
	touch $@

# The tests need every extra: mt (CTranslate2, no torch), argos (argostranslate, for the
# benchmark's comparison), ray (the Ray engine's tests) and docs (tests/test_docs_api.py builds the site).
$(VENV)/.full: $(VENV)/.core
	$(PIP_INSTALL) -e '.[mt,argos,ray,test,docs]'
	touch $@

$(VENV)/.docs: $(VENV)/.core
	$(PIP_INSTALL) -e '.[docs]'
	touch $@

demo: $(VENV)/.core
	$(VENV)/bin/polybrief publish examples/nagorno-karabakh.yaml --locales hy,az,ru --formats html,text --out dist --strict

# pytest-xdist: one worker per core; --dist loadgroup keeps each xdist_group in one worker (the Ray tests
# and the benchmark's smoke run share one local Ray at a time). The fixtures that take seconds are built
# once per run for all workers (tests/build_once.py). PYTEST_ARGS adds options: make test PYTEST_ARGS="-x -k qa".
PYTEST := $(PY) -m pytest -q -n auto --dist loadgroup $(PYTEST_ARGS)
TEST_TOOLS := $(VENV)/.full $(if $(HAVE_VNU_TOOLS),vnu) browser

# The fast tier: everything but the tests marked slow.
test: $(TEST_TOOLS)
	$(PY) -m mypy
	$(PYTEST) -m "not slow"

# Everything, the slow tier included (.ci/run): one run, so the slow tests share the cores with the rest.
test-all: $(TEST_TOOLS)
	$(PY) -m mypy
	$(PYTEST)

# The API reference (docs/api.md, generated from the docstrings) and the other pages of docs/, as a
# static site in build/docs/.  --strict: a broken link or cross-reference fails the build.
docs: $(VENV)/.docs
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

# Extract UI strings from templates and code, update every locale's catalog, compile and check.
catalogs: $(VENV)/.full
	$(VENV)/bin/pybabel extract -F babel.cfg --no-location --sort-output --project polybrief --version 0.1 \
	    -k _ -k gettext -k ngettext:1,2 -c "Translators:" -o locales/polybrief.pot .
	$(VENV)/bin/pybabel update -i locales/polybrief.pot -d locales -D polybrief --previous
	$(VENV)/bin/pybabel compile -d locales -D polybrief --statistics
	for po in locales/*/LC_MESSAGES/polybrief.po examples/locales/*/LC_MESSAGES/*.po; do \
	    msgfmt --check -o /dev/null $$po || exit 1; done

vnu:
	@if [ -f $(VNU_JAR) ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	    mkdir -p $(VNU_DIR) && \
	    npm install --prefix $(VNU_DIR) --no-save --no-audit --no-fund --loglevel=error vnu-jar \
	    || echo "make vnu: npm install vnu-jar failed; the HTML validity test will be skipped"; \
	else echo "make vnu: npm not found; the HTML validity test will be skipped"; fi

browser: chromium axe

chromium:
	@if [ -n "$$POLYBRIEF_CHROMIUM" ] || command -v chromium >/dev/null 2>&1 \
	    || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "make chromium: apt-get install chromium (for the browser tests)"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	        chromium fonts-dejavu-core fonts-noto-core >/dev/null; } \
	    || echo "make chromium: apt-get install chromium failed; the browser tests will be skipped"; \
	else echo "make chromium: no Chromium (install it: sudo apt-get install chromium); the browser tests will be skipped"; fi

axe:
	@if [ -f $(AXE_JS) ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	    mkdir -p $(AXE_DIR) && \
	    npm install --prefix $(AXE_DIR) --no-save --no-audit --no-fund --loglevel=error axe-core@~4.14 \
	    || echo "make axe: npm install axe-core failed; the browser tests will be skipped"; \
	else echo "make axe: npm not found; the browser tests will be skipped"; fi

bench: $(VENV)/.full
	$(PY) -m bench --full

bench-quick: $(VENV)/.full
	$(PY) -m bench --quick

# Publishing against the floor (issue 24): distinct briefs, polybrief vs a bare gettext + Jinja2 publisher and
# Sphinx (installed in the benchmark's own venv under ~/.cache/polybrief-bench); about an hour on two cores.
# FLOOR_SIZES=100,1000 for a shorter run.
FLOOR_SIZES ?= 100,1000,10000
bench-floor: $(VENV)/.core
	$(PY) -m bench --full --only floor --floor-sizes $(FLOOR_SIZES)

# Install size and time of each extra in fresh venvs (a few minutes; uses the network or pip's cache).
bench-install: $(VENV)/.full
	$(PY) -m bench.install

clean:
	rm -rf dist build .pytest_cache
