# SPDX-License-Identifier: GPL-2.0
#
# kcpp.mk: C++ objects in Kbuild.
#
# Include this file as the LAST line of any Kbuild file whose objects are
# built from .cpp sources, in-tree or out-of-tree:
#
#   obj-m        := mydrv.o
#   mydrv-y      := main.o regs.o          # main.cpp, regs.cpp
#   include $(KCPP_DIR)/scripts/kcpp.mk
#
# What it provides, in the directory that includes it:
#  - a Kbuild-native rule $(obj)/%.o: $(src)/%.cpp (fixdep dependency
#    tracking, if_changed rebuilds on flag changes, V=1 shows the command,
#    objtool runs on the object exactly as it does for C);
#  - C++ flags derived from the kernel's own c_flags with the C-only options
#    removed and C++20 freestanding options added;
#  - the generated header <kcpp/bindings/generated.h>: constants and struct
#    offsets taken from the configured kernel (the asm-offsets technique);
#  - in every module of the directory, the parts of the C shim it calls.
#
# A C++ module must be a composite module (mydrv-y := ...) whose name differs
# from its source files, because the shim object is linked into it.

ifndef kcpp-dir
kcpp-dir := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
endif

# --------------------------------------------------------------------------
# Compiler: the C++ driver of the kernel's own compiler: g++ for a GCC
# kernel, clang++ for a clang one, of the same major version.
# --------------------------------------------------------------------------
# (Checked only when the configuration is loaded: `make clean` runs without.)
# The same limits as kcpp's Kconfig, for modules built out of tree.
ifneq ($(CONFIG_X86_64),y)
ifdef CONFIG_64BIT
$(error kcpp: only x86_64 kernels are supported (kcpp/io.h implements MMIO for x86_64 only))
endif
endif

