# SPDX-License-Identifier: GPL-2.0
"""Booting a kernel under QEMU with a busybox initramfs that loads and
unloads modules, for every stage that boots one (stock, debug, demo, bench,
the doctest selftest)."""

import glob
import os
import re
import subprocess
from typing import Sequence

from .common import CACHE, REPO, SRCTREE, Failure, log, run

INIT_SCRIPT: str = r'''#!/bin/busybox sh
/bin/busybox --install -s /bin
mkdir -p /proc /sys /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
# Device nodes as the kernel makes them (a DRM render node, say), where it has devtmpfs.
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# Every marker goes through /dev/kmsg: the kernel's ring buffer is the one
# ordered stream, so a marker and the printk lines around it reach the
# console in the order they happened (printk.devkmsg=on lifts the ratelimit).
mark() { echo "$*" > /dev/kmsg; }
mark "KCPP-INIT up $(uname -r)"
mark "KCPP-TAINT before $(cat /proc/sys/kernel/tainted)"
for d in /sys/bus/pci/devices/*; do mark "KCPP-MODALIAS $(cat $d/modalias)"; done
# The kernel's own modules that kcpp's depend on (a stock kernel's drm.ko,
# say), in dependency order: loaded first, and left loaded.
for ko in /deps/*.ko; do
  [ -e "$ko" ] || continue
  insmod "$ko"; mark "KCPP-DEP $(basename "$ko" .ko) load=$?"
done
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


def gen_init_cpio() -> str:
    """The kernel's initramfs packer, built from the cached source (it lets
    the archive hold /dev/console without root privileges)."""
    tool = os.path.join(CACHE, 'bin', 'gen_init_cpio')
    src = os.path.join(SRCTREE, 'usr', 'gen_init_cpio.c')
    if not os.path.exists(tool) or os.path.getmtime(tool) < os.path.getmtime(src):
        os.makedirs(os.path.dirname(tool), exist_ok=True)
        run(['gcc', '-O2', '-o', tool, src], echo=False)
    return tool


KMEMLEAK_SCAN: str = r'''mount -t debugfs debugfs /sys/kernel/debug
# kmemleak reports a block once it has been unreferenced for two scans.
echo scan > /sys/kernel/debug/kmemleak; sleep 2
echo scan > /sys/kernel/debug/kmemleak
cat /sys/kernel/debug/kmemleak
mark "KCPP-KMEMLEAK scanned"
'''

# User-space checks run while a module is loaded (busybox sh in the boot).
CHECK_SCRIPTS: dict[str, str] = {'kcpp_edu': 'examples/edu/check.sh',
                                 'kcpp_misc': 'examples/misc/check.sh',
                                 'kcpp_bench': 'benchmarks/check.sh',
                                 'nova_sim': 'tests/nova_sim_check.sh'}
# The C programs those scripts run, into /checks/<name>: built static
# (busybox's initramfs has no libc), unless LINKED_AGAINST names the shared
# libraries they link, which then go into the initramfs with the C library
# and the dynamic loader.
CHECK_PROGRAMS: dict[str, list[tuple[str, str]]] = {
    'kcpp_misc': [('ringtest', 'examples/misc/ringtest.c')],
    'kcpp_bench': [('misc_bench', 'benchmarks/misc_bench_user.c')],
    'nova_sim': [('nova_drm_client', 'tests/nova_drm_client.c')]}
# Program -> compiler flags and libraries: Debian's libdrm for the DRM client.
LINKED_AGAINST: dict[str, list[str]] = {'nova_drm_client': ['-I/usr/include/libdrm', '-ldrm']}
# The uapi headers check programs include (by relative path).
UAPI_HEADERS: list[str] = glob.glob(os.path.join(REPO, 'include', 'uapi', '**', '*.h'), recursive=True)


def check_program(name: str, source: str) -> str:
    """Builds a check program (gcc, warnings as errors) into the cache,
    again whenever its source or a header beside it is newer."""
    out = os.path.join(CACHE, 'bin', name)
    src = os.path.join(REPO, source)
    deps = [src] + glob.glob(os.path.join(os.path.dirname(src), '*.h')) + UAPI_HEADERS
    if not os.path.exists(out) or os.path.getmtime(out) < max(os.path.getmtime(d) for d in deps):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        link = LINKED_AGAINST.get(name)
        flags = link if link is not None else ['-static']
        # The libraries come after the source, for the linker's order.
        cc = ['gcc', '-O2', '-Wall', '-Wextra', '-Werror', '-o', out, src] + flags
        r = subprocess.run(cc, capture_output=True, text=True)
        if r.returncode != 0:
            raise Failure(f'{source} does not build:\n{r.stdout}{r.stderr}')
    return out


def shared_libraries(program: str) -> list[str]:
    """The shared objects a dynamically linked program loads, the dynamic
    loader included, by their paths on this machine (ldd's listing)."""
    r = subprocess.run(['ldd', program], capture_output=True, text=True, check=True)
    libs = []
    for line in r.stdout.splitlines():
        m = re.search(r'(/\S+) \(0x', line)
        if m:
            libs.append(m.group(1))
    return libs


def make_initramfs(modules: Sequence[str], out_path: str, workdir: str,
                   kmemleak: bool = False, deps: Sequence[str] = ()) -> None:
    """A busybox initramfs that loads then unloads each module (and, for the
    sanitizer kernel, has kmemleak scan at the end). deps are the kernel's
    own modules those need, uncompressed, in the order they load."""
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
             'dir /modules 0755 0 0', 'dir /checks 0755 0 0', 'dir /deps 0755 0 0']
    for i, d in enumerate(deps):
        # The prefix keeps the order through the init script's glob.
        lines.append(f'file /deps/{i:03d}-{os.path.basename(d)} {d} 0644 0 0')
    libs: set[str] = set()
    for m in modules:
        lines.append(f'file /modules/{os.path.basename(m)} {m} 0644 0 0')
        name = os.path.basename(m)[:-3]
        if name in CHECK_SCRIPTS:
            lines.append(f'file /checks/{name}.sh {os.path.join(REPO, CHECK_SCRIPTS[name])} 0755 0 0')
        for prog, source in CHECK_PROGRAMS.get(name, []):
            built = check_program(prog, source)
            lines.append(f'file /checks/{prog} {built} 0755 0 0')
            if prog in LINKED_AGAINST:
                libs.update(shared_libraries(built))
    dirs = sorted({d for lib in libs for d in parents(lib)}, key=len)
    lines += [f'dir {d} 0755 0 0' for d in dirs]
    # gen_init_cpio reads through symbolic links: each lands as a file.
    lines += [f'file {lib} {lib} 0755 0 0' for lib in sorted(libs)]
    lst = os.path.join(workdir, 'initramfs.list')
    with open(lst, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    with open(out_path, 'wb') as f:
        subprocess.run([gen_init_cpio(), lst], stdout=f, check=True)


def parents(path: str) -> list[str]:
    """The directories above an absolute path, outermost first (/lib, /lib/x)."""
    parts = path.split('/')[1:-1]
    return ['/' + '/'.join(parts[:i + 1]) for i in range(len(parts))]


# On every boot: markers written to /dev/kmsg are not rate-limited, and the
# delay loop is preset, not calibrated. Under QEMU's TCG, a CPU that cannot
# take its value from the TSC calibrates against the clock, which depends on
# host load and logs a note when it cannot settle. The value is about what
# the boot CPU derives from this machine's 2.6 GHz TSC at HZ=250; nothing in
# the tests times itself with the delay loop.
LPJ: int = 10000000
BOOT_ARGS: str = f'printk.devkmsg=on lpj={LPJ}'


def boot(kernel: str, initrd: str, log_path: str, append: str = '',
         extra: Sequence[str] = (), timeout: int = 120) -> str:
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
        # The partial output is bytes here whatever text= says.
        out = (e.stdout or b'').decode(errors='replace') + '\n[kcpp] QEMU timed out\n'
    with open(log_path, 'w') as f:
        f.write(out)
    return out


def driver_modules(tree: str) -> list[str]:
    """The example modules and nova-core, built under tree."""
    return modules_of(os.path.join(tree, 'examples')) + modules_of(os.path.join(tree, 'drivers'))


def modules_of(build_dir: str) -> list[str]:
    return sorted(p for p in glob.glob(os.path.join(build_dir, '**', '*.ko'), recursive=True))
