# SPDX-License-Identifier: GPL-2.0
"""Stage 4 of make check: the modules built against the headers of each
Debian stock kernel of the supported matrix (6.12, 6.12 PREEMPT_RT, 6.1) as
a driver author outside the tree builds them, loaded on that stock kernel
under QEMU, their modinfo; and make install and dkms for 6.12."""

import fnmatch
import glob
import os
import re
import shutil
import subprocess
from typing import Optional, Sequence

from .common import CACHE, JOBS, REPO, Failure, Tally, log, quiet, run
from .kernel import comdat_free
from .logs import check_boot_log, test_only_symbols, warnings_in
from .qemu import boot, driver_modules, make_initramfs
from .shim import shim_part_checks

# The paths prepare_stock returns: root, release, headers, vmlinuz.
Stock = dict[str, str]


# The supported matrix: tag -> (Debian metapackage whose dependency names
# today's flavour, the pattern of that flavour). Each is downloaded and
# extracted, not installed.
MATRIX: dict[str, tuple[str, str]] = {
    '6.12': ('linux-headers-6.12-amd64', r'6\.12\.[0-9]+\+deb12-amd64'),
    '6.12-rt': ('linux-headers-6.12-rt-amd64', r'6\.12\.[0-9]+\+deb12-rt-amd64'),
    '6.1': ('linux-headers-amd64', r'6\.1\.0-[0-9]+-amd64'),
}


def depends(pkg: str) -> list[str]:
    """The packages `pkg` depends on, as apt-cache names them."""
    out = quiet(['apt-cache', 'depends', pkg]).stdout
    return re.findall(r'^\s*\|?Depends: (\S+)$', out, re.M)


def stock_flavour(tag: str) -> str:
    """The flavour (uname -r) that the matrix entry `tag` stands for today,
    e.g. 6.12.118+deb12-amd64 or 6.1.0-57-amd64."""
    meta, flavour = MATRIX[tag]
    for attempt in range(2):
        hits = [d[len('linux-headers-'):] for d in depends(meta)
                if re.fullmatch('linux-headers-' + flavour, d)]
        if hits:
            return hits[0]
        if attempt == 0 and os.geteuid() == 0:
            quiet(['apt-get', 'update'])
    have = sorted(os.path.basename(os.path.dirname(h))[len('stock-'):]
                  for h in glob.glob(os.path.join(CACHE, 'stock-*', 'ok')))
    have = [h for h in have if re.fullmatch(flavour, h)]
    if have:  # offline: reuse what is cached
        return have[-1]
    raise Failure(f'apt knows no {meta}; run apt-get update')


def prepare_stock(tag: str = '6.12') -> Stock:
    """Downloads and extracts Debian's stock headers and kernel image of the
    matrix entry `tag` (not installed: nothing on this machine changes).
    Returns paths."""
    flavour = stock_flavour(tag)
    root = os.path.join(CACHE, f'stock-{flavour}')
    headers = f'linux-headers-{flavour}'
    if not os.path.exists(os.path.join(root, 'ok')):
        log(f'fetching Debian stock kernel {flavour}')
        shutil.rmtree(root, ignore_errors=True)
        debs = os.path.join(root, 'debs')
        os.makedirs(debs)
        # The flavour's headers, the common headers and kbuild they need.
        pkgs = [headers, f'linux-image-{flavour}'] + [
            d for d in depends(headers)
            if d.startswith('linux-headers-') or d.startswith('linux-kbuild-')]
        rc, _ = run(['apt-get', 'download'] + pkgs, cwd=debs, check=False)
        if rc != 0:
            raise Failure('apt-get download of the stock kernel failed: ' + ' '.join(pkgs))
        for deb in sorted(glob.glob(os.path.join(debs, '*.deb'))):
            run(['dpkg-deb', '-x', deb, root], echo=False)
        shutil.rmtree(debs)
        # The flavour's Makefile includes the common headers by absolute
        # path, and its scripts link to kbuild's by absolute path (6.1).
        src = os.path.join(root, 'usr/src', headers)
        mk = os.path.join(src, 'Makefile')
        text = open(mk).read().replace('include /usr/src/', f'include {root}/usr/src/')
        open(mk, 'w').write(text)
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, 'usr/src')):
            for name in dirnames + filenames:
                link = os.path.join(dirpath, name)
                if os.path.islink(link) and os.readlink(link).startswith('/usr/'):
                    target = root + os.readlink(link)
                    os.unlink(link)
                    os.symlink(target, link)
        open(os.path.join(root, 'ok'), 'w').write(flavour + '\n')
    return {
        'root': root,
        'release': flavour,
        'headers': os.path.join(root, 'usr/src', headers),
        'vmlinuz': os.path.join(root, 'boot', f'vmlinuz-{flavour}'),
    }


