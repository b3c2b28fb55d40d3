# SPDX-License-Identifier: GPL-2.0
"""Stage 1 of make check: the Debian packages the whole flow needs."""

import os

from .common import SRC_TARBALL, Failure, have, log, run

# Debian packages the whole flow needs: program that proves it is there -> package.
PACKAGES: dict[str, str] = {
    'gcc-12': 'gcc-12', 'g++-12': 'g++-12', 'make': 'make', 'flex': 'flex', 'bison': 'bison',
    'bc': 'bc', 'pahole': 'dwarves', 'python3': 'python3', 'cpio': 'cpio', 'xz': 'xz-utils',
    'zstd': 'zstd', 'modinfo': 'kmod', 'qemu-system-x86_64': 'qemu-system-x86',
    '/bin/busybox': 'busybox-static', SRC_TARBALL: 'linux-source-6.12',
    '/usr/include/libelf.h': 'libelf-dev', '/usr/include/openssl/ssl.h': 'libssl-dev',
    '/usr/share/qemu/qboot.rom': 'qemu-system-data', 'doxygen': 'doxygen', 'dkms': 'dkms',
    'clang-tidy-19': 'clang-tidy-19', 'clang-format-19': 'clang-format-19',
    # The clang kernel (clang.py): LLVM=1 with Debian's LLVM 19.
    '/usr/lib/llvm-19/bin/clang++': 'clang-19', '/usr/lib/llvm-19/bin/ld.lld': 'lld-19',
    '/usr/lib/llvm-19/bin/llvm-objcopy': 'llvm-19',
    # The checks of the scripts themselves (pycheck.py) and of the sources (safety.py).
    'mypy': 'mypy', 'git': 'git',
    # Static C programs for the initramfs checks (examples/misc/ringtest.c).
    '/usr/lib/x86_64-linux-gnu/libc.a': 'libc6-dev',
    # The DRM client (tests/nova_drm_client.c) links against Debian's libdrm.
    '/usr/include/libdrm/drm.h': 'libdrm-dev', '/usr/include/xf86drm.h': 'libdrm-dev',
    # checkpatch.pl (checkpatch.py) uses modules of perl-modules, which perl-base (the
    # package of /usr/bin/perl) lacks: cpan is in perl, which pulls them in.
    'cpan': 'perl',
}


def ensure_deps() -> None:
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
