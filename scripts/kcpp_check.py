#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kcpp's test driver: `make check`, `make demo` and the edit-to-result benchmark.

Steps of `check` (each is counted in the closing `N passed, N failed` line):
  1. deps     install the Debian packages that are missing (as root)
  2. kernel   extract linux-source-6.12 into the cache, wire kcpp into it,
              configure and build the KUnit kernel (build log kept)
  3. kunit    run every KUnit suite at boot under QEMU through the kernel's
              own kunit.py (pci-testdev, edu, two NUMA nodes)
  4. stock    build the modules against Debian's stock linux-headers and load
              them on the stock kernel booted under QEMU with a busybox
              initramfs, checking what the kernel log says
The cache lives in $KCPP_CACHE (default ~/.cache/kcpp), outside the repo.
"""

import argparse
import fnmatch
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get('KCPP_CACHE', os.path.expanduser('~/.cache/kcpp'))
SRC_TARBALL = '/usr/src/linux-source-6.12.tar.xz'
SRCTREE = os.path.join(CACHE, 'linux-source-6.12')
KUNIT_BUILD = os.path.join(CACHE, 'build-kunit')
KUNITCONFIG = os.path.join(REPO, 'scripts', 'kunitconfig')
QEMU_CONFIG = os.path.join(REPO, 'scripts', 'kunit_qemu_x86_64.py')
JOBS = str(os.cpu_count() or 2)

# Debian packages the whole flow needs: program that proves it is there -> package.
PACKAGES = {
    'gcc-12': 'gcc-12', 'g++-12': 'g++-12', 'make': 'make', 'flex': 'flex', 'bison': 'bison',
    'bc': 'bc', 'pahole': 'dwarves', 'python3': 'python3', 'cpio': 'cpio', 'xz': 'xz-utils',
    'zstd': 'zstd', 'modinfo': 'kmod', 'qemu-system-x86_64': 'qemu-system-x86',
    '/bin/busybox': 'busybox-static', SRC_TARBALL: 'linux-source-6.12',
    '/usr/include/libelf.h': 'libelf-dev', '/usr/include/openssl/ssl.h': 'libssl-dev',
    '/usr/share/qemu/qboot.rom': 'qemu-system-data', 'doxygen': 'doxygen', 'dkms': 'dkms',
    'clang-tidy-19': 'clang-tidy-19',
}


class Failure(Exception):
    """A step that could not run at all (as opposed to a failed test)."""


def log(msg):
    print(f'[kcpp] {msg}', flush=True)


def run(cmd, log_path=None, check=True, cwd=None, env=None, echo=True):
    """Runs cmd; output goes to the terminal and, if given, to log_path."""
    if echo:
        log('$ ' + ' '.join(cmd))
    out = open(log_path, 'w') if log_path else None
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors='replace')
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if out:
            out.write(line)
        sys.stdout.write(line)
    proc.wait()
    if out:
        out.close()
    if check and proc.returncode != 0:
        raise Failure(f'command failed ({proc.returncode}): {" ".join(cmd)}')
    return proc.returncode, ''.join(lines)


def quiet(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors='replace', **kw)


class Tally:
    """Counts every check of the run for the closing line."""

    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.failures = []

    def add(self, name, ok, detail=''):
        if ok:
            self.passed += 1
            log(f'ok     {name}')
        else:
            self.failed += 1
            self.failures.append(name)
            log(f'FAILED {name}' + (f': {detail}' if detail else ''))
        return ok

    def merge(self, passed, failed, skipped):
        self.passed += passed
        self.failed += failed
        self.skipped += skipped

    def line(self):
        s = f'{self.passed} passed, {self.failed} failed'
        return s + (f', {self.skipped} skipped' if self.skipped else '')


# ---------------------------------------------------------------- deps ----

def have(probe):
    return os.path.exists(probe) if probe.startswith('/') else shutil.which(probe) is not None


def ensure_deps():
    missing = sorted({pkg for probe, pkg in PACKAGES.items() if not have(probe)})
    if not missing:
        return
    if os.geteuid() != 0:
        raise Failure('missing Debian packages: ' + ' '.join(missing) +
                      '\n  install them as root: apt-get install -y ' + ' '.join(missing))
    log('installing ' + ' '.join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    rc, out = run(['apt-get', 'install', '-y', '--no-install-recommends'] + missing,
                  check=False, env=env)
    if rc != 0:
        run(['apt-get', 'update'], check=False, env=env)
        rc, out = run(['apt-get', 'install', '-y', '--no-install-recommends'] + missing,
                      check=False, env=env)
    still = sorted({pkg for probe, pkg in PACKAGES.items() if not have(probe)})
    if rc != 0 or still:
        raise Failure('could not install ' + ' '.join(still or missing) +
                      ' with apt-get; is a Debian bookworm mirror reachable?')


# -------------------------------------------------------------- kernel ----

def source_version():
    r = quiet(['dpkg-query', '-W', '-f=${Version}', 'linux-source-6.12'])
    return r.stdout.strip() if r.returncode == 0 else 'unknown'


def prepare_source():
    """Extracts the 6.12 source once per package version and wires kcpp in."""
    os.makedirs(CACHE, exist_ok=True)
    stamp = os.path.join(CACHE, 'linux-source-6.12.version')
    version = source_version()
    current = open(stamp).read().strip() if os.path.exists(stamp) else None
    if current != version or not os.path.isdir(SRCTREE):
        log(f'extracting linux-source-6.12 {version} into {CACHE}')
        shutil.rmtree(SRCTREE, ignore_errors=True)
        shutil.rmtree(KUNIT_BUILD, ignore_errors=True)
        run(['tar', '-C', CACHE, '-xf', SRC_TARBALL])
        with open(stamp, 'w') as f:
            f.write(version + '\n')
    run([os.path.join(REPO, 'scripts', 'wire-kernel.sh'), SRCTREE, REPO], echo=False)
    sim_firmware()


def sim_firmware():
    """Writes the simulated GPU's firmware files where the kernel build takes
    them from (tests/firmware), and checks the kernel config names them all."""
    gen = os.path.join(REPO, 'scripts', 'nova_sim_firmware.py')
    run([sys.executable, gen, os.path.join(REPO, 'tests', 'firmware')], echo=False)
    names = quiet([sys.executable, gen, '--list']).stdout.split()
    with open(KUNITCONFIG) as f:
        config = re.search(r'^CONFIG_EXTRA_FIRMWARE="([^"]*)"', f.read(), re.M).group(1).split()
    missing = sorted(set(names) - set(config))
    if missing:
        sys.exit('scripts/kunitconfig: CONFIG_EXTRA_FIRMWARE lacks ' + ' '.join(missing))


def kunit_py(*args, build_dir=None):
    return [sys.executable, os.path.join(SRCTREE, 'tools/testing/kunit/kunit.py'), *args,
            '--arch=x86_64', f'--build_dir={build_dir or KUNIT_BUILD}']


def build_kernel(log_path):
    """Configures and builds the KUnit kernel; the full log is kept."""
    run(kunit_py('config', f'--kunitconfig={KUNITCONFIG}', f'--qemu_config={QEMU_CONFIG}'),
        cwd=SRCTREE)
    log('building the KUnit kernel (log: %s)' % log_path)
    rc, out = run(['make', '-C', SRCTREE, 'ARCH=x86_64', f'O={KUNIT_BUILD}', f'-j{JOBS}'],
                  log_path=log_path, check=False, echo=True)
    return rc == 0, out


# What counts as a warning in a build log. The kernel's own 6.12 build of this
# configuration is free of them, so any such line is a finding.
WARNING_LINES = re.compile(
    r'warning:|orphan section|objtool:|error while encoding BTF|BTF.*(fail|invalid)|'
    r'DW_TAG_|die__process|valid for C/ObjC but not for C\+\+', re.I)


def warnings_in(text):
    """Warning lines of a build log (compiler, linker, objtool, pahole)."""
    return [l for l in text.splitlines() if WARNING_LINES.search(l)]


def c_only_flags():
    """The kcpp-c-only-flags list of kcpp.mk."""
    text = open(os.path.join(REPO, 'scripts', 'kcpp.mk')).read()
    block = text.split('kcpp-c-only-flags :=', 1)[1].split('\n\n', 1)[0]
    return block.replace('\\', ' ').split()


def check_c_only_flags(tally, cxx='g++-12'):
    """Each flag kcpp.mk removes must really be one g++ does not take: the
    list may hold nothing a C++ compile would lose."""
    taken = []
    for flag in c_only_flags():
        r = quiet([cxx, '-x', 'c++', '-fsyntax-only', flag, '-'], input='int x;\n')
        if 'not for C++' not in r.stdout and 'not valid for C++' not in r.stdout:
            taken.append(flag)
    tally.add(f'every flag kcpp.mk filters out is rejected by {cxx} for C++', not taken,
              'taken by g++: ' + ' '.join(taken))


def comdat_free(objects):
    """(ok, detail): no object has a COMDAT group, a .text._Z/.data._Z/.bss._Z
    section or an STB_GNU_UNIQUE symbol left, i.e. kcpp-sections.lds and
    -fno-gnu-unique did their job."""
    bad = []
    for o in objects:
        secs = quiet(['readelf', '-SW', o]).stdout
        syms = quiet(['readelf', '-sW', o]).stdout
        if ' GROUP ' in secs or re.search(r'\s\.(text|data|bss)\._Z', secs) or ' UNIQUE ' in syms:
            bad.append(os.path.basename(o))
    return (bool(objects) and not bad), 'left in: ' + ' '.join(bad) if bad else ''


def doctest_selftests(tally, logdir):
    """The doctest machinery itself: fixtures whose build must fail, and say
    why, built as external modules against the KUnit kernel."""
    base = os.path.join(REPO, 'doctests', 'selftest')
    cases = {
        'ill_formed': (r'fixture\.h:10:\d+: error: .undeclared_name. was not declared',
                       'an ill-formed example fails the build with an error at its header line'),
        'compiles': (r'this compile_fail example compiles',
                     'a compile_fail example that compiles fails the build'),
    }
    for name, (pattern, what) in cases.items():
        d = os.path.join(base, name)
        quiet(['make', '-C', KUNIT_BUILD, f'M={d}', f'KCPP_DIR={REPO}', 'clean'])
        # The expected failure stays in its log, out of the terminal.
        r = quiet(['make', '-C', KUNIT_BUILD, f'M={d}', f'KCPP_DIR={REPO}', f'-j{JOBS}'])
        rc, out = r.returncode, r.stdout
        with open(os.path.join(logdir, f'doctest-selftest-{name}.log'), 'w') as f:
            f.write(out)
        tally.add(f'doctest selftest: {what}', rc != 0 and re.search(pattern, out) is not None)
        quiet(['make', '-C', KUNIT_BUILD, f'M={d}', f'KCPP_DIR={REPO}', 'clean'])

    # A failing example: the module builds; loaded in the test kernel its
    # suite fails, and kunit.py's parse of the console names the line.
    d = os.path.join(base, 'fails')
    quiet(['make', '-C', KUNIT_BUILD, f'M={d}', f'KCPP_DIR={REPO}', 'clean'])
    r = quiet(['make', '-C', KUNIT_BUILD, f'M={d}', f'KCPP_DIR={REPO}', f'-j{JOBS}'])
    ko = os.path.join(d, 'kcpp_doctest_selftest.ko')
    found = False
    if r.returncode == 0 and os.path.exists(ko):
        initrd = os.path.join(CACHE, 'selftest-initramfs.cpio')
        make_initramfs([ko], initrd, os.path.join(CACHE, 'initramfs-selftest'))
        console = boot(os.path.join(KUNIT_BUILD, 'arch/x86/boot/bzImage'), initrd,
                       os.path.join(logdir, 'doctest-selftest-fails-boot.log'),
                       append='kunit.enable=1 kunit.filter_glob=kcpp_doctest_fixture')
        module_ktap = console[console.find('KCPP-INIT up'):]
        parsed = quiet([sys.executable, os.path.join(SRCTREE, 'tools/testing/kunit/kunit.py'),
                        'parse'], input=module_ktap).stdout
        with open(os.path.join(logdir, 'doctest-selftest-fails-kunit.log'), 'w') as f:
            f.write(parsed)
        found = (re.search(r'EXPECTATION FAILED at fixture\.h:10', parsed) is not None and
                 'six * seven == 42' in parsed)
    tally.add('doctest selftest: a failing example is reported at its header line by kunit.py', found)
    quiet(['make', '-C', KUNIT_BUILD, f'M={d}', f'KCPP_DIR={REPO}', 'clean'])


def run_kunit(json_path, log_path):
    """Boots the test kernel and runs every suite; returns the parsed results."""
    cmd = kunit_py('run', f'--kunitconfig={KUNITCONFIG}', f'--qemu_config={QEMU_CONFIG}',
                   f'--jobs={JOBS}', '--timeout=300', f'--json={json_path}')
    rc, out = run(cmd, log_path=log_path, check=False, cwd=SRCTREE)
    if not os.path.exists(json_path):
        return None, out
    with open(json_path) as f:
        return json.load(f), out


# KUnit cases that may skip, each with the reason. Every device and NUMA node
# the suites need is in the QEMU machine, so none may: a skip anywhere else
# is counted as a failure, or a missing device would pass unnoticed.
ALLOWED_SKIPS: dict = {}


def count_kunit(results):
    """Counts leaf test cases of kunit.py's JSON (KernelCI format); a skip
    not in ALLOWED_SKIPS counts as failed."""
    passed = failed = skipped = 0
    names_failed = []

    def walk(group, prefix):
        nonlocal passed, failed, skipped
        for sub in group.get('sub_groups', []):
            walk(sub, prefix + sub['name'] + '.')
        for case in group.get('test_cases', []):
            status = case.get('status')
            if status == 'PASS':
                passed += 1
            elif status == 'SKIP' and prefix + case['name'] in ALLOWED_SKIPS:
                skipped += 1
            else:
                failed += 1
                names_failed.append(prefix + case['name'])

    walk(results, '')
    return passed, failed, skipped, names_failed


def merge_kunit(tally, results, label):
    """Logs kunit.py's results (label: '' or 'debug ') and adds them to the tally."""
    p, f, s, failed = count_kunit(results)
    log(f'{label}KUnit: {p} passed, {f} failed, {s} skipped')
    for name in failed:
        log(f'FAILED {label}kunit {name} (failed, crashed or skipped)')
    tally.merge(p, f, s)