# How the stock kernels compress their modules: suffix -> how to undo it.
DECOMPRESS: dict[str, list[str]] = {'.xz': ['xz', '-dc'], '.zst': ['zstd', '-dc'], '.gz': ['gzip', '-dc']}


def module_deps(stock: Stock, modules: Sequence[str]) -> list[str]:
    """The stock kernel's own modules that `modules` need (`depends` in
    their modinfo, and those modules' in turn), uncompressed into the cache,
    each after what it needs. Failure names a dependency the kernel lacks
    or a module modinfo cannot read."""
    found: dict[str, str] = {}
    for top in ('lib', 'usr/lib'):
        tree = os.path.join(stock['root'], top, 'modules', stock['release'], 'kernel')
        for path in glob.glob(os.path.join(tree, '**', '*.ko*'), recursive=True):
            name = re.sub(r'\.ko(\.\w+)?$', '', os.path.basename(path)).replace('-', '_')
            if name in found and found[name] != path:
                raise Failure(f'{stock["release"]} has two modules named {name}: {found[name]}, {path}')
            found[name] = path
    outdir = os.path.join(CACHE, f'stock-deps-{stock["release"]}')
    os.makedirs(outdir, exist_ok=True)
    order: list[str] = []

    def depends_of(ko: str) -> list[str]:
        r = subprocess.run(['modinfo', '-F', 'depends', ko], capture_output=True, text=True)
        if r.returncode != 0:
            raise Failure(f'modinfo cannot read {ko}: {r.stderr.strip()}')
        return [d.replace('-', '_') for d in r.stdout.strip().split(',') if d]

    def uncompressed(src: str, out: str) -> None:
        suffix = os.path.splitext(src)[1]
        tmp = out + '.tmp'
        if suffix == '.ko':
            shutil.copyfile(src, tmp)
        elif suffix in DECOMPRESS:
            with open(tmp, 'wb') as o:
                subprocess.run(DECOMPRESS[suffix] + [src], stdout=o, check=True)
        else:
            raise Failure(f'{src}: modules compressed as {suffix} are not supported')
        os.replace(tmp, out)  # never a half-written module left for the next run

    def visit(ko: str, seen: tuple[str, ...]) -> None:
        for dep in depends_of(ko):
            if dep in seen:
                raise Failure(f'module dependency loop through {dep}')
            if dep not in found:
                raise Failure(f'{os.path.basename(ko)} needs {dep}, which {stock["release"]} lacks')
            out = os.path.join(outdir, dep + '.ko')
            if out in order:
                continue
            # Again each run: a rebuilt image of the same release may differ.
            uncompressed(found[dep], out)
            visit(out, seen + (dep,))
            order.append(out)

    for m in modules:
        visit(m, ())
    return order


def build_external(kdir: str, moddir: str, log_path: str,
                   extra: Sequence[str] = ()) -> tuple[bool, str]:
    """make -C kdir M=moddir, as a driver author outside the tree runs it."""
    cmd = ['make', '-C', kdir, f'M={moddir}', f'KCPP_DIR={REPO}', f'-j{JOBS}', *extra]
    rc, out = run(cmd, log_path=log_path, check=False)
    return rc == 0, out


def clean_external(kdir: str, moddir: str) -> None:
    quiet(['make', '-C', kdir, f'M={moddir}', f'KCPP_DIR={REPO}', 'clean'])


# Autoloading: each module's modinfo alias= lines, and the modalias of a
# device of the test machine that one of them must match (as udev does).
EXPECTED_ALIAS: dict[str, list[tuple[str, Optional[str]]]] = {
    'kcpp_pci_testdev': [(r'pci:v00001B36d00000005sv\*sd\*bc\*sc\*i\*', 'pci:v00001B36d00000005')],
    'kcpp_auxiliary': [(r'auxiliary:kcpp_auxiliary\.auxiliary', None)],
    'kcpp_edu': [(r'pci:v00001234d000011E8sv\*sd\*bc\*sc\*i\*', 'pci:v00001234d000011E8')],
    # The PCI parent, and the block's three tables: by name, OF, ACPI.
    'kcpp_platform': [(r'pci:v00001B36d00000005sv\*sd\*bc\*sc\*i\*', 'pci:v00001B36d00000005'),
                      (r'platform:kcpp-platform-ex', None),
                      (r'of:N\*T\*Ckcpp,platform-example', None),
                      (r'acpi\*:KCPP0001:\*', None)],
    # Every NVIDIA VGA (03 00) or 3D (03 02) function; no such device in QEMU.
    'kcpp_misc': [(r'platform:kcpp-misc-ring', None)],
    'nova_core': [(r'pci:v000010DEd\*sv\*sd\*bc03sc0[02]i\*', None)],
}


