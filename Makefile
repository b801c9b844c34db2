# smartv4 — thin front-end over CMake. `make run` starts the portal, `make check` builds and runs every test.
BUILD   ?= build
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
PORT    ?= 8080
DB      ?= var/smartv4.db
CMAKE_FLAGS ?=

.PHONY: all deps deps-test deps-bench build run check test asan ubsan fuzz fuzz-smoke bench format clean

all: build

deps:
	@scripts/deps.sh build
deps-test:
	@scripts/deps.sh test
deps-bench:
	@scripts/deps.sh bench

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@mkdir -p $(dir $(DB))
	./$(BUILD)/smartv4 serve --db $(DB) --port $(PORT) --demo

# Everything CI runs: release build + all tests, then the same tests under ASan+UBSan, then fuzz smoke runs.
check: deps-test
	$(MAKE) build test
	$(MAKE) asan
	$(MAKE) fuzz-smoke
	@echo "make check: all passed"

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

asan:
	@scripts/deps.sh test
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DSV4_SANITIZE=address,undefined
	cmake --build build-asan -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir build-asan --output-on-failure -j $(JOBS)

ubsan:
	@scripts/deps.sh test
	cmake -S . -B build-ubsan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DSV4_SANITIZE=undefined
	cmake --build build-ubsan -j $(JOBS)
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --test-dir build-ubsan --output-on-failure -j $(JOBS)

build-fuzz/CMakeCache.txt:
	cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DSV4_FUZZ=ON \
	  -DSV4_TESTS=OFF -DSV4_SANITIZE=address,undefined

fuzz-build: build-fuzz/CMakeCache.txt
	@scripts/deps.sh test
	cmake --build build-fuzz -j $(JOBS)

# Short runs (seconds per target) belong to `make check`; `make fuzz` runs each target for FUZZ_SECONDS.
fuzz-smoke: fuzz-build
	scripts/fuzz.sh build-fuzz 15

FUZZ_SECONDS ?= 300
fuzz: fuzz-build
	scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS)

bench: build
	@scripts/deps.sh bench
	bench/run.sh $(BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) build-asan build-ubsan build-fuzz
