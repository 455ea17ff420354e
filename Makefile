# Parcours: build, lint and test. `make test` is the command that CI (.ci/run)
# and the README use.

GO ?= go

# Linters run with `go run pkg@version`: pinned here, nothing to install.
STATICCHECK_VERSION := v0.8.2
GOSEC_VERSION := v2.30.0

# Fuzzing: every Fuzz* target of each package in FUZZ_PKGS runs for FUZZTIME.
FUZZTIME ?= 10s
FUZZ_PKGS ?= ./internal/importer

.PHONY: all assets build demo lint unit fuzz test clean

all: build

assets:
	bash scripts/assets.sh

build: assets
	$(GO) build -o parcours ./cmd/parcours

demo: build
	./parcours demo

lint:
	@files=$$(find . -path ./node_modules -prune -o -path ./.git -prune -o -name '*.go' -print | xargs -r gofmt -l); \
	if [ -n "$$files" ]; then echo "gofmt -l : fichiers à formater (gofmt -w) :"; echo "$$files"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...
	$(GO) run github.com/securego/gosec/v2/cmd/gosec@$(GOSEC_VERSION) -quiet ./...

unit: assets
	@if [ -z "$$PARCOURS_TEST_POSTGRES" ]; then echo "PARCOURS_TEST_POSTGRES non défini : les suites PostgreSQL sont ignorées (SQLite seulement)."; else echo "Suites PostgreSQL : actives."; fi
	@if [ -z "$$PARCOURS_CHROMIUM" ] && [ ! -x /usr/bin/chromium ] && ! command -v chromium >/dev/null; then echo "Chromium absent : les tests de navigateur sont ignorés."; else echo "Tests de navigateur : actifs."; fi
	$(GO) test -race -count=1 ./...

# A package may hold several fuzz targets, and `go test -fuzz` takes one at a
# time: list them, then fuzz each one. Go 1.26's fuzz coordinator may end a
# run at its -fuzztime deadline with a bare "context deadline exceeded" and no
# failing input (golang/go#75804, fixed in Go 1.27): such a run counts as
# passed; any other failure, or a new failing input in testdata/fuzz, fails.
fuzz:
	@set -e; for pkg in $(FUZZ_PKGS); do \
		list=$$($(GO) test -list '^Fuzz' "$$pkg"); \
		fns=$$(printf '%s\n' "$$list" | grep '^Fuzz' || true); \
		if [ -z "$$fns" ]; then echo "fuzz : aucune cible Fuzz dans $$pkg" >&2; exit 1; fi; \
		for fn in $$fns; do \
			echo "fuzz $$pkg $$fn ($(FUZZTIME))"; \
			corpus="$$pkg/testdata/fuzz/$$fn"; \
			before=$$(ls "$$corpus" 2>/dev/null | wc -l); \
			log=$$(mktemp); \
			if $(GO) test -run='^$$' -fuzz="^$$fn$$" -fuzztime=$(FUZZTIME) "$$pkg" >"$$log" 2>&1; then \
				cat "$$log"; rm -f "$$log"; continue; \
			fi; \
			cat "$$log"; \
			after=$$(ls "$$corpus" 2>/dev/null | wc -l); \
			if [ "$$after" = "$$before" ] && grep -q 'context deadline exceeded' "$$log" && ! grep -q 'Failing input written' "$$log"; then \
				echo "fuzz : $$fn s'est arrêté sur l'échéance du coordinateur Go (golang/go#75804), sans entrée fautive : accepté"; \
				rm -f "$$log"; continue; \
			fi; \
			rm -f "$$log"; exit 1; \
		done; \
	done

# The prerequisites run in this order: assets, lint, unit tests, fuzzing.
.NOTPARALLEL: test
test: assets lint unit fuzz

clean:
	rm -f parcours coverage.out cover.out coverage.html
	rm -rf internal/web/static/dsfr internal/web/static/.dsfr.tmp