# MODULE_FIRMWARE lists: how many firmware= lines, and some that must be there.
# nova_core: 16 chipsets x (4 files as .tlv and as .bin, and gsp.bin), and the
# generic bootloader in both forms for the 6 of Turing and GA100.
EXPECTED_FIRMWARE: dict[str, tuple[int, tuple[str, ...]]] = {
    'nova_core': (16 * 9 + 6 * 2, ('nvidia/ga102/gsp/gsp-570.144.bin', 'nvidia/ga102/gsp/gsp.tlv',
                                   'nvidia/ga100/gsp/gen_bootloader.tlv',
                                   'nvidia/tu117/gsp/gen_bootloader-570.144.bin',
                                   'nvidia/ad107/gsp/gsp.bin'))}


def firmware_checks(tally: Tally, tag: str, modules: Sequence[str]) -> None:
    for m in modules:
        name = os.path.basename(m)[:-3]
        if name not in EXPECTED_FIRMWARE:
            continue
        count, some = EXPECTED_FIRMWARE[name]
        files = quiet(['modinfo', '-F', 'firmware', m]).stdout.split()
        tally.add(f'{tag}: modinfo {name} lists {count} firmware files, {", ".join(some)} among them',
                  len(files) == count and all(f in files for f in some) and
                  not any('gen_bootloader' in f and '/ga102/' in f for f in files),
                  f'{len(files)} listed')


def alias_checks(tally: Tally, tag: str, modules: Sequence[str], out: str) -> None:
    """modinfo shows the ID tables as alias= lines, and the pci ones match the
    device's modalias in the booted machine (fnmatch, as modprobe does)."""
    modaliases = re.findall(r'KCPP-MODALIAS (\S+)', out)
    for m in modules:
        name = os.path.basename(m)[:-3]
        if name not in EXPECTED_ALIAS:
            continue
        aliases = subprocess.run(['modinfo', '-F', 'alias', m], capture_output=True,
                                 text=True).stdout.split()
        for pattern, device in EXPECTED_ALIAS[name]:
            tally.add(f'{tag}: modinfo {name} shows alias {pattern}',
                      any(re.fullmatch(pattern, a) for a in aliases), ' '.join(aliases))
            if device:
                hits = [d for d in modaliases if d.startswith(device)
                        and any(fnmatch.fnmatchcase(d, a) for a in aliases)]
                tally.add(f'{tag}: {name} alias matches the device modalias (autoload)', bool(hits),
                          ' '.join(modaliases))


def test_only_checks(tally: Tally, tag: str, modules: Sequence[str]) -> None:
    """No module a user loads (examples, nova-core) holds test-only code
    (logs.TEST_ONLY_SYMBOL)."""
    for m in modules:
        bad = test_only_symbols(quiet(['nm', m]).stdout)
        tally.add(f'{tag}: {os.path.basename(m)} holds no test-only symbol', not bad,
                  ' '.join(bad[:5]))


