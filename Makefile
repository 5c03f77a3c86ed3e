# layan: the two commands are `make run` and `make test`. See README.md.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
LAYAN_LISTEN ?= 127.0.0.1:8080
LAYAN_REGION ?= 32.73
DB ?= sqlite
DBFILE := var/layan.db

.PHONY: all build build-asan build-fuzz deps run test unit bench lint fuzz clean

all: build

deps:
	@scripts/deps.sh test

build/Makefile:
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null

build: build/Makefile
	@cmake --build build -j$(JOBS) 2>&1 | grep -vE '^\[|Consolidate|Built target|Scanning' || true
	@test -x build/layan

build-asan:
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DLAYAN_SANITIZE=ON -DCMAKE_C_COMPILER=clang >/dev/null
	@cmake --build build-asan -j$(JOBS) 2>&1 | grep -vE '^\[|Consolidate|Built target|Scanning' || true

build-fuzz:
	@cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DLAYAN_FUZZ=ON -DCMAKE_C_COMPILER=clang $(if $(FUZZ_SECONDS),-DLAYAN_FUZZ_SECONDS=$(FUZZ_SECONDS)) >/dev/null
	@cmake --build build-fuzz -j$(JOBS) 2>&1 | grep -vE '^\[|Consolidate|Built target|Scanning' || true

run:
	@scripts/deps.sh run
	@$(MAKE) --no-print-directory build
	@mkdir -p var
	@if [ ! -f $(DBFILE) ]; then \
	  build/layan init --db sqlite:$(DBFILE) --region $(LAYAN_REGION) && \
	  build/layan demo --db sqlite:$(DBFILE); fi
	@exec build/layan serve --listen $(LAYAN_LISTEN) --db sqlite:$(DBFILE)

test:
	@scripts/deps.sh test
	@scripts/test.sh

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory build
	@bench/run.sh $(DB)

lint:
	@scripts/lint.sh

fuzz:
	@$(MAKE) --no-print-directory build-fuzz FUZZ_SECONDS=$${FUZZ_SECONDS:-300}
	@cd build-fuzz && ctest -L fuzz --output-on-failure

clean:
	rm -rf build build-asan build-fuzz
