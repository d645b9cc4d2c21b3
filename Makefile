# Two commands do all the set-up on a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test venv bench bench-smoke docs gallery clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/topicgraph build seeds --out graph --format ttl --format nt
	$(BIN)/topicgraph validate seeds
	$(BIN)/topicgraph query --store graph --name topics-by-vendor
	$(BIN)/topicgraph related --store graph 4463 -k 3
	$(BIN)/topicgraph export --store graph --format html -o graph/topics.html
	@echo "Open graph/topics.html in a browser to explore the seed topic graph."

test: $(STAMP)
	$(BIN)/python -m pytest

docs: $(STAMP)
	$(BIN)/python -m topicgraph.cli.reference > docs/cli.md

# Screenshots of the page and static pictures of 500-, 10,000- and 100,000-record generated corpora (docs/export.md);
# the corpora are built once into bench/corpus/ (the 100,000 takes a few minutes) and reused.
gallery: $(STAMP)
	$(BIN)/python bench/gallery.py --out docs/img

clean:
	rm -rf graph/store-* graph/base-* graph/.cache graph/*.json graph/*.csv graph/graph.* graph/.build.lock .pytest_cache