# --------------------------------------------------------------- stock ----

def stock_version():
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


def prepare_stock():
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


def build_external(kdir, moddir, log_path, extra=()):
    """make -C kdir M=moddir, as a driver author outside the tree runs it."""
    cmd = ['make', '-C', kdir, f'M={moddir}', f'KCPP_DIR={REPO}', f'-j{JOBS}', *extra]
    rc, out = run(cmd, log_path=log_path, check=False)
    return rc == 0, out


def clean_external(kdir, moddir):
    quiet(['make', '-C', kdir, f'M={moddir}', f'KCPP_DIR={REPO}', 'clean'])


INIT_SCRIPT = r'''#!/bin/busybox sh
/bin/busybox --install -s /bin
mkdir -p /proc /sys /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
# Every marker goes through /dev/kmsg: the kernel's ring buffer is the one
# ordered stream, so a marker and the printk lines around it reach the
# console in the order they happened (printk.devkmsg=on lifts the ratelimit).
mark() { echo "$*" > /dev/kmsg; }
mark "KCPP-INIT up $(uname -r)"
mark "KCPP-TAINT before $(cat /proc/sys/kernel/tainted)"
for d in /sys/bus/pci/devices/*; do mark "KCPP-MODALIAS $(cat $d/modalias)"; done
# One module at a time: several examples drive the same device.
for ko in /modules/*.ko; do
  name=$(basename "$ko" .ko)
  insmod "$ko"; mark "KCPP-RESULT $name load=$?"
  grep "^$name " /proc/modules | while read n rest; do mark "KCPP-MODULE $n $rest"; done
  # The module's user-space check (examples/<dir>/check.sh), if it has one;
  # each line it prints becomes one record of the ring buffer.
  [ -x "/checks/$name.sh" ] && /checks/$name.sh > /dev/kmsg 2>&1
  # A PCI driver named after its module: unbind and bind again through sysfs.
  for dev in /sys/bus/pci/drivers/$name/0000:*; do
    [ -e "$dev" ] || continue
    b=$(basename "$dev")
    echo "$b" > /sys/bus/pci/drivers/$name/unbind; mark "KCPP-UNBIND $name $b rc=$?"
    echo "$b" > /sys/bus/pci/drivers/$name/bind; mark "KCPP-BIND $name $b rc=$?"
  done
  rmmod "$name"; mark "KCPP-RESULT $name unload=$?"
done
mark "KCPP-TAINT after $(cat /proc/sys/kernel/tainted)"
mark "KCPP-INIT done"
poweroff -f
'''