def kbuild_rule_checks(tally: Tally, kdir: str, moddir: str, logdir: str) -> None:
    """The .cpp rule behaves like Kbuild's own: nothing rebuilt without a
    change, V=1 shows the command, a flag or header change rebuilds."""
    obj = os.path.join(moddir, 'hello.o')
    cxx_line = re.compile(r'CXX \[M\]\s+\S*hello\.o')

    _, out = build_external(kdir, moddir, os.path.join(logdir, 'kbuild-noop.log'))
    tally.add('kbuild: an unchanged tree rebuilds no C++ object', not cxx_line.search(out))

    _, out = build_external(kdir, moddir, os.path.join(logdir, 'kbuild-flag.log'),
                            extra=['CXXFLAGS_hello.o=-DKCPP_FLAG_PROBE', 'V=1'])
    tally.add('kbuild: a changed flag rebuilds the object (if_changed)',
              re.search(r'g\+\+-12 .*-DKCPP_FLAG_PROBE .*hello\.cpp', out) is not None)
    tally.add('kbuild: V=1 prints the g++ command with the C++20 freestanding flags',
              re.search(r'g\+\+-12 .*-std=gnu\+\+20 -nostdinc\+\+ -fno-exceptions -fno-rtti', out)
              is not None)
    tally.add('kbuild: no kernel include path on the C++ command line',
              not any('hello.cpp' in l and ('/include/linux' in l or 'compiler_types.h' in l or
                                             'arch/x86/include' in l)
                      for l in out.splitlines()))
    tally.add('kbuild: objtool runs on the module that holds the C++ object',
              re.search(r'objtool .*--module \S*kcpp_hello\.o', out) is not None)

    # The compiler rule: C++ from the kernel's compiler family and version,
    # and a clear error for anything else, before anything is compiled.
    for cxx, expect in (('clang++-19', "is clang++, but the kernel was built with gcc"),
                        ('g++-99', "C++ compiler 'g++-99' not found; install g++-12")):
        _, out = build_external(kdir, moddir, os.path.join(logdir, 'kbuild-cxx.log'),
                                extra=[f'KCPP_CXX={cxx}'])
        tally.add(f'kbuild: KCPP_CXX={cxx} for a GCC 12 kernel stops with "{expect}"',
                  expect in out and not cxx_line.search(out), out[-300:])

    # Back to the normal flags, then a header change: fixdep's dependencies.
    build_external(kdir, moddir, os.path.join(logdir, 'kbuild-restore.log'))
    header = os.path.join(REPO, 'include', 'kcpp', 'print.h')
    before = os.path.getmtime(obj)
    os.utime(header)
    _, out = build_external(kdir, moddir, os.path.join(logdir, 'kbuild-header.log'))
    tally.add('kbuild: touching an included header rebuilds the object (fixdep)',
              cxx_line.search(out) is not None and os.path.getmtime(obj) > before)


def stock_checks(tally: Tally, logdir: str) -> None:
    """Every kernel of the matrix in turn; the Kbuild, install and DKMS
    checks on the 6.12 one."""
    for tag in MATRIX:
        stock_kernel_checks(tally, logdir, tag)


def stock_kernel_checks(tally: Tally, logdir: str, tag: str) -> None:
    """The modules built against one stock kernel's headers, and loaded and
    unloaded on that kernel. Each check's name starts with `stock <tag>`."""
    stock = prepare_stock(tag)
    kdir = stock['headers']
    name = f'stock {tag}'
    primary = tag == '6.12'
    slug = tag.replace('.', '_')

    # examples/hello exactly as a third-party author builds it.
    hello = os.path.join(REPO, 'examples', 'hello')
    clean_external(kdir, hello)
    ok, out = build_external(kdir, hello, os.path.join(logdir, f'stock-{slug}-hello.log'))
    tally.add(f'{name}: examples/hello builds out of tree (M=examples/hello)', ok)
    tally.add(f'{name}: examples/hello build log has no warning (objtool, BTF, compiler)',
              ok and not warnings_in(out), '\n'.join(warnings_in(out)[:5]))
    hello_ko = os.path.join(hello, 'kcpp_hello.ko')
    if ok:
        info = quiet(['modinfo', hello_ko]).stdout
        tally.add(f'{name}: modinfo shows license GPL',
                  re.search(r'^license:\s+GPL$', info, re.M) is not None)
        tally.add(f'{name}: vermagic matches the stock kernel',
                  re.search(rf'^vermagic:\s+{re.escape(stock["release"])} ', info, re.M)
                  is not None)
        secs = quiet(['readelf', '-SW', hello_ko]).stdout
        if os.path.exists(os.path.join(kdir, 'vmlinux')):
            tally.add(f'{name}: module carries BTF despite C++ DWARF (.BTF section)', '.BTF' in secs)
        else:
            # Debian's 6.1 headers ship no vmlinux, the base module BTF is
            # encoded against: Kbuild skips BTF for every module there.
            tally.add(f'{name}: no vmlinux in the headers, so Kbuild skips module BTF, for that '
                      'reason only', '.BTF' not in secs and
                      'kcpp_hello.ko due to unavailability of vmlinux' in out, out[-300:])
        tally.add(f'{name}: no COMDAT group, symbol-named section or unique symbol in the module',
                  *comdat_free([hello_ko]))

    # Kbuild behaviour of the .cpp rule, on the same module.
    if ok and primary:
        kbuild_rule_checks(tally, kdir, hello, logdir)

    # The whole repository out of tree: every example module.
    clean_external(kdir, REPO)
    ok_all, out_all = build_external(kdir, REPO, os.path.join(logdir, f'stock-{slug}-repo.log'))
    tally.add(f'{name}: all modules build out of tree (M=<repo>)', ok_all)
    tally.add(f'{name}: repo build log has no warning (objtool, BTF, compiler)',
              ok_all and not warnings_in(out_all), '\n'.join(warnings_in(out_all)[:5]))
    modules = driver_modules(REPO) if ok_all else []
    if not modules:
        tally.add(f'{name}: modules to load', False, 'no .ko built')
        clean_external(kdir, hello)
        return
    test_only_checks(tally, name, modules)
    shim_part_checks(tally, name, modules, REPO)
    try:
        deps = module_deps(stock, modules)
    except Failure as e:  # the other kernels' stages still run, and the tree is cleaned
        tally.add(f'{name}: the stock kernel has the modules kcpp\'s need', False, str(e))
        clean_external(kdir, REPO)
        clean_external(kdir, hello)
        return
    initrd = os.path.join(CACHE, f'stock-{slug}-initramfs.cpio')
    make_initramfs(modules, initrd, os.path.join(CACHE, f'initramfs-stock-{slug}'), deps=deps)
    out = boot(stock['vmlinuz'], initrd, os.path.join(logdir, f'stock-{slug}-boot.log'),
               append='loglevel=7')
    tally.add(f'{name}: the booted kernel is {stock["release"]}',
              f'Linux version {stock["release"]} ' in out)
    for i, d in enumerate(deps):
        dep = os.path.basename(d)[:-3]
        tally.add(f'{name}: the kernel\'s own {dep}.ko, which a kcpp module needs, loads first',
                  re.search(rf'KCPP-DEP {i:03d}-{re.escape(dep)} load=0', out) is not None)
    check_boot_log(tally, f'{name} boot', out, modules)
    alias_checks(tally, name, modules, out)
    firmware_checks(tally, name, modules)
    clean_external(kdir, REPO)
    clean_external(kdir, hello)
    if primary:
        install_checks(tally, stock, logdir, [os.path.basename(m) for m in modules])


