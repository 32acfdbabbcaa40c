# Façade over CMake presets (DuckDB style): `make setup|build|test|bench|asan|fuzz|demo|tour`.
PRESET ?= release
JOBS ?= 2
BUILD_DIR := build/$(PRESET)

.PHONY: all setup configure build test bench asan fuzz demo tour format clean

all: build

setup:
	@scripts/setup

configure:
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

# The README's test command: installs, builds, runs every test.
test: setup
	@$(MAKE) --no-print-directory build
	@ctest --preset $(PRESET) -j $(JOBS)

bench: setup
	@$(MAKE) --no-print-directory build PRESET=release
	@bench/engine/run.sh build/release

asan: setup
	@$(MAKE) --no-print-directory test PRESET=asan

fuzz: setup
	@fuzz/run.sh $(or $(SECONDS),60)

demo: setup
	@$(MAKE) --no-print-directory build PRESET=release
	@scripts/demo build/release

tour: setup
	@$(MAKE) --no-print-directory build PRESET=release
	@scripts/tour build/release

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf build