def gen_init_cpio():
    """The kernel's initramfs packer, built from the cached source (it lets
    the archive hold /dev/console without root privileges)."""
    tool = os.path.join(CACHE, 'bin', 'gen_init_cpio')
    src = os.path.join(SRCTREE, 'usr', 'gen_init_cpio.c')
    if not os.path.exists(tool) or os.path.getmtime(tool) < os.path.getmtime(src):
        os.makedirs(os.path.dirname(tool), exist_ok=True)
        run(['gcc', '-O2', '-o', tool, src], echo=False)
    return tool


KMEMLEAK_SCAN = r'''mount -t debugfs debugfs /sys/kernel/debug
# kmemleak reports a block once it has been unreferenced for two scans.
echo scan > /sys/kernel/debug/kmemleak; sleep 2
echo scan > /sys/kernel/debug/kmemleak
cat /sys/kernel/debug/kmemleak
mark "KCPP-KMEMLEAK scanned"
'''


def make_initramfs(modules, out_path, workdir, kmemleak=False):
    """A busybox initramfs that loads then unloads each module (and, for the
    sanitizer kernel, has kmemleak scan at the end)."""
    os.makedirs(workdir, exist_ok=True)
    init = os.path.join(workdir, 'init')
    script = INIT_SCRIPT
    if kmemleak:
        script = script.replace('mark "KCPP-INIT done"', KMEMLEAK_SCAN + 'mark "KCPP-INIT done"')
    with open(init, 'w') as f:
        f.write(script)
    lines = ['dir /dev 0755 0 0', 'nod /dev/console 0600 0 0 c 5 1', 'nod /dev/kmsg 0644 0 0 c 1 11',
             'dir /bin 0755 0 0',
             'file /bin/busybox /bin/busybox 0755 0 0', 'file /init %s 0755 0 0' % init,
             'dir /modules 0755 0 0', 'dir /checks 0755 0 0']
    for m in modules:
        lines.append(f'file /modules/{os.path.basename(m)} {m} 0644 0 0')
        name = os.path.basename(m)[:-3]
        if name in CHECK_SCRIPTS:
            lines.append(f'file /checks/{name}.sh {os.path.join(REPO, CHECK_SCRIPTS[name])} 0755 0 0')
    lst = os.path.join(workdir, 'initramfs.list')
    with open(lst, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    with open(out_path, 'wb') as f:
        subprocess.run([gen_init_cpio(), lst], stdout=f, check=True)


# On every boot: markers written to /dev/kmsg are not rate-limited, and the
# delay loop is preset, not calibrated. Under QEMU's TCG, a CPU that cannot
# take its value from the TSC calibrates against the clock, which depends on
# host load and logs a note when it cannot settle. The value is about what
# the boot CPU derives from this machine's 2.6 GHz TSC at HZ=250; nothing in
# the tests times itself with the delay loop.
LPJ = 10000000
BOOT_ARGS = f'printk.devkmsg=on lpj={LPJ}'


def boot(kernel, initrd, log_path, append='', extra=(), timeout=120):
    """Boots a kernel under QEMU (TCG) with the kcpp test devices."""
    cmd = ['qemu-system-x86_64', '-nodefaults', '-nographic', '-no-reboot', '-m', '1024',
           '-smp', '2,sockets=2,cores=1,threads=1', '-bios', 'qboot.rom', '-serial', 'stdio',
           '-object', 'memory-backend-ram,id=mem0,size=512M',
           '-object', 'memory-backend-ram,id=mem1,size=512M',
           '-numa', 'node,nodeid=0,cpus=0,memdev=mem0', '-numa', 'node,nodeid=1,cpus=1,memdev=mem1',
           '-device', 'pci-testdev', '-device', 'edu',
           '-kernel', kernel, '-initrd', initrd,
           '-append', f'console=ttyS0 panic=-1 {BOOT_ARGS} {append}'.strip(), *extra]
    log('$ ' + ' '.join(cmd))
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, errors='replace', timeout=timeout)
        out = r.stdout
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'').decode(errors='replace') + '\n[kcpp] QEMU timed out\n'
    with open(log_path, 'w') as f:
        f.write(out)
    return out


