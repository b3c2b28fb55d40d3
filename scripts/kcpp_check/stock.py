# SPDX-License-Identifier: GPL-2.0
"""Stage 4 of make check: the modules built against Debian's stock 6.12
headers as a driver author outside the tree builds them, loaded on the stock
kernel under QEMU, their modinfo, and make install and dkms."""

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


def stock_version() -> str:
    """The version of linux-headers-6.12-amd64's current dependency."""
    pattern = re.compile(r'Depends: linux-headers-(6\.12\.[0-9]+\+deb12)-amd64')
    m = pattern.search(quiet(['apt-cache', 'depends', 'linux-headers-6.12-amd64']).stdout)
    if not m and os.geteuid() == 0:
        quiet(['apt-get', 'update'])
        m = pattern.search(quiet(['apt-cache', 'depends', 'linux-headers-6.12-amd64']).stdout)
    if m:
        return m.group(1)
    have = sorted(glob.glob(os.path.join(CACHE, 'stock-*', 'ok')))
    if have:  # offline: reuse what is cached
        return os.path.basename(os.path.dirname(have[-1]))[len('stock-'):]
    raise Failure('apt knows no linux-headers-6.12-amd64; run apt-get update')


def prepare_stock() -> Stock:
    """Downloads and extracts Debian's stock 6.12 headers and kernel image
    (not installed: nothing on this machine changes). Returns paths."""
    abi = stock_version()
    root = os.path.join(CACHE, f'stock-{abi}')
    flavour = f'{abi}-amd64'
    if not os.path.exists(os.path.join(root, 'ok')):
        log(f'fetching Debian stock kernel {flavour}')
        shutil.rmtree(root, ignore_errors=True)
        debs = os.path.join(root, 'debs')
        os.makedirs(debs)
        pkgs = [f'linux-headers-{flavour}', f'linux-headers-{abi}-common', f'linux-kbuild-{abi}',
                f'linux-image-{flavour}']
        rc, _ = run(['apt-get', 'download'] + pkgs, cwd=debs, check=False)
        if rc != 0:
            raise Failure('apt-get download of the stock kernel failed: ' + ' '.join(pkgs))
        for deb in sorted(glob.glob(os.path.join(debs, '*.deb'))):
            run(['dpkg-deb', '-x', deb, root], echo=False)
        shutil.rmtree(debs)
        # The flavour's Makefile includes the common headers by absolute path.
        mk = os.path.join(root, 'usr/src', f'linux-headers-{flavour}', 'Makefile')
        text = open(mk).read().replace('include /usr/src/', f'include {root}/usr/src/')
        open(mk, 'w').write(text)
        open(os.path.join(root, 'ok'), 'w').write(flavour + '\n')
    return {
        'root': root,
        'release': flavour,
        'headers': os.path.join(root, 'usr/src', f'linux-headers-{flavour}'),
        'vmlinuz': os.path.join(root, 'boot', f'vmlinuz-{flavour}'),
    }


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
EXPECTED_ALIAS: dict[str, tuple[str, Optional[str]]] = {
    'kcpp_pci_testdev': (r'pci:v00001B36d00000005sv\*sd\*bc\*sc\*i\*', 'pci:v00001B36d00000005'),
    'kcpp_auxiliary': (r'auxiliary:kcpp_auxiliary\.auxiliary', None),
    'kcpp_edu': (r'pci:v00001234d000011E8sv\*sd\*bc\*sc\*i\*', 'pci:v00001234d000011E8'),
    # Every NVIDIA VGA (03 00) or 3D (03 02) function; no such device in QEMU.
    'nova_core': (r'pci:v000010DEd\*sv\*sd\*bc03sc0[02]i\*', None),
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
        pattern, device = EXPECTED_ALIAS[name]
        aliases = subprocess.run(['modinfo', '-F', 'alias', m], capture_output=True,
                                 text=True).stdout.split()
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

    # Back to the normal flags, then a header change: fixdep's dependencies.
    build_external(kdir, moddir, os.path.join(logdir, 'kbuild-restore.log'))
    header = os.path.join(REPO, 'include', 'kcpp', 'print.h')
    before = os.path.getmtime(obj)
    os.utime(header)
    _, out = build_external(kdir, moddir, os.path.join(logdir, 'kbuild-header.log'))
    tally.add('kbuild: touching an included header rebuilds the object (fixdep)',
              cxx_line.search(out) is not None and os.path.getmtime(obj) > before)


def stock_checks(tally: Tally, logdir: str) -> None:
    stock = prepare_stock()
    kdir = stock['headers']

    # examples/hello exactly as a third-party author builds it.
    hello = os.path.join(REPO, 'examples', 'hello')
    clean_external(kdir, hello)
    ok, out = build_external(kdir, hello, os.path.join(logdir, 'stock-hello.log'))
    tally.add('stock: examples/hello builds out of tree (M=examples/hello)', ok)
    tally.add('stock: examples/hello build log has no warning (objtool, BTF, compiler)',
              ok and not warnings_in(out), '\n'.join(warnings_in(out)[:5]))
    hello_ko = os.path.join(hello, 'kcpp_hello.ko')
    if ok:
        info = quiet(['modinfo', hello_ko]).stdout
        tally.add('stock: modinfo shows license GPL', re.search(r'^license:\s+GPL$', info, re.M)
                  is not None)
        tally.add('stock: vermagic matches the stock kernel',
                  re.search(rf'^vermagic:\s+{re.escape(stock["release"])} ', info, re.M)
                  is not None)
        secs = quiet(['readelf', '-SW', hello_ko]).stdout
        tally.add('stock: module carries BTF despite C++ DWARF (.BTF section)', '.BTF' in secs)
        tally.add('stock: no COMDAT group, symbol-named section or unique symbol in the module',
                  *comdat_free([hello_ko]))

    # Kbuild behaviour of the .cpp rule, on the same module.
    if ok:
        kbuild_rule_checks(tally, kdir, hello, logdir)

    # The whole repository out of tree: every example module.
    clean_external(kdir, REPO)
    ok_all, out_all = build_external(kdir, REPO, os.path.join(logdir, 'stock-repo.log'))
    tally.add('stock: all modules build out of tree (M=<repo>)', ok_all)
    tally.add('stock: repo build log has no warning (objtool, BTF, compiler)',
              ok_all and not warnings_in(out_all), '\n'.join(warnings_in(out_all)[:5]))
    modules = driver_modules(REPO) if ok_all else []
    if not modules:
        tally.add('stock: modules to load', False, 'no .ko built')
        return
    test_only_checks(tally, 'stock', modules)
    shim_part_checks(tally, 'stock', modules, REPO)
    initrd = os.path.join(CACHE, 'stock-initramfs.cpio')
    make_initramfs(modules, initrd, os.path.join(CACHE, 'initramfs-stock'))
    out = boot(stock['vmlinuz'], initrd, os.path.join(logdir, 'stock-boot.log'),
               append='loglevel=7')
    check_boot_log(tally, 'stock boot', out, modules)
    alias_checks(tally, 'stock', modules, out)
    firmware_checks(tally, 'stock', modules)
    clean_external(kdir, REPO)
    clean_external(kdir, hello)
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
