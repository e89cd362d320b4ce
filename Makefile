# 政务公开工作台账 — `make run` opens the window, `make test` runs the quick tier of tests,
# `make test-all` (CI) every test, the slow robustness runs included.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-all bench build selftest clean system-deps system-deps-test

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh run

system-deps-test:
	@bash scripts/system-deps.sh test

run: $(STAMP) system-deps
	$(PY) main.py

test: $(STAMP) system-deps-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not slow" -n auto

test-all: $(STAMP) system-deps-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

bench: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(PY) bench/run_all.py

build: $(STAMP) system-deps
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller build_spec/zwgk.spec

selftest: build
	QT_QPA_PLATFORM=offscreen dist/zwgk/zwgk-cli selftest --db build/selftest.sqlite3

clean:
	rm -rf build dist
