# The two commands of the README, plus benchmarks and housekeeping.
#   make run    set up, build, start pinholed on the embedded default with a demo account
#   make test   set up, build, run every suite (and the sanitizer build of the Qt-free libraries)
#   make bench  run the benchmarks (B=<name> for one); JSON lands in build/bench/
#   make fuzz   run every libFuzzer target of tests/fuzz for FUZZ_SECONDS (default 60) each
#   make package        the Debian packages pinhole-server and pinhole, in build/packages/
#   make test-package   build them, lint them, install, run, remove and purge them (needs root)
SHELL := /bin/bash
PRESET := $(if $(CI),ci,default)
JOBS ?= $(shell nproc)
# Seconds each libFuzzer target runs in `make fuzz`, and in `make test` (where 14 targets, two at
# a time on two cores, add about 2.5 minutes to CI besides building the fuzz preset).
FUZZ_SECONDS ?= 60
TEST_FUZZ_SECONDS ?= 20

.PHONY: setup build build-asan build-fuzz run test test-main test-asan test-fuzz test-package fuzz package bench format tidy clean

setup:
	@./packaging/install-deps.sh

build: setup
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET) -j $(JOBS)

build-asan: setup
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

build-fuzz: setup
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)

run: build
	@./scripts/run-demo.sh

test-main: build
	@ctest --preset $(PRESET) -j $(JOBS)

test-asan: build-asan
	@ctest --preset asan -j $(JOBS)

# Each target first replays its seeds and committed regressions, then fuzzes; any finding fails
# (the input is left in build-fuzz/fuzz/artifacts/<target>/). See docs/testing.md.
fuzz: build-fuzz
	@ctest --test-dir build-fuzz -L fuzz-replay -j $(JOBS) --output-on-failure
	@rm -f build-fuzz/fuzz/*.summary
	@FUZZ_SECONDS=$(FUZZ_SECONDS) ctest --test-dir build-fuzz -L '^fuzz$$' -j $(JOBS) --output-on-failure \
		--timeout $$(( $(FUZZ_SECONDS) + 300 )); status=$$?; cat build-fuzz/fuzz/*.summary 2>/dev/null; exit $$status

test-fuzz:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS)

# CPack (cmake/PinholePackaging.cmake); the .debs land in build/packages/.
package: build
	@rm -f build/packages/*.deb
	@cd build && cpack --config CPackConfig.cmake

# lintian, desktop-file-validate, appstreamcli, systemd-analyze, then dpkg -i / -r / -P on this
# machine (packaging/test-packages.sh says what it checks and what it leaves behind).
test-package: package
	@./packaging/test-packages.sh build/packages

test: test-main test-asan test-fuzz test-package

bench: build
	@./bench/run.sh $(B)

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

tidy: build
	@git ls-files 'server/*.cpp' 'sync/*.cpp' | xargs clang-tidy -p build --quiet

clean:
	rm -rf build build-asan build-fuzz