def driver_modules(tree):
    """The example modules and nova-core, built under tree."""
    return modules_of(os.path.join(tree, 'examples')) + modules_of(os.path.join(tree, 'drivers'))


def modules_of(build_dir):
    return sorted(p for p in glob.glob(os.path.join(build_dir, '**', '*.ko'), recursive=True))


# Messages each example module must print on load and on unload.
EXPECTED_LOG = {
    'kcpp_hello': [r'kcpp_hello: hello from C\+\+20 \(g\+\+ 12\.\d+\), kcpp module loaded',
                   r'kcpp_hello: goodbye, the answer was 42'],
    'kcpp_pci_testdev': [r'kcpp_pci_testdev \S+: pci-testdev data-match count: 1\b',
                         r'kcpp_pci_testdev \S+: config: vendor 1b36 revision 0 bar0 [0-9a-f]{8}',
                         r'kcpp_pci_testdev \S+: unbind',
                         # sysfs unbind, then bind: the test runs again.
                         r'KCPP-UNBIND kcpp_pci_testdev \S+ rc=0',
                         r'KCPP-BIND kcpp_pci_testdev \S+ rc=0',
                         r'(?s)data-match count: 1.*KCPP-UNBIND.*data-match count: 1.*KCPP-BIND'],
    'kcpp_edu': [r'kcpp_edu \S+: edu 1\.0, MSI irq \d+, DMA buffer at [0-9a-f]+',
                 r'KCPP-EDU factorial 0 = 1\b', r'KCPP-EDU factorial 5 = 120\b',
                 r'KCPP-EDU factorial 10 = 3628800\b', r'KCPP-EDU factorial 12 = 479001600\b',
                 r'KCPP-EDU factorial 13 rc=1', r'KCPP-EDU factorial abc rc=1',
                 r'KCPP-EDU dma_test 1 rc=0: 1 [0-9a-f]{8} ok',
                 r'KCPP-EDU dma_test 100 rc=0: 100 [0-9a-f]{8} ok',
                 r'KCPP-EDU dma_test 4095 rc=0: 4095 [0-9a-f]{8} ok',
                 r'KCPP-EDU dma_test 4096 rc=1', r'KCPP-EDU irqs 10\b',
                 # Dynamic debug: the call site is listed, prints only while switched on.
                 r'KCPP-EDU dyndbg sites [1-9]', r'KCPP-EDU dyndbg on rc=0', r'KCPP-EDU dyndbg off rc=0',
                 r'KCPP-EDU dyndbg factorial 3 printed 0\b', r'KCPP-EDU dyndbg factorial 4 printed 1\b',
                 r'KCPP-EDU dyndbg factorial 5 printed 0\b',
                 r'KCPP-UNBIND kcpp_edu \S+ rc=0', r'KCPP-BIND kcpp_edu \S+ rc=0'],
    'kcpp_auxiliary': [r'kcpp_aux_parent \S+: registered two auxiliary devices',
                       r'kcpp_auxiliary\.auxiliary\.0: child 0 bound; parent \S+ is 1b36:0005',
                       r'kcpp_auxiliary\.auxiliary\.1: child 1 bound; parent \S+ is 1b36:0005'],
}

# User-space checks run while a module is loaded (busybox sh in the boot).
CHECK_SCRIPTS = {'kcpp_edu': 'examples/edu/check.sh'}

# Autoloading: each module's modinfo alias= lines, and the modalias of a
# device of the test machine that one of them must match (as udev does).
EXPECTED_ALIAS = {
    'kcpp_pci_testdev': (r'pci:v00001B36d00000005sv\*sd\*bc\*sc\*i\*', 'pci:v00001B36d00000005'),
    'kcpp_auxiliary': (r'auxiliary:kcpp_auxiliary\.auxiliary', None),
    'kcpp_edu': (r'pci:v00001234d000011E8sv\*sd\*bc\*sc\*i\*', 'pci:v00001234d000011E8'),
    # Every NVIDIA VGA (03 00) or 3D (03 02) function; no such device in QEMU.
    'nova_core': (r'pci:v000010DEd\*sv\*sd\*bc03sc0[02]i\*', None),
}


# MODULE_FIRMWARE lists: how many firmware= lines, and one that must be there.
EXPECTED_FIRMWARE = {'nova_core': (64, 'nvidia/ga102/gsp/gsp-570.144.bin')}


def firmware_checks(tally, tag, modules):
    for m in modules:
        name = os.path.basename(m)[:-3]
        if name not in EXPECTED_FIRMWARE:
            continue
        count, one = EXPECTED_FIRMWARE[name]
        files = quiet(['modinfo', '-F', 'firmware', m]).stdout.split()
        tally.add(f'{tag}: modinfo {name} lists {count} firmware files, {one} among them',
                  len(files) == count and one in files, f'{len(files)} listed')


def alias_checks(tally, tag, modules, out):
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

# Kernel log lines that mean something went wrong in a kcpp module. The
# patterns are the kernel's own spellings, case and word boundary included:
# a timing note such as "failed to get a good estimate for loops_per_jiffy"
# must not match (case-folded, "loops" holds "oops").
BAD_KERNEL_LOG = re.compile(r'\bBUG:|\bWARNING:|\bOops\b|\bCall Trace:|\bgeneral protection fault\b|'
                            r'\bkernel BUG at\b|\bUnknown symbol\b|\bdisagrees about version\b|'
                            r'\bBTF\b.*\b(fail|invalid)|\bUBSAN:|\bunable to handle (kernel|page)\b|'
                            r'\bKASAN:')

# Taint flags a clean run may show (include/linux/panic.h): O (an out-of-tree
# module, bit 12), E (an unsigned one, bit 13) and N (KUnit tests ran, bit 18).
# Any other bit (W after a warning, D after an oops, ...) is a finding.
ALLOWED_TAINT = (1 << 12) | (1 << 13) | (1 << 18)
TAINT_LETTERS = 'PFSRMBUDAWCIOELKXTN'


def bad_log_lines(out):
    """The lines of a kernel log that report a real problem."""
    return [l for l in out.splitlines() if BAD_KERNEL_LOG.search(l)]


def unexpected_taint(out):
    """Letters of the taint flags set at the end of the boot script's run
    beyond ALLOWED_TAINT; None if the script did not report its taint."""
    m = re.search(r'KCPP-TAINT after (\d+)', out)
    if not m:
        return None
    bits = int(m.group(1)) & ~ALLOWED_TAINT
    return ''.join(c for i, c in enumerate(TAINT_LETTERS) if bits & (1 << i)) or (
        str(bits) if bits else '')


