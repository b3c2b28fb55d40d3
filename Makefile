# SPDX-License-Identifier: GPL-2.0
#
# kcpp: the commands. The kernel's own Kbuild file for this tree is ./Kbuild.
#
#   make check        the test command: installs what is missing, builds the
#                     6.12 KUnit kernel with kcpp built in, runs every suite
#                     under QEMU, builds the modules against Debian's stock
#                     6.12, 6.12-rt and 6.1 headers and loads them on each
#                     stock kernel, runs the suites on a PREEMPT_RT
#                     sanitizer kernel (KASAN,
#                     UBSAN, lockdep, DEBUG_OBJECTS, kmemleak)
#   make check-debug  the sanitizer-kernel stage alone
#   make check-clang  the clang (LLVM=1, kCFI) kernel stage alone (also in make check)
#   make tidy         clang-tidy on every C++ file (zero findings; also in make check);
#                     writes compile_commands.json for editors (clangd)
#   make demo         boots the kcpp kernel with the examples and their devices
#   make bench        kcpp against hand-written C, ratios printed (one boot)
#   make test SUITES='kcpp_drm*'  rebuilds incrementally, runs only those suites
#   make test FILE=include/kcpp/drm/gem.h  runs the suites covering that file
#                     (its doctests, the test sources including it)
#   make bench-edit   edit-to-result time: one header's suites, and all of them
#   make mutate       applies each deliberate breakage of include/kcpp in turn,
#                     rebuilds, runs the suites: how many they catch (slow)
#   make format       clang-format-19 on every C++ file, in place (make check fails on
#                     an unformatted one);
#   make docs         renders the API documentation (docs/html-build/index.html);
#                     any Doxygen warning is an error
#   make modules      builds the modules for KDIR (default: the running kernel)
#   make install      builds and installs them (modules_install: under
#                     /lib/modules/<release>/extra, INSTALL_MOD_PATH honoured)
#
# Caches (kernel source, build trees, stock kernel) live in $(KCPP_CACHE),
# default ~/.cache/kcpp.

PYTHON ?= python3
KDIR ?= /lib/modules/$(shell uname -r)/build
KCPP_CHECK := $(PYTHON) scripts/kcpp-check

.PHONY: check check-debug check-clang tidy format demo bench bench-edit test mutate docs modules install clean help

help:
	@sed -n 's/^#   //p' Makefile

check:
	@$(KCPP_CHECK) check

check-debug:
	@$(KCPP_CHECK) check-debug

check-clang:
	@$(KCPP_CHECK) check-clang

tidy:
	@$(KCPP_CHECK) tidy

demo:
	@$(KCPP_CHECK) demo

bench:
	@$(KCPP_CHECK) bench

bench-edit:
	@$(KCPP_CHECK) bench-edit

test:
	@$(KCPP_CHECK) test $(if $(SUITES),--suites '$(SUITES)') $(if $(FILE),--file '$(FILE)')

mutate:
	@$(PYTHON) scripts/kcpp_mutate.py

docs:
	@$(KCPP_CHECK) docs

format:
	@$(KCPP_CHECK) format

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) KCPP_DIR=$(CURDIR) modules

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) KCPP_DIR=$(CURDIR) modules_install

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) KCPP_DIR=$(CURDIR) clean 2>/dev/null || true
