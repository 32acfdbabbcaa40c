# Façade over CMake presets (DuckDB style): `make setup|build|test|aarch64|bench|asan|fuzz|demo|tour`.
PRESET ?= release
JOBS ?= 2
BUILD_DIR := build/$(PRESET)

.PHONY: all setup configure build test aarch64 bench asan fuzz demo tour format clean

all: build

setup:
	@scripts/setup

configure:
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

# The README's test command: installs, builds, runs every test. The aarch64 pelato-host (run
# under qemu-user by tests/integration/aarch64_integration_test.cc) is cross-built first; where
# its toolchain cannot be installed, build-aarch64 says why and those tests skip.
test: setup
	@$(MAKE) --no-print-directory build
	@JOBS=$(JOBS) scripts/build-aarch64
	@ctest --preset $(PRESET) -j $(JOBS)

# pelato-host for aarch64 alone, into build/aarch64 (installs g++-aarch64-linux-gnu, qemu-user
# and the arm64 libraries first).
aarch64:
	@JOBS=$(JOBS) scripts/build-aarch64

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