def check_boot_log(tally, tag, out, modules):
    names = [os.path.basename(m)[:-3] for m in modules]
    tally.add(f'{tag}: kernel reached init', 'KCPP-INIT up' in out)
    for name in names:
        tally.add(f'{tag}: {name} loads', f'KCPP-RESULT {name} load=0' in out)
        tally.add(f'{tag}: {name} listed in /proc/modules',
                  re.search(rf'KCPP-MODULE {name} ', out) is not None)
        tally.add(f'{tag}: {name} unloads', f'KCPP-RESULT {name} unload=0' in out)
        for pattern in EXPECTED_LOG.get(name, []):
            tally.add(f'{tag}: {name} logs /{pattern}/', re.search(pattern, out) is not None)
    bad = bad_log_lines(out)
    tally.add(f'{tag}: kernel log free of oopses, warnings and symbol errors', not bad,
              '; '.join(bad[:5]))
    taint = unexpected_taint(out)
    tally.add(f'{tag}: no taint beyond out-of-tree, unsigned and test modules', taint == '',
              'no KCPP-TAINT line' if taint is None else f'tainted: {taint}')
    tally.add(f'{tag}: init finished', 'KCPP-INIT done' in out)


def log_filter_checks(tally):
    """The log filter and the taint decoder on lines they must and must not flag."""
    findings = ['[    1.5] WARNING: CPU: 0 PID: 1 at lib/foo.c:12 foo+0x1/0x2',
                '[    2.0] BUG: KASAN: slab-use-after-free in kcpp_x',
                '[    2.1] Oops: general protection fault, probably for non-canonical address',
                '[    2.2] kcpp_edu: Unknown symbol kcpp_foo (err -2)',
                '[    2.3] UBSAN: shift-out-of-bounds in drivers/x.c:10:5',
                '[    2.4] BUG: unable to handle page fault for address: 0000000000000008']
    notes = ['[    0.044421] calibrate_delay_direct() failed to get a good estimate for '
             'loops_per_jiffy.',
             '[    0.1] Probably due to long platform interrupts. Consider using "lpj=" boot option.',
             '[    0.2] kcpp_nova_sim: warning-free boot', '[    0.3] Booting paravirtualized kernel']
    tally.add('log filter: flags every kind of real finding',
              all(bad_log_lines(l) for l in findings),
              ' | '.join(l for l in findings if not bad_log_lines(l)))
    tally.add('log filter: passes timing notes and ordinary lines',
              not any(bad_log_lines(l) for l in notes),
              ' | '.join(l for l in notes if bad_log_lines(l)))
    tally.add('taint check: O, E and N pass; W and D are named',
              unexpected_taint('KCPP-TAINT after 274432') == '' and
              unexpected_taint('KCPP-TAINT after 12928') == 'DW' and
              unexpected_taint('no marker') is None)


# Symbols of test-only code (the simulated GPU's bus side, the simulator
# itself, the test helpers) that no module a user loads may carry.
TEST_ONLY_SYMBOL = re.compile(r'bus_to_virt|nova_sim|kcpp_test|NovaSim|3sim\d')


def test_only_checks(tally, tag, modules):
    """No module a user loads (examples, nova-core) holds test-only code."""
    for m in modules:
        syms = quiet(['nm', m]).stdout.split('\n')
        bad = sorted({l.split()[-1] for l in syms if l.strip() and TEST_ONLY_SYMBOL.search(l)})
        tally.add(f'{tag}: {os.path.basename(m)} holds no test-only symbol', not bad,
                  ' '.join(bad[:5]))


def kbuild_rule_checks(tally, kdir, moddir, logdir):
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


def stock_checks(tally, logdir):
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


def install_checks(tally, stock, logdir, kos):
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
    version = re.search(r'PACKAGE_VERSION="([^"]+)"', open(os.path.join(REPO, 'dkms.conf')).read())[1]
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


# --------------------------------------------------------------- main -----

# ------------------------------------------------------- clang-tidy -----

# The g++ flags that mean the same to clang; the rest (GCC-only warnings,
# code generation and instrumentation flags) are left out of the database.
CLANG_KEEP = re.compile(r'^(-I|-D|-U|-std=|-nostdinc|-m64$|-mno-red-zone$|-mcmodel=|-fno-exceptions$|'
                        r'-fno-rtti$|-fshort-wchar$|-funsigned-char$|-fno-common$|-O2$)')


def write_compile_db(build=KUNIT_BUILD):
    """compile_commands.json (repository root, for clang-tidy and clangd):
    every C++ translation unit of the kcpp test kernel, from Kbuild's .cmd
    files, with repository paths and clang-compatible flags."""
    alias = os.path.join(SRCTREE, 'kcpp')
    entries = []
    for cmd in sorted(glob.glob(os.path.join(build, 'kcpp', '**', '.*.o.cmd'), recursive=True)):
        m = re.search(r'^savedcmd_\S+ := (g\+\+(-\d+)? [^;]*);', open(cmd).read(), re.M)
        if not m:
            continue
        args = shlex.split(m.group(1))
        src = args[-1]
        if not os.path.isabs(src):
            src = os.path.join(build, src)
        flags = []
        for a in args[1:-1]:
            if not CLANG_KEEP.match(a):
                continue
            if a.startswith('-I') and not a.startswith('-I/'):
                a = '-I' + os.path.join(build, a[2:])
            flags.append(a.replace(alias, REPO))
        src = src.replace(alias, REPO)
        obj = os.path.join(os.path.dirname(cmd), os.path.basename(cmd)[1:-4])
        if not os.path.exists(src) or not os.path.exists(obj):
            continue  # a stale command file: its object is gone
        entries.append({'directory': build, 'file': src,
                        'arguments': ['clang++', '--target=x86_64-linux-gnu', *flags, '-c', src]})
    with open(os.path.join(REPO, 'compile_commands.json'), 'w') as f:
        json.dump(entries, f, indent=1)
    return entries


# The doc examples show moved-from and copied states, forged ERR_PTR values,
# sign extension and argument names chosen for the reader (as tests/.clang-tidy
# allows the tests), and the generated file includes every header before the
# example's own includes.
DOCTEST_TIDY_EXCLUDED = ','.join('-' + c for c in (
    'bugprone-use-after-move', 'performance-unnecessary-copy-initialization',
    'performance-move-const-arg', 'performance-no-int-to-ptr', 'bugprone-signed-char-misuse',
    'readability-suspicious-call-argument', 'readability-duplicate-include'))


