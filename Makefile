# What a newcomer types. The real build is Meson + Ninja; these targets set it up, install
# missing Debian packages when run as root, and say which ones are missing otherwise.
# `build` (and so run, install, bench) configures without the test suite, so it needs only
# what the program needs; `check` turns the tests on in the same directories.
BUILD      ?= build
BUILD_ASAN ?= $(BUILD)-asan
PREFIX     ?= /usr/local
DESTDIR    ?=
N          ?= 1000 10000 100000
UDP        ?= 100000
ARGS       ?= -p
FUZZ_SECONDS ?= 300

.PHONY: all build run check install bench fuzz clean

all: build

build:
	@sh scripts/deps.sh build
	@sh scripts/setup.sh $(BUILD) --prefix=$(PREFIX) -Dtests=false
	@sh scripts/compile.sh $(BUILD)

run: build
	@$(BUILD)/src/cli/tcptable $(ARGS)

check:
	@sh scripts/deps.sh check
	@sh scripts/check.sh $(BUILD) $(BUILD_ASAN)

install: build
	@DESTDIR="$(DESTDIR)" meson install -C $(BUILD) --no-rebuild --quiet

bench: build
	@sh scripts/deps.sh bench
	@UDP=$(UDP) sh bench/run.sh $(BUILD) $(N)

fuzz:
	@sh scripts/deps.sh check
	@sh tests/fuzz/build.sh $(BUILD)/fuzz >/dev/null
	@sh tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
