# The two commands of the README, plus benchmarks and housekeeping.
#   make run    set up, build, start pinholed on the embedded default with a demo account
#   make test   set up, build, run every suite (and the sanitizer build of the Qt-free libraries)
#   make bench  run the benchmarks (B=<name> for one); JSON lands in build/bench/
SHELL := /bin/bash
PRESET := $(if $(CI),ci,default)
JOBS ?= $(shell nproc)

.PHONY: setup build build-asan run test test-main test-asan bench format tidy clean

setup:
	@./packaging/install-deps.sh

build: setup
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET) -j $(JOBS)

build-asan: setup
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

run: build
	@./scripts/run-demo.sh

test-main: build
	@ctest --preset $(PRESET) -j $(JOBS)

test-asan: build-asan
	@ctest --preset asan -j $(JOBS)

test: test-main test-asan

bench: build
	@./bench/run.sh $(B)

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

tidy: build
	@git ls-files 'server/*.cpp' 'sync/*.cpp' | xargs clang-tidy -p build --quiet

clean:
	rm -rf build build-asan