def tidy_checks(tally, logdir):
    """clang-tidy (.clang-tidy at the root, tests/.clang-tidy) on every C++
    translation unit of the test kernel, doctests included; any finding fails."""
    entries = write_compile_db()
    files = sorted({e['file'] for e in entries})
    findings, crashed = [], []
    with open(os.path.join(logdir, 'tidy.log'), 'w') as logf:
        def collect(f, proc):
            out = proc.communicate()[0]
            logf.write(out)
            findings.extend(l for l in out.splitlines() if re.search(r': (warning|error): ', l))
            if proc.returncode not in (0, 1) or 'Error while processing' in out:
                crashed.append(f)
        running = []
        for f in files:
            # Generated doctest files live in the build tree: the root config, less
            # what the examples do on purpose (DOCTEST_TIDY_EXCLUDED).
            config = [] if f.startswith(REPO + '/') else [
                f'--config-file={REPO}/.clang-tidy', '--checks=' + DOCTEST_TIDY_EXCLUDED]
            running.append((f, subprocess.Popen(['clang-tidy-19', '-p', REPO, '--quiet', *config, f],
                                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                                text=True, errors='replace')))
            if len(running) >= int(JOBS):
                collect(*running.pop(0))
        for job in running:
            collect(*job)
    findings = sorted(set(findings))
    for l in findings[:40]:
        print(l)
    tally.add(f'tidy: clang-tidy-19 parses all {len(files)} C++ translation units', not crashed,
              ' '.join(crashed[:5]))
    tally.add(f'tidy: no clang-tidy finding in {len(files)} translation units', not findings,
              f'{len(findings)} findings, see {logdir}/tidy.log')


def cmd_tidy(args):
    """make tidy: clang-tidy on every C++ file of the test kernel."""
    logdir = prepared_kernel('kunit-build.log')
    tally = Tally()
    tidy_checks(tally, logdir)
    print(tally.line())
    return 0 if tally.failed == 0 else 1


def cmd_check(args):
    tally = Tally()
    logdir = os.path.join(CACHE, 'logs')
    started = time.time()
    try:
        ensure_deps()
        prepare_source()
        os.makedirs(logdir, exist_ok=True)
        check_c_only_flags(tally)
        log_filter_checks(tally)
        build_log = os.path.join(logdir, 'kunit-build.log')
        ok, out = build_kernel(build_log)
        tally.add('kunit kernel builds with kcpp built in', ok)
        if not ok:
            raise Failure('the KUnit kernel did not build; the compiler output is above')
        bad = warnings_in(out)
        tally.add('kunit kernel build log has no warning (orphan section, objtool, BTF, '
                  'compiler)', not bad, '\n'.join(bad[:10]))
        tally.add('built-in C++ objects hold no COMDAT group, symbol-named section or unique symbol',
                  *comdat_free(glob.glob(os.path.join(KUNIT_BUILD, 'kcpp', 'tests', '*_test.o'))))
        # Build-time doctests: each compile_fail example failed as it must
        # (its stamp exists only then), each no_run example compiled.
        dt = os.path.join(KUNIT_BUILD, 'kcpp', 'doctests')
        for src in sorted(glob.glob(os.path.join(dt, 'fail_*.cpp'))):
            stamp = src[:-4] + '.failed'
            tally.add(f'doctest {os.path.basename(src)[:-4]} does not compile, as its example says',
                      os.path.exists(stamp) and os.path.getmtime(stamp) >= os.path.getmtime(src))
        for src in sorted(glob.glob(os.path.join(dt, 'norun_*.cpp'))):
            tally.add(f'doctest {os.path.basename(src)[:-4]} compiles',
                      os.path.exists(src[:-4] + '.o'))
        # Every public type of kcpp is named in a runnable example.
        cov = os.path.join(dt, 'coverage.txt')
        missing = open(cov).read().split('\n') if os.path.exists(cov) else ['(no coverage.txt)']
        missing = [m for m in missing if m]
        tally.add('doctest coverage: every public type has a runnable example', not missing,
                  ', '.join(missing[:20]))
        doctest_selftests(tally, logdir)
        tidy_checks(tally, logdir)
        for ko in ('kcpp/examples/hello/kcpp_hello.ko',):
            tally.add(f'in-tree module {ko} built', os.path.exists(os.path.join(KUNIT_BUILD, ko)))

        results, out = run_kunit(os.path.join(logdir, 'kunit.json'),
                                 os.path.join(logdir, 'kunit-run.log'))
        if results is None:
            tally.add('kunit.py produced results', False)
        else:
            merge_kunit(tally, results, '')
            suites = {g['name'] for g in results.get('sub_groups', [])}
            doctest_suites = sorted(n for n in suites if n.startswith('kcpp_doctest_'))
            log(f'doctest suites: {len(doctest_suites)}')
            tally.add('doctest suites ran (one per header with examples)', len(doctest_suites) >= 20,
                      f'{len(doctest_suites)} suites')
            for suite in ('kcpp_bindings', 'kcpp_core', 'kcpp_error', 'kcpp_kunit', 'kcpp_module',
                          'kcpp_alloc', 'kcpp_containers', 'kcpp_aref', 'kcpp_lock',
                          'kcpp_pin_init', 'kcpp_arc', 'kcpp_span', 'kcpp_pci', 'kcpp_auxiliary',
                          'kcpp_irq', 'kcpp_firmware', 'kcpp_io', 'kcpp_edu'):
                tally.add(f'KUnit suite {suite} ran', suite in suites)
        ok_docs, doc_lines = build_docs()
        tally.add('make docs renders the API documentation with zero Doxygen warnings', ok_docs,
                  '\n'.join(doc_lines[:10]))
        if not args.no_stock:
            stock_checks(tally, logdir)
        if not args.no_debug:
            debug_checks(tally, logdir)
    except Failure as e:
        log(f'error: {e}')
        tally.add('check ran to the end', False, str(e))
    log(f'logs in {logdir}; took {time.time() - started:.0f} s')
    for name in tally.failures:
        log(f'failed: {name}')
    print(tally.line())
    return 0 if tally.failed == 0 else 1


# ------------------------------------------------------ sanitizer kernel --

DEBUG_BUILD = os.path.join(CACHE, 'build-debug')
KUNITCONFIG_DEBUG = os.path.join(REPO, 'scripts', 'kunitconfig.debug')

# What the sanitizers and debug checkers print when they find something.
SANITIZER_REPORT = re.compile(
    r'(BUG: KASAN|BUG: KFENCE|UBSAN:|WARNING:|BUG:|Oops|general protection fault|'
    r'possible circular locking|possible recursive locking|inconsistent lock state|'
    r'INFO: trying to register non-static key|suspicious RCU usage|'
    r'sleeping function called from invalid context|ODEBUG:|unreferenced object|'
    r'kmemleak: .*new suspected memory leaks)')


