# SPDX-License-Identifier: GPL-2.0
"""Each module's copy of the C shim holds exactly the parts it calls.

scripts/kcpp.mk compiles every part of include/kcpp/bindings/shim/ as an
object of each module (<module>-kcpp-shim-<part>.o) and links only those the
module needs into <module>-kcpp-shim.o. This check recomputes the need from
the symbol tables, independently of the link script, and compares it with
what the finished .ko defines: a part the module does not call, or a missing
one (the .ko would not load), fails.
"""

import glob
import os
import re
from typing import Callable, Iterable, Optional

from .common import KUNIT_BUILD, Tally, quiet

# A symbol table: name -> (defined global symbols, undefined symbols).
Symbols = tuple[set[str], set[str]]

PART_RE = re.compile(r'^(?P<module>.+)-kcpp-shim-(?P<part>[a-z_]+)\.o$')


def parse_nm(out: str) -> Symbols:
    """The global defined and the undefined (strong or weak) symbols of
    `nm` output (`[value] type name` lines, `file:` headers ignored)."""
    defined: set[str] = set()
    undefined: set[str] = set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 2 and fields[0] in ('U', 'w', 'v'):
            undefined.add(fields[1])
        elif len(fields) == 3 and len(fields[1]) == 1 and fields[1] in 'ABCDGIRSTVWiu':
            defined.add(fields[2])
    return defined, undefined


def needed_parts(wanted: set[str], parts: dict[str, Symbols]) -> set[str]:
    """The parts that define a symbol of wanted, and in turn those that
    define a symbol the parts taken so far reference."""
    taken: set[str] = set()
    want = set(wanted)
    while True:
        more = {name for name, (defs, _) in parts.items() if name not in taken and defs & want}
        if not more:
            return taken
        taken |= more
        for name in more:
            want |= parts[name][1]


def present_parts(ko_defined: set[str], parts: dict[str, Symbols]) -> set[str]:
    """The parts one of whose global symbols the module defines."""
    return {name for name, (defs, _) in parts.items() if defs & ko_defined}


def module_objects(mod_file: str) -> list[str]:
    """The objects a .mod file lists, without the module's shim copy."""
    with open(mod_file) as f:
        return [o for o in f.read().split() if not o.endswith('-kcpp-shim.o')]


def nm_symbols(paths: Iterable[str]) -> Symbols:
    r = quiet(['nm', *paths])
    return parse_nm(r.stdout)


def shim_parts(ko: str, symbols: Callable[[Iterable[str]], Symbols]) -> dict[str, Symbols]:
    """The symbols of each shim part compiled for the module ko."""
    d = os.path.dirname(ko)
    name = os.path.basename(ko)[:-3]
    parts = {}
    for obj in glob.glob(os.path.join(d, name + '-kcpp-shim-*.o')):
        m = PART_RE.match(os.path.basename(obj))
        if m:
            parts[m['part']] = symbols([obj])
    return parts


def check_module(ko: str, symbols: Callable[[Iterable[str]], Symbols],
                 base: str = KUNIT_BUILD) -> Optional[str]:
    """None if the module links exactly the shim parts it needs, else why
    not. The .mod file's relative paths are from base (the build tree, or an
    external module's tree)."""
    d = os.path.dirname(ko)
    name = os.path.basename(ko)[:-3]
    parts = shim_parts(ko, symbols)
    if not parts:
        return f'{name}: no shim parts were built'
    mod = os.path.join(d, name + '.mod')
    objs = [o if os.path.isabs(o) else os.path.join(base, o) for o in module_objects(mod)]
    defined, undefined = symbols(objs)
    # What the module defines itself (its own operator delete, say) it does not take from the shim.
    need = needed_parts(undefined - defined, parts)
    have = present_parts(symbols([ko])[0], parts)
    if need != have:
        return f'{name}: links {sorted(have)}, needs {sorted(need)}'
    return None


def shim_part_checks(tally: Tally, label: str = 'kunit', kos: Optional[list[str]] = None,
                     base: str = KUNIT_BUILD) -> None:
    """Every kcpp module of a build (by default the in-tree ones of the
    KUnit build) links exactly the shim parts it calls; kcpp_hello (it only
    logs) carries none of the bus, DMA, IRQ, firmware or sysfs parts."""
    if kos is None:
        kos = sorted(glob.glob(os.path.join(KUNIT_BUILD, 'kcpp', '**', '*.ko'), recursive=True))
    problems = [p for p in (check_module(ko, nm_symbols, base) for ko in kos) if p]
    tally.add(f'{label}: each of the {len(kos)} kcpp modules links exactly the shim parts it calls',
              bool(kos) and not problems, '\n'.join(problems))
    hello = [ko for ko in kos if ko.endswith('/kcpp_hello.ko')]
    carried: set[str] = set()
    if hello:
        carried = present_parts(nm_symbols(hello)[0], shim_parts(hello[0], nm_symbols))
    bus = carried & {'pci', 'auxiliary', 'dma', 'irq', 'firmware', 'sysfs'}
    tally.add(f'{label}: kcpp_hello.ko carries no PCI, auxiliary, DMA, IRQ, firmware or sysfs part',
              bool(hello) and not bus, f'carries {sorted(carried)}')
