#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make mutate: prove the suites can fail.

Each mutation below is a small deliberate breakage of include/kcpp (a bound
off by one, a missing free, a skipped rollback, a swapped condition). For
each one the script applies it, rebuilds the KUnit kernel incrementally,
runs every suite and doctest at boot through kunit.py, and restores the
file. A mutation is caught when the build fails or any KUnit case fails or
crashes; it survives when everything still passes. The closing line counts
both, and the exit status is non-zero if any mutation survived.

Not part of make check: each mutation costs a rebuild and a boot.

  make mutate                     every mutation
  scripts/kcpp_mutate.py --list   the mutations, numbered
  scripts/kcpp_mutate.py 3 7      only mutations 3 and 7
"""

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Iterable, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The same cache, kernel and kunit.py as make check (the package scripts/kcpp_check).
from kcpp_check import common, kernel, kunit  # noqa: E402

K: str = 'include/kcpp/'

# (file, text, replacement, what the breakage is). The text must occur
# exactly once in the file.
MUTATIONS: list[tuple[str, str, str, str]] = [
    (K + 'alloc/kvec.h', 'bool in_range(usize i) const { return i < len_; }',
     'bool in_range(usize i) const { return i <= len_; }',
     'KVec get/at/operator[]: bound check off by one'),
    (K + 'alloc/kvec.h', 'if (__builtin_add_overflow(len_, additional, &needed))\n      return code::ENOMEM;',
     'needed = len_ + additional;', 'KVec reserve: no overflow check'),
    (K + 'alloc/kvec.h', '      const T copy(std::forward<U>(value));\n      const Storage s = KCPP_TRY(grown(old, len, len + 1, gfp, node));\n      new (s.data + len) T(copy);',
     '      const Storage s = KCPP_TRY(grown(old, len, len + 1, gfp, node));\n      new (s.data + len) T(std::forward<U>(value));',
     'KVec push: element made after krealloc freed its source'),
    (K + 'alloc/kvec.h', '      new (s.data + len) T(std::forward<U>(value));\n      move_over(old, len, s.data);',
     '      move_over(old, len, s.data);\n      new (s.data + len) T(std::forward<U>(value));',
     'KVec push: element made after its source moved and was freed'),
    (K + 'alloc/kvec.h', '      A::free(data_);\n    data_ = nullptr;', '    data_ = nullptr;',
     'KVec destructor: storage never freed'),
    (K + 'alloc/kvec.h', '    for (usize j = i; j + 1 < len_; j++) data_[j] = std::move(data_[j + 1]);',
     '    for (usize j = i; j + 2 < len_; j++) data_[j] = std::move(data_[j + 1]);',
     'KVec remove: last element not shifted'),
    (K + 'alloc/kvec.h', '    if (own)\n      src = data_ + offset;', '',
     'KVec extend_from_slice: own elements read from the old storage'),
    (K + 'core/span.h', 'if (offset > size_ || count > size_ - offset)',
     'if (offset > size_ || count > size_ - offset + 1)', 'Span subspan: bound off by one'),
    (K + 'alloc/allocator.h', 'if (__builtin_mul_overflow(n, sizeof(T), &bytes) || bytes > MAX_SIZE)',
     'bytes = n * sizeof(T);\n    if (bytes > MAX_SIZE)', 'Layout::array: multiplication overflow unchecked'),
    (K + 'init/pin_init.h', '    using M = typename Field<Member, I>::Type;\n    member->~M();',
     '    using M = typename Field<Member, I>::Type;', 'init::fields: built members not undone on failure'),
    (K + 'sync/arc.h', '      kcpp_refcount_inc(count_of(inner_));', '      (void)count_of(inner_);',
     'Arc copy: no reference taken'),
    (K + 'devres.h', '    state->res.revoke();', '', 'Devres: not revoked at unbind'),
    (K + 'io.h', 'return size >= width && off <= size - width && off % width == 0;',
     'return size >= width && off <= size - width + 1 && off % width == 0;',
     'Mmio try_ accessors: bound off by one'),
    (K + 'io.h', '    if (timeout_us && clock.now_ns() > deadline) {',
     '    if (clock.now_ns() > deadline) {',
     'read_poll_timeout: a timeout of 0 times out at once'),
    (K + 'dma.h', '  [[nodiscard]] Result<T> read(usize i) const {\n    if (i >= len_)',
     '  [[nodiscard]] Result<T> read(usize i) const {\n    if (i > len_)', 'dma::Coherent read: bound off by one'),
    (K + 'core/error.h', '[[nodiscard]] inline Result<void> to_result(int ret) {\n  if (ret < 0)',
     '[[nodiscard]] inline Result<void> to_result(int ret) {\n  if (ret < -1)', 'to_result: EPERM taken for success'),
    (K + 'sync/completion.h', '    if (r == 0)\n      return code::ETIMEDOUT;', '',
     'Completion wait_for: a timeout reported as success'),
    (K + 'alloc/numa.h', 'if (id < 0 || id >= KCPP_MAX_NUMNODES)', 'if (id < 0 || id > KCPP_MAX_NUMNODES)',
     'NumaNode::make: bound off by one'),
    (K + 'core/bytes.h', '  auto src = KCPP_TRY(buf.subspan(off, sizeof(T)));\n  T v;',
     '  auto src = KCPP_TRY(buf.subspan(off, sizeof(T) - 1));\n  T v;', 'bytes::read: one byte too few checked'),
    (K + 'alloc/kvec.h', '    if (needed <= cap_)\n      return {};', '    if (needed <= cap_ + 1)\n      return {};',
     'KVec reserve: one element too few'),
    (K + 'irq.h', '    if (kcpp_devres_remove(dev_, &release, this)) {\n      kcpp_free_irq(irq_, &action_);',
     '    if (kcpp_devres_remove(dev_, &release, this)) {', 'irq::Registration: line not freed on destruction'),
    (K + 'alloc/kvec.h', '    if (i > len_)\n      return code::ERANGE;\n    KCPP_TRY(reserve(1, gfp));',
     '    if (i > len_ + 1)\n      return code::ERANGE;\n    KCPP_TRY(reserve(1, gfp));', 'KVec insert: index past the end accepted'),
    (K + 'driver.h', '    return T::DRIVER_DATA_GFP;', '    return GFP_KERNEL;',
     'driver data: the driver\'s DRIVER_DATA_GFP ignored'),
    (K + 'dma.h', 'gfp.as_raw(), &err);', 'GFP_KERNEL.as_raw(), &err);',
     'SgMapping::map: the caller\'s flags ignored'),
    (K + 'auxiliary/registration.h', 'kcpp_auxiliary_device_add(p.as_raw(), modname, name, id, shared.get(), gfp.as_raw(), &err);',
     'kcpp_auxiliary_device_add(p.as_raw(), modname, name, id, shared.get(), GFP_KERNEL.as_raw(), &err);',
     'auxiliary::Registration: the device allocated with GFP_KERNEL'),
    (K + 'bindings/shim/sysfs.c', 'set = kcpp_kmalloc_node(struct_size(set, items, n), gfp | (__force unsigned int)__GFP_ZERO,',
     'set = kcpp_kmalloc_node(struct_size(set, items, n), GFP_KERNEL | __GFP_ZERO,',
     'driver registration: the attribute set allocated with GFP_KERNEL'),
    (K + 'alloc/kbox.h', '    if (T* p = exchange(ptr_, nullptr))\n      kcpp_kmemleak_not_leak(p);', '    reset();',
     'Box::abandon: the object destroyed and freed'),
    (K + 'core/utility.h', '    ~Slot() {}', '    ~Slot() { kept.~V(); }',
     'forget: the forgotten value destroyed'),
    (K + 'alloc/kvec.h', '      const usize want = grown_capacity(0, needed);',
     '      const usize want = needed;', 'KVec reserve: the first allocation below the minimum step'),
]


def build() -> bool:
    """Incremental build of the KUnit kernel; True if it built."""
    r = subprocess.run(['make', '-C', common.SRCTREE, 'ARCH=x86_64', f'O={common.KUNIT_BUILD}',
                        f'-j{common.JOBS}'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, errors='replace')
    return r.returncode == 0


def run_suites(json_path: str) -> Optional[tuple[int, int]]:
    """Boots the built kernel and runs every suite; (passed, failed) or None."""
    if os.path.exists(json_path):
        os.unlink(json_path)
    cmd = kunit.kunit_py('exec', f'--kunitconfig={common.KUNITCONFIG}',
                         f'--qemu_config={common.QEMU_CONFIG}', '--timeout=300',
                         f'--json={json_path}')
    subprocess.run(cmd, cwd=common.SRCTREE, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        with open(json_path) as f:
            results = json.load(f)
    except (OSError, ValueError):
        return None
    p, failed, skipped, _ = kunit.count_kunit(results)
    return p, failed + skipped


def apply(path: str, old: str, new: str) -> tuple[str, str]:
    full = os.path.join(common.REPO, path)
    text = open(full).read()
    if text.count(old) != 1:
        raise SystemExit(f'mutation text not found exactly once in {path}: {old[:60]!r}')
    with open(full, 'w') as f:
        f.write(text.replace(old, new))
    return full, text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('only', nargs='*', type=int, help='mutation numbers (default: all)')
    ap.add_argument('--list', action='store_true', help='list the mutations')
    args = ap.parse_args()
    if args.list:
        for i, (path, _, _, what) in enumerate(MUTATIONS, 1):
            print(f'{i:3} {path}: {what}')
        return 0
    for path, old, _, _ in MUTATIONS:  # every mutation applies before any runs
        if open(os.path.join(common.REPO, path)).read().count(old) != 1:
            raise SystemExit(f'mutation text not found exactly once in {path}: {old[:60]!r}')
    logdir = kernel.prepared_kernel('mutate-build.log')
    baseline = run_suites(os.path.join(logdir, 'mutate.json'))
    if baseline is None or baseline[1]:
        raise SystemExit(f'the unmutated tree does not pass ({baseline}); nothing to measure')
    caught = survived = 0
    chosen: Iterable[int] = args.only or range(1, len(MUTATIONS) + 1)
    for i in chosen:
        path, old, new, what = MUTATIONS[i - 1]
        t0 = time.time()
        full, original = apply(path, old, new)
        try:
            if not build():
                verdict = 'caught (build)'
            else:
                res = run_suites(os.path.join(logdir, 'mutate.json'))
                verdict = ('caught (no results: crash)' if res is None else
                           f'caught ({res[1]} failed)' if res[1] else 'SURVIVED')
        finally:
            with open(full, 'w') as f:
                f.write(original)
        if verdict == 'SURVIVED':
            survived += 1
        else:
            caught += 1
        common.log(f'mutation {i:2} {verdict:<26} {what} ({time.time() - t0:.0f} s)')
    build()  # back to the unmutated objects
    print(f'mutation score: {caught} of {caught + survived} caught')
    print(f'{caught} passed, {survived} failed')
    return 0 if survived == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
