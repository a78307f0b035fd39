# SPDX-License-Identifier: MIT
# Two entry points: `make bench` (the QEMU switch benchmark) and `make test`.
# Both bootstrap the machine first (idempotent; needs root on a fresh box).
.PHONY: all test bench bootstrap lint clean
all: test

bootstrap:
	@cmake/bootstrap.sh

test: bootstrap
	@cmake/test.sh

bench: bootstrap
	@bench/run.sh

lint: bootstrap
	@cmake/lint.sh build/host

clean:
	rm -rf build
