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
EXPORTER_SOCKETS ?= 200000

.PHONY: all build run check install bench bench-exporter fuzz deb clean

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
	@python3 bench/exporter.py --build $(BUILD) --sockets $(EXPORTER_SOCKETS)

# the exporter's part alone: scrape time and RSS against node_exporter, then the 30 s load
bench-exporter: build
	@sh scripts/deps.sh bench
	@python3 bench/exporter.py --build $(BUILD) --sockets $(EXPORTER_SOCKETS)

fuzz:
	@sh scripts/deps.sh check
	@sh tests/fuzz/build.sh $(BUILD)/fuzz >/dev/null
	@sh tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS)

# Debian binary packages, built out of the tree in $(BUILD)-deb (see scripts/deb.sh)
deb:
	@sh scripts/deps.sh check
	@sh scripts/deb.sh $(BUILD)-deb

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD)-deb