ifneq ($(CONFIG_CC_IS_CLANG)$(CONFIG_CC_IS_GCC),)
ifdef CONFIG_CC_IS_CLANG
# clang -> clang++, clang-19 -> clang++-19, /usr/lib/llvm-19/bin/clang -> ...clang++
KCPP_CXX ?= $(patsubst %clang,%clang++,$(subst clang-,clang++-,$(strip $(CC))))
kcpp-cc-family := clang++
kcpp-cc-major := $(shell echo $$(( $(CONFIG_CLANG_VERSION) / 10000 )))
else
KCPP_CXX ?= $(patsubst %gcc,%g++,$(subst gcc-,g++-,$(strip $(CC))))
kcpp-cc-family := g++
kcpp-cc-major := $(shell echo $$(( $(CONFIG_GCC_VERSION) / 10000 )))
endif
kcpp-cc-name := $(if $(CONFIG_CC_IS_CLANG),clang,gcc)
# The family and version from what the compiler predefines, not from its name.
kcpp-cxx-define = echo | $(KCPP_CXX) -x c++ -dM -E - 2>/dev/null | sed -n 's/^.define $(1) //p'
kcpp-cxx-clang := $(shell $(call kcpp-cxx-define,__clang_major__))
kcpp-cxx-gnu := $(shell $(call kcpp-cxx-define,__GNUC__))
kcpp-cxx-family := $(if $(kcpp-cxx-clang),clang++,$(if $(kcpp-cxx-gnu),g++))
kcpp-cxx-major := $(or $(kcpp-cxx-clang),$(kcpp-cxx-gnu))
ifeq ($(kcpp-cxx-family),)
$(error kcpp: C++ compiler '$(KCPP_CXX)' not found; install $(kcpp-cc-family)-$(kcpp-cc-major) (the kernel was built with $(kcpp-cc-name) $(kcpp-cc-major)))
endif
ifneq ($(kcpp-cxx-family),$(kcpp-cc-family))
$(error kcpp: '$(KCPP_CXX)' is $(kcpp-cxx-family), but the kernel was built with $(kcpp-cc-name): C++ must come from the kernel's compiler family (g++ for GCC kernels, clang++ for clang kernels); set KCPP_CXX to $(kcpp-cc-family)-$(kcpp-cc-major))
endif
ifneq ($(kcpp-cxx-major),$(kcpp-cc-major))
$(error kcpp: '$(KCPP_CXX)' is $(kcpp-cxx-family) $(kcpp-cxx-major) but the kernel was built with $(kcpp-cc-name) $(kcpp-cc-major); set KCPP_CXX to $(kcpp-cc-family)-$(kcpp-cc-major))
endif
endif

# --------------------------------------------------------------------------
# Flags.
# --------------------------------------------------------------------------
# Options in the kernel's C flags that g++ does not take ("valid for C/ObjC
# but not for C++", "-Werror= argument ... is not valid for C++"). Every one
# is checked against the g++ of the kernel's gcc by `make check`, and the
# flags that remain must compile without a single warning.
kcpp-c-only-flags := \
	-std=gnu89 -std=gnu99 -std=gnu11 -std=c11 \
	-Wstrict-prototypes -Wdeclaration-after-statement -Wno-pointer-sign \
	-Wmissing-prototypes -Wold-style-definition -Wmissing-parameter-type \
	-Wnested-externs -Wimplicit-function-declaration -Wimplicit-int \
	-Wno-pointer-to-int-cast -Wno-override-init -Wbad-function-cast \
	-Wjump-misses-init -Wno-old-style-declaration \
	-Werror=strict-prototypes -Werror=implicit-function-declaration \
	-Werror=implicit-int -Werror=incompatible-pointer-types \
	-Werror=designated-init -Werror=int-conversion

# The C++ dialect: C++20, no exceptions, no RTTI, no libstdc++, no hidden
# guard calls around function-local statics. -fno-gnu-unique: inline
# variables and static members of templates become weak symbols instead of
# STB_GNU_UNIQUE ones, which neither the module loader nor a link of objects
# whose COMDAT groups were resolved (see below) can merge.
KCPP_CXXFLAGS := -std=gnu++20 -nostdinc++ -fno-exceptions -fno-rtti \
	-fno-threadsafe-statics -fno-use-cxa-atexit -fno-sized-deallocation \
	-Wno-missing-field-initializers
# C++20 deprecates compound assignment to volatile, which MMIO code does;
# each compiler names the warning its own way. clang++ makes no
# STB_GNU_UNIQUE symbols at all.
ifdef CONFIG_CC_IS_CLANG
KCPP_CXXFLAGS += -Wno-deprecated-volatile
else
KCPP_CXXFLAGS += -fno-gnu-unique -Wno-volatile
endif

# Kernel headers are C and never reach a C++ translation unit: the include
# path is kcpp's own headers, the generated header, and the module's own
# directory. $(LINUXINCLUDE) and the forced compiler_types.h are left out.
kcpp-gen-dir = $(obj)/.kcpp-gen
kcpp-include-flags = -I$(kcpp-dir)/include -I$(kcpp-gen-dir)

# Module BTF: where the kernel encodes BTF for modules, pahole reads the DWARF
# of every object in the .ko and cannot encode C++ (pahole 1.24 stops at the
# first rvalue reference: "Encountered error while encoding BTF"; names like
# Result<int> are no valid BTF names either), so the module would not link.
# C++ objects of such modules are built without DWARF by default; the C parts
# (shim, .mod.c) keep theirs and the module gets its BTF. KCPP_SPLIT_DWARF=1
# keeps C++ DWARF in a split .dwo file beside each object instead: debuggers
# find it, pahole skips the skeleton unit with a notice.
ifdef CONFIG_DEBUG_INFO_BTF_MODULES
ifeq ($(KCPP_SPLIT_DWARF),1)
kcpp-debug-flags = $(if $(part-of-module),-gsplit-dwarf)
else
kcpp-debug-flags = $(if $(part-of-module),-g0)
endif
endif

cxx_flags = -Wp,-MMD,$(depfile) $(NOSTDINC_FLAGS) $(kcpp-include-flags) \
	$(filter-out $(kcpp-c-only-flags) -I$(srctree)/% -I$(objtree)/include%, \
		$(_c_flags) $(modkern_cflags)) \
	$(basename_flags) $(modname_flags) $(kcpp-debug-flags) \
	$(KCPP_CXXFLAGS) $(cxxflags-y) $(CXXFLAGS_$(target-stem).o)

# --------------------------------------------------------------------------
# The generated header: constants and offsets of the configured kernel.
# --------------------------------------------------------------------------
kcpp-gen-header := $(kcpp-gen-dir)/kcpp/bindings/generated.h
targets += .kcpp-gen/constants.s .kcpp-gen/kcpp/bindings/generated.h

$(kcpp-gen-dir)/constants.s: $(kcpp-dir)/include/kcpp/bindings/constants.c FORCE
	$(call if_changed_dep,cc_s_c)

$(kcpp-gen-header): $(kcpp-gen-dir)/constants.s FORCE
	$(call filechk,offsets,KCPP_BINDINGS_GENERATED_H)

# --------------------------------------------------------------------------
# The .cpp rule.
# --------------------------------------------------------------------------
# g++ puts inline functions, template instances and inline variables into
# COMDAT groups with sections named after the symbol (.text._ZN...). vmlinux's
# linker script does not know those names, so a built-in object would bring
# orphan sections. A relocatable link with group allocation forced resolves
# the groups and files their sections under the standard names.
kcpp-sections-lds := $(kcpp-dir)/scripts/kcpp-sections.lds
kcpp-cxx-tmp = $(@D)/.$(@F).cxx

quiet_cmd_cxx_o_cpp = CXX $(quiet_modtag) $@
      cmd_cxx_o_cpp = $(KCPP_CXX) $(cxx_flags) -c -o $(kcpp-cxx-tmp) $<; \
		$(LD) $(KBUILD_LDFLAGS) -r --force-group-allocation \
			-T $(kcpp-sections-lds) -o $@ $(kcpp-cxx-tmp); \
		rm -f $(kcpp-cxx-tmp) \
		$(cmd_objtool)

define rule_cxx_o_cpp
	$(call cmd_and_fixdep,cxx_o_cpp)
	$(call cmd,gen_objtooldep)
	$(call cmd,record_mcount)
endef

$(obj)/%.o: $(obj)/%.cpp $(kcpp-gen-header) $(kcpp-sections-lds) FORCE
	$(call if_changed_rule,cxx_o_cpp)

clean-files += .kcpp-gen

# Preprocessed and assembler output for inspection: make M=... foo.i / foo.s
quiet_cmd_cxx_i_cpp = CXX $(quiet_modtag) $@
      cmd_cxx_i_cpp = $(KCPP_CXX) $(cxx_flags) -E -o $@ $<
$(obj)/%.i: $(obj)/%.cpp $(kcpp-gen-header) FORCE
	$(call if_changed_dep,cxx_i_cpp)

quiet_cmd_cxx_s_cpp = CXX $(quiet_modtag) $@
      cmd_cxx_s_cpp = $(KCPP_CXX) $(filter-out $(DEBUG_CFLAGS), $(cxx_flags)) -fverbose-asm -S -o $@ $<
$(obj)/%.s: $(obj)/%.cpp $(kcpp-gen-header) FORCE
	$(call if_changed_dep,cxx_s_cpp)

# --------------------------------------------------------------------------
# The C shim.
# --------------------------------------------------------------------------
# The shim is one C file per subsystem (include/kcpp/bindings/shim/). Every
# module of this directory links its own copy, in tree and out of tree
# alike, so a module needs nothing exported by the kernel it loads into and
# two kcpp modules never clash; built-in C++ code uses the copy built into
# vmlinux with CONFIG_KCPP (see the top-level Kbuild).
#
# A module's copy holds only the parts it calls. Each part is compiled as an
# object of the module (<module>-kcpp-shim-<part>.o: -DMODULE, its
# KBUILD_MODNAME, its THIS_MODULE); <module>-kcpp-shim.o is then a
# relocatable link of those parts that define a symbol the module's other
# objects reference, and of the parts those need in turn
# (scripts/kcpp-shim-link.sh: an archive of the parts, from which ld takes
# the members it needs).
include $(kcpp-dir)/include/kcpp/bindings/shim/parts.mk
kcpp-shim-dir := $(kcpp-dir)/include/kcpp/bindings/shim
kcpp-shim-link := $(kcpp-dir)/scripts/kcpp-shim-link.sh

kcpp-shim-part-objs = $(filter $(addprefix %-kcpp-shim-,$(addsuffix .o,$(kcpp-shim-parts))),$(real-prereqs))
quiet_cmd_kcpp_shim_link = LD [M]  $@
      cmd_kcpp_shim_link = $(CONFIG_SHELL) $(kcpp-shim-link) '$(LD) $(ld_flags)' '$(NM)' '$(AR)' \
		$@ $(kcpp-shim-part-objs) -- $(filter-out $(kcpp-shim-part-objs),$(filter %.o,$(real-prereqs)))

# $(call kcpp-shim-module,m): the rules of module m's copy of the shim.
define kcpp-shim-module
kcpp-shim-objs-$(1) := $$(foreach p,$$(kcpp-shim-parts),$$(obj)/$(1)-kcpp-shim-$$(p).o)
targets += $$(patsubst $$(obj)/%,%,$$(kcpp-shim-objs-$(1)))
$$(kcpp-shim-objs-$(1)): private part-of-module := y
$$(kcpp-shim-objs-$(1)): private modname := $(1)
$$(obj)/$(1)-kcpp-shim-%.o: $$(kcpp-shim-dir)/%.c FORCE
	$$(call if_changed_rule,cc_o_c)
$$(obj)/$(1)-kcpp-shim.o: \
		$$(addprefix $$(obj)/,$$(filter-out $(1)-kcpp-shim.o,$$($(1)-y) $$($(1)-objs) $$($(1)-m))) \
		$$(kcpp-shim-objs-$(1)) $$(kcpp-shim-link) FORCE
	$$(call if_changed,kcpp_shim_link)
endef

kcpp-modules := $(filter-out %/,$(obj-m))
$(foreach m,$(kcpp-modules), \
  $(if $(strip $($(m:.o=-y))$($(m:.o=-objs))), \
    $(eval $(m:.o=-y) += $(m:.o=-kcpp-shim.o)) \
    $(eval $(call kcpp-shim-module,$(m:.o=))), \
    $(if $(wildcard $(src)/$(m:.o=.cpp)), \
      $(error kcpp: $(m:.o=.ko) is a single C++ file; make it composite, e.g. \
        obj-m := $(m); $(m:.o=-y) := main.o (with main.cpp)))))