def debug_checks(tally, logdir):
    """make check-debug: the test kernel again with KASAN, UBSAN, lockdep,
    DEBUG_OBJECTS and kmemleak; every suite and doctest runs at boot, then
    the example modules load and unload (the edu check included), then
    kmemleak scans. Any report of any of them fails the run."""
    run(kunit_py('config', f'--kunitconfig={KUNITCONFIG}', f'--kunitconfig={KUNITCONFIG_DEBUG}',
                 f'--qemu_config={QEMU_CONFIG}', build_dir=DEBUG_BUILD), cwd=SRCTREE)
    log('building the sanitizer kernel (log: %s)' % os.path.join(logdir, 'debug-build.log'))
    rc, out = run(['make', '-C', SRCTREE, 'ARCH=x86_64', f'O={DEBUG_BUILD}', f'-j{JOBS}'],
                  log_path=os.path.join(logdir, 'debug-build.log'), check=False, echo=True)
    tally.add('debug: the sanitizer kernel builds (KASAN, UBSAN, lockdep, DEBUG_OBJECTS, kmemleak)',
              rc == 0)
    if rc != 0:
        return
    modules = driver_modules(os.path.join(DEBUG_BUILD, 'kcpp'))
    initrd = os.path.join(CACHE, 'debug-initramfs.cpio')
    make_initramfs(modules, initrd, os.path.join(CACHE, 'initramfs-debug'), kmemleak=True)
    boot_log = os.path.join(logdir, 'debug-boot.log')
    out = boot(os.path.join(DEBUG_BUILD, 'arch/x86/boot/bzImage'), initrd, boot_log,
               # acpi=noirq: under the sanitizers, QEMU's ACPI _PRT method runs
               # into ACPICA's 30-second loop timeout at every pci_enable_device()
               # of a device with an INTx pin (edu); MSI needs no routing.
               append='loglevel=7 kmemleak=on kunit.enable=1 acpi=noirq', timeout=1200)
    # The KTAP of the suites that ran at boot, before init took over.
    ktap = out[:out.find('KCPP-INIT up')] if 'KCPP-INIT up' in out else out
    parsed = quiet([sys.executable, os.path.join(SRCTREE, 'tools/testing/kunit/kunit.py'),
                    'parse', f'--json={os.path.join(logdir, "debug.json")}'], input=ktap, cwd=SRCTREE)
    with open(os.path.join(logdir, 'debug-kunit.log'), 'w') as f:
        f.write(parsed.stdout)
    results = None
    try:
        with open(os.path.join(logdir, 'debug.json')) as f:
            results = json.load(f)
    except (OSError, ValueError):
        pass
    if results is None:
        tally.add('debug: kunit.py parsed the sanitizer kernel\'s results', False)
    else:
        merge_kunit(tally, results, 'debug ')
    check_boot_log(tally, 'debug boot', out, modules)
    tally.add('debug: kmemleak scanned after the modules were unloaded',
              'KCPP-KMEMLEAK scanned' in out)
    reports = [l for l in out.splitlines() if SANITIZER_REPORT.search(l)]
    tally.add('debug: no sanitizer report (KASAN, UBSAN, lockdep, DEBUG_OBJECTS, kmemleak)',
              not reports, '; '.join(reports[:5]))


def cmd_check_debug(args):
    """The sanitizer kernel stage of make check on its own."""
    tally = Tally()
    logdir = prepared_kernel('kunit-build.log')
    try:
        debug_checks(tally, logdir)
    except Failure as e:
        tally.add('check-debug ran to the end', False, str(e))
    for name in tally.failures:
        log(f'failed: {name}')
    print(tally.line())
    return 0 if tally.failed == 0 else 1


def build_docs():
    """make docs: Doxygen over include/kcpp (and the README as main page),
    warnings are errors. Returns (ok, warning lines)."""
    out_dir = os.path.join(REPO, 'docs', 'html-build')
    shutil.rmtree(out_dir, ignore_errors=True)
    r = quiet(['doxygen', os.path.join('docs', 'Doxyfile')], cwd=REPO)
    lines = [l for l in r.stdout.splitlines() if l.strip()]
    ok = r.returncode == 0 and not lines and os.path.exists(os.path.join(out_dir, 'index.html'))
    return ok, lines


def cmd_docs(args):
    ensure_deps()
    ok, lines = build_docs()
    print('\n'.join(lines))
    if ok:
        log('API documentation: ' + os.path.join(REPO, 'docs', 'html-build', 'index.html'))
    return 0 if ok else 1


def prepared_kernel(log_name):
    """Dependencies, source and an up-to-date KUnit kernel; returns the log dir."""
    ensure_deps()
    prepare_source()
    logdir = os.path.join(CACHE, 'logs')
    os.makedirs(logdir, exist_ok=True)
    ok, _ = build_kernel(os.path.join(logdir, log_name))
    if not ok:
        raise Failure('the kernel did not build; the compiler output is above')
    return logdir


def cmd_demo(args):
    """nova-core probing a simulated GA102 and the examples with their
    devices, in the kcpp kernel; then nova-core loaded on Debian's stock
    kernel, where it binds nothing (no NVIDIA GPU)."""
    logdir = prepared_kernel('kunit-build.log')
    tally = Tally()
    modules = driver_modules(os.path.join(KUNIT_BUILD, 'kcpp'))
    initrd = os.path.join(CACHE, 'demo-initramfs.cpio')
    make_initramfs(modules, initrd, os.path.join(CACHE, 'initramfs-demo'))
    # The simulated GPU's probe runs as one KUnit case at boot.
    out = boot(os.path.join(KUNIT_BUILD, 'arch/x86/boot/bzImage'), initrd,
               os.path.join(logdir, 'demo-boot.log'),
               append='loglevel=7 kunit.filter_glob=nova_probe.probe_ga102')
    print('== nova-core on a simulated GA102 (KUnit case nova_probe.probe_ga102) ==')
    print('\n'.join(l for l in out.splitlines() if re.search(r'kcpp_nova_sim|ok \d+ probe_ga102', l)))
    tally.add('demo: nova-core probed the simulated GA102 through FWSEC-FRTS (WPR2 set)',
              re.search(r'\bok \d+ probe_ga102', out) is not None and 'WPR2: 0x' in out)
    print('== the examples with their devices ==')
    print('\n'.join(l for l in out.splitlines()
                    if re.search(r'kcpp_(?!nova_sim)|KCPP-|# kcpp|ok \d+ kcpp', l)))
    check_boot_log(tally, 'demo', out, modules)

    # nova-core out of tree on the stock kernel, as a user would load it.
    stock = prepare_stock()
    kdir = stock['headers']
    nova = os.path.join(REPO, 'drivers', 'nova')
    clean_external(kdir, nova)
    ok, _ = build_external(kdir, nova, os.path.join(logdir, 'demo-stock-nova.log'))
    tally.add('demo: nova-core builds out of tree for the stock kernel', ok)
    if ok:
        ko = os.path.join(nova, 'nova_core.ko')
        info = quiet(['modinfo', ko]).stdout.splitlines()
        print(f'== modinfo nova_core.ko ({stock["release"]}) ==')
        print('\n'.join(l for l in info if not l.startswith('firmware:')))
        print(f'firmware:       ({sum(l.startswith("firmware:") for l in info)} files, '
              'nvidia/<chip>/gsp/*-570.144.bin)')
        initrd = os.path.join(CACHE, 'demo-stock-initramfs.cpio')
        make_initramfs([ko], initrd, os.path.join(CACHE, 'initramfs-demo-stock'))
        out = boot(stock['vmlinuz'], initrd, os.path.join(logdir, 'demo-stock-boot.log'),
                   append='loglevel=7')
        print(f'== loading nova_core.ko on Debian\'s {stock["release"]} (no NVIDIA GPU) ==')
        print('\n'.join(l for l in out.splitlines() if re.search(r'nova|NovaCore|KCPP-', l)))
        check_boot_log(tally, 'demo stock', out, [ko])
    clean_external(kdir, nova)
    print(tally.line())
    return 0 if tally.failed == 0 else 1