def install_checks(tally: Tally, stock: Stock, logdir: str, kos: Sequence[str]) -> None:
    """make install and dkms against the stock headers, into scratch trees
    (nothing lands in the machine's /lib/modules)."""
    kdir, release = stock['headers'], stock['release']
    scratch = os.path.join(CACHE, 'install-test')
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    r = quiet(['make', '-C', REPO, 'install', f'KDIR={kdir}', f'INSTALL_MOD_PATH={scratch}/root',
               f'-j{JOBS}'])
    with open(os.path.join(logdir, 'install.log'), 'w') as f:
        f.write(r.stdout)
    installed = sorted(os.path.basename(p) for p in glob.glob(
        os.path.join(scratch, 'root', 'lib', 'modules', release, '**', '*.ko*'), recursive=True))
    tally.add('make install puts every module under /lib/modules/<release>/extra',
              r.returncode == 0 and all(any(i.startswith(k[:-3] + '.ko') for i in installed)
                                        for k in kos), ' '.join(installed) or r.stdout[-500:])
    clean_external(kdir, REPO)
    # DKMS: the package source as /usr/src/kcpp-<version> would hold it.
    m = re.search(r'PACKAGE_VERSION="([^"]+)"', open(os.path.join(REPO, 'dkms.conf')).read())
    if not m:
        raise Failure('dkms.conf has no PACKAGE_VERSION')
    version = m[1]
    src = os.path.join(scratch, 'src', f'kcpp-{version}')
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns('.git', 'html-build', '*.o', '*.ko',
                                                             '.*.cmd', '.kcpp-gen'))
    for d in ('dkms', 'installed'):
        os.makedirs(os.path.join(scratch, d), exist_ok=True)
    common = ['--dkmstree', os.path.join(scratch, 'dkms'), '--sourcetree', os.path.join(scratch, 'src'),
              '--installtree', os.path.join(scratch, 'installed'), '-k', release,
              '--kernelsourcedir', kdir]
    out = ''
    ok = True
    for step in (['add', '-m', 'kcpp', '-v', version], ['build', '-m', 'kcpp', '-v', version]):
        r = quiet(['dkms', *step, *common])
        out += r.stdout
        ok = ok and r.returncode == 0
    with open(os.path.join(logdir, 'dkms.log'), 'w') as f:
        f.write(out)
    built = sorted(os.path.basename(p) for p in glob.glob(
        os.path.join(scratch, 'dkms', 'kcpp', version, release, '**', '*.ko*'), recursive=True))
    tally.add('dkms builds every module for the stock kernel (dkms.conf)',
              ok and all(any(b.startswith(k[:-3] + '.ko') for b in built) for k in kos),
              ' '.join(built) or out[-800:])
    shutil.rmtree(scratch, ignore_errors=True)
