# SPDX-License-Identifier: GPL-2.0
#
# kcpp-doctest.mk: the doc-comment examples of some headers as tests, for
# any Kbuild directory (kcpp's own doctests/, a driver, a third-party module).
#
#   kcpp-doctest-headers := $(src)/regs.h $(src)/vbios.h
#   kcpp-doctest-strip   := $(src)/          # prefix dropped from names
#   include $(KCPP_DIR)/scripts/kcpp-doctest.mk
#   mydrv-y += kcpp_doctests_generated.o      # the runnable examples
#   include $(KCPP_DIR)/scripts/kcpp.mk
#
# Runnable examples become KUnit suites in kcpp_doctests_generated.cpp;
# no_run ones are compiled alone and compile_fail ones must fail to compile
# with their expected diagnostic, both as part of the build (always-y).

kcpp-doctest-strip ?= $(KCPP_DIR)/

# Generated while the Kbuild file is read (files are rewritten only when
# their text changes), so that the list of examples is known to make.
kcpp-doctest-extra := $(shell $(PYTHON3) $(KCPP_DIR)/doctests/kcpp_doctest.py --outdir $(obj) \
	--strip $(kcpp-doctest-strip) $(kcpp-doctest-headers) || echo KCPP_DOCTEST_FAILED)
ifneq ($(filter KCPP_DOCTEST_FAILED,$(kcpp-doctest-extra)),)
$(error kcpp: the doctest generator failed, see the message above)
endif
# make test's fast loop (KCPP_DOCTEST_CHECKS=0) leaves out the build-time
# examples, compile_fail and no_run, which include most of kcpp and so
# rebuild on every header edit; make check builds them.
ifeq ($(KCPP_DOCTEST_CHECKS),0)
kcpp-doctest-extra := $(filter-out %.failed norun_%.o,$(kcpp-doctest-extra))
endif
always-y += $(kcpp-doctest-extra)

# A compile_fail example: compiling it must fail, and with the diagnostic
# its first line names (one of them, where GCC and clang word it apart:
# the .expect file holds one per line); otherwise the build fails and says
# why.
# Without the echo of source lines: an expected sentence that sits on the
# line of some other error must not count as that diagnostic. The headers
# the example includes (listed by a preprocessor run, as the compile itself
# fails) are its prerequisites: editing a check runs the example again.
kcpp-no-caret := $(if $(CONFIG_CC_IS_CLANG),-fno-caret-diagnostics,-fno-diagnostics-show-caret)
quiet_cmd_compile_fail = CXXFAIL $@
      cmd_compile_fail = \
	$(KCPP_CXX) $(filter-out -Wp$(comma)%,$(cxx_flags)) -M -MT $@ -MF $(depfile) $< || exit 1; \
	if $(KCPP_CXX) $(filter-out -Wp$(comma)%,$(cxx_flags)) $(kcpp-no-caret) -S -o /dev/null $< >$@.log 2>&1; then \
		echo "$<: this compile_fail example compiles" >&2; exit 1; \
	fi; \
	if ! grep -qF -f $(basename $@).expect $@.log; then \
		echo "$<: fails to compile, but not with: $$(paste -sd '|' $(basename $@).expect)" >&2; \
		cat $@.log >&2; exit 1; \
	fi; \
	touch $@

$(obj)/%.failed: $(obj)/%.cpp $(obj)/%.expect $(obj)/.kcpp-gen/kcpp/bindings/generated.h FORCE
	$(call if_changed_dep,compile_fail)

clean-files += kcpp_doctests_generated.cpp norun_*.cpp fail_*.cpp fail_*.expect fail_*.failed.log \
	coverage.txt