def cmd_bench(args):
    """Runs kcpp_bench.ko in one boot of the kcpp kernel under QEMU with
    instruction counting, and prints its table of kcpp against C."""
    logdir = prepared_kernel('kunit-build.log')
    ko = os.path.join(KUNIT_BUILD, 'kcpp', 'benchmarks', 'kcpp_bench.ko')
    if not os.path.exists(ko):
        raise Failure('kcpp_bench.ko was not built (CONFIG_KCPP_BENCH)')
    initrd = os.path.join(CACHE, 'bench-initramfs.cpio')
    make_initramfs([ko], initrd, os.path.join(CACHE, 'initramfs-bench'))
    out = boot(os.path.join(KUNIT_BUILD, 'arch/x86/boot/bzImage'), initrd,
               os.path.join(logdir, 'bench-boot.log'), append='loglevel=7 kunit.enable=0',
               extra=('-icount', 'shift=0,sleep=off'), timeout=600)
    table = [l.split('kcpp_bench: ', 1)[1] for l in out.splitlines() if 'kcpp_bench: ' in l]
    print('\n'.join(table) if table else out[-3000:])
    compile_time_row()
    print_side_by_side(
        disassembly(os.path.join(KUNIT_BUILD, 'kcpp', 'benchmarks', 'io_bench.o'), 'kcpp_bench_cpp_io'),
        disassembly(os.path.join(KUNIT_BUILD, 'kcpp', 'benchmarks', 'io_bench_c.o'), 'kcpp_bench_c_io'),
        'kcpp: Mmio::write32/read32 (io_bench.cpp)', 'C: writel/readl (io_bench_c.c)')
    return 0 if table and table[-1] == 'done' else 1


def compile_time_row(rounds=5):
    """Compile time of a translation unit including all of kcpp against one
    including the kernel headers kcpp wraps: Kbuild's own saved commands for
    the two benchmark objects, rerun (output discarded), best of five each."""
    def command(obj):
        text = open(os.path.join(KUNIT_BUILD, 'kcpp', 'benchmarks', f'.{obj}.cmd')).read()
        cmd = re.search(r'^savedcmd_\S+ := (.*)$', text, re.M).group(1)
        first = cmd.split(';')[0]  # the compiler step only
        first = re.sub(r'-Wp,-MMD,\S+', '', first)
        return re.sub(r' -o \S+', ' -o /dev/null', first, count=1)
    best = {}
    for obj in ('compile_all.o', 'compile_all_c.o'):
        cmd = command(obj)
        times = []
        for _ in range(rounds):
            t0 = time.time()
            subprocess.run(cmd, shell=True, cwd=KUNIT_BUILD, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=True)
            times.append(time.time() - t0)
        best[obj] = min(times)
    cpp, c = best['compile_all.o'], best['compile_all_c.o']
    name = 'compile: all of kcpp vs the kernel headers it wraps'
    print(f'{name:<52} {cpp * 1e9:12.0f} {c * 1e9:12.0f} {cpp / c:8.3f}  (host time)')


def disassembly(obj, symbol):
    """The instructions of one function of an object file, without addresses' bytes."""
    r = subprocess.run(['objdump', '-d', '--no-show-raw-insn', '--no-addresses',
                        f'--disassemble={symbol}', obj], capture_output=True, text=True)
    lines, inside = [], False
    for line in r.stdout.splitlines():
        if line.startswith('<') and line.rstrip().endswith('>:'):
            inside = True
            continue
        if inside and line.strip():
            lines.append(' '.join(line.split()))
    # The function-entry padding (ftrace/call-depth) is the same for both.
    while lines and lines[0] == 'nop':
        lines.pop(0)
    return lines


def print_side_by_side(left, right, left_title, right_title, width=44):
    print(f'\n{left_title:<{width}}  {right_title}')
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ''
        b = right[i] if i < len(right) else ''
        print(f'{a:<{width}}  {b}')


def cmd_bench_edit(args):
    """Edit-to-result time: touch one .cpp, rebuild incrementally, run KUnit."""
    logdir = prepared_kernel('bench-warm.log')
    target = os.path.join(REPO, 'tests', 'core_test.cpp')
    rounds = []
    for i in range(args.rounds):
        os.utime(target)
        t0 = time.time()
        rc, _ = run(['make', '-C', SRCTREE, 'ARCH=x86_64', f'O={KUNIT_BUILD}', f'-j{JOBS}'],
                    log_path=os.path.join(logdir, 'bench-build.log'), check=False, echo=False)
        t1 = time.time()
        results, _ = run_kunit(os.path.join(logdir, 'bench.json'),
                               os.path.join(logdir, 'bench-run.log'))
        t2 = time.time()
        if rc != 0 or results is None:
            raise Failure('benchmark round failed')
        rounds.append((t1 - t0, t2 - t1, t2 - t0))
        log(f'round {i + 1}: build {t1 - t0:.1f} s, kunit.py run {t2 - t1:.1f} s, '
            f'total {t2 - t0:.1f} s')
    best = min(r[2] for r in rounds)
    mean = sum(r[2] for r in rounds) / len(rounds)
    print(f'edit-to-result for tests/core_test.cpp: best {best:.1f} s, mean {mean:.1f} s '
          f'over {len(rounds)} rounds (target < 30 s)')
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    c = sub.add_parser('check', help='the test command')
    c.add_argument('--no-stock', action='store_true', help='skip the stock-kernel checks')
    c.add_argument('--no-debug', action='store_true', help='skip the sanitizer kernel')
    sub.add_parser('check-debug', help='the sanitizer kernel stage alone')
    sub.add_parser('demo', help='boot the kcpp kernel with the examples')
    sub.add_parser('tidy', help='clang-tidy on every C++ file (compile_commands.json)')
    sub.add_parser('bench', help='kcpp against C benchmarks in one boot')
    sub.add_parser('docs', help='render the API documentation with Doxygen')
    b = sub.add_parser('bench-edit', help='edit-to-result benchmark')
    b.add_argument('--rounds', type=int, default=3)
    args = ap.parse_args()
    try:
        return {'check': cmd_check, 'check-debug': cmd_check_debug, 'demo': cmd_demo, 'tidy': cmd_tidy, 'bench': cmd_bench, 'docs': cmd_docs,
                'bench-edit': cmd_bench_edit}[args.cmd](args)
    except Failure as e:
        log(f'error: {e}')
        if args.cmd in ('check', 'check-debug'):
            print('0 passed, 1 failed')
        return 1


if __name__ == '__main__':
    sys.exit(main())
