# SPDX-License-Identifier: GPL-2.0
#
# dmpool top-level Makefile.
#
#   make              build dmpool.ko, the userspace tools and the selftests
#   make check        everything: set-up, build, lint, host unit tests, VM suite
#   make demo         boot the VM cluster and show a pool at work
#   make lint         checkpatch --strict, sparse, W=1 build
#   make unit         host unit tests under ASan/UBSan
#   make vm-check     only the VM suite (after make)
#   make debug-kernel build the debug guest kernel (KASAN, lockdep, kmemleak)
#   make check-debug  the VM suite on the debug kernel
#
# KVER= / KDIR= choose the kernel to build against (default: the newest
# Debian 12 linux-headers-amd64 installed).

KVER	?= $(shell tools/kver)
KDIR	?= /lib/modules/$(KVER)/build
O	?= $(CURDIR)/build

# KVER/KDIR are not exported: tools/setup may install the headers after
# this Makefile was read, and the scripts work out the defaults themselves.

.PHONY: all module userspace selftests setup check demo lint unit vm-check \
	debug-kernel check-debug bench clean

all: module userspace selftests

module:
	@test -d "$(KDIR)" || { echo "no kernel headers at '$(KDIR)': run tools/setup" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C userspace O=$(O)

selftests:
	$(MAKE) -C selftests/dmpool O=$(O)

setup:
	tools/setup

check:
	tools/check

demo:
	tools/demo

lint:
	tools/lint

unit:
	$(MAKE) -C userspace O=$(O) unit

vm-check: all
	tools/vm/run-suite

debug-kernel:
	tools/debug-kernel build

check-debug:
	tools/debug-kernel check

bench:
	tools/bench/run

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(O)
