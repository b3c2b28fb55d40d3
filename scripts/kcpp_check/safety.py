# SPDX-License-Identifier: GPL-2.0
"""SAFETY comments (CONTRIBUTING.md): every cast, raw-pointer escape and call
of an unsafe_* function says, in a // comment directly above it, why it holds.

A site is a reinterpret_cast, a const_cast, or a call of a function named
unsafe_* or into_raw (a declaration or definition of one is not a site). The
comment block directly above the first line of the statement that holds the
site must contain `SAFETY:`. Comments and string literals are not code
(cpp.code_lines), so a cast named in a doc comment is not a site.
"""

import os
import re
import subprocess
from typing import Mapping, Optional

from . import cpp
from .common import REPO, Tally

ALWAYS_SITE: re.Pattern[str] = re.compile(r'\b(?:reinterpret_cast|const_cast)\b')
# A name followed by its argument list, with template arguments or not.
UNSAFE_NAME: re.Pattern[str] = re.compile(r'\b(?:unsafe_\w+|into_raw)\s*(?:<[^;{}()]*>\s*)?\(')
# The qualification in front of a name: Span<T>::, ::kcpp::, Device<device::Bound>::.
QUALIFIER: re.Pattern[str] = re.compile(
    r'(?:(?:\b[A-Za-z_]\w*\s*(?:<(?:[^<>;{}]|<[^<>;{}]*>)*>)?\s*)?::\s*)+$')
LAST_WORD: re.Pattern[str] = re.compile(r'\b([A-Za-z_]\w*)$')
# Words after which a name starts an expression: a call, not a declaration.
EXPRESSION_KEYWORDS: frozenset[str] = frozenset({
    'return', 'co_return', 'co_yield', 'co_await', 'throw', 'case', 'else', 'do', 'new',
    'delete', 'sizeof', 'and', 'or', 'not', 'xor', 'bitand', 'bitor', 'not_eq'})


def declares(before: str) -> Optional[bool]:
    """Whether a name followed by `(` is being declared or defined, judged
    from the code in front of it on its line: a type or a specifier there
    (`static Box unsafe_from_raw(`, `T* into_raw(`, `Box<T> Box<T>::unsafe_x(`)
    declares; an operator, a bracket, `.`, `->` or a keyword such as return
    calls. None when nothing is in front of it on the line."""
    b = before.rstrip()
    if b.endswith('.') or b.endswith('->'):
        return False
    q = QUALIFIER.search(b)
    if q:
        b = b[:q.start()].rstrip()
    if not b:
        return None
    word = LAST_WORD.search(b)
    if word:
        return word.group(1) not in EXPRESSION_KEYWORDS
    if b.endswith(']]'):
        return True  # an attribute: [[nodiscard]] name(
    # kcpp's layout puts * and & with the type (T* name, Box<T>& name): right
    # after a name or a template's >; anywhere else they are operators
    # (return *unsafe_x(), f(&unsafe_x()), a && unsafe_x()).
    if b[-1] in '*&':
        core = b.rstrip('*&')
        return bool(core) and (core[-1].isalnum() or core[-1] in '_>')
    # A template's closing > (Box<T> name) against a comparison (a > f()).
    if b[-1] == '>':
        core = b.rstrip('>')
        return bool(core) and not core[-1].isspace()
    return False


def site_lines(text: str) -> list[int]:
    """The lines (0-based) of a C++ source that hold a site."""
    code = cpp.code_lines(text)
    found = []
    for i, line in enumerate(code):
        if ALWAYS_SITE.search(line):
            found.append(i)
            continue
        for m in UNSAFE_NAME.finditer(line):
            decl = declares(line[:m.start()])
            if decl is None:  # the name starts its line: what ends the previous one
                prev = code[i - 1].rstrip().rstrip('\\') if i > 0 else ''
                decl = declares(prev) or False
            if not decl:
                found.append(i)
                break
    return found


def is_comment_line(line: str, code: str) -> bool:
    """A line that is a // comment. In a macro body, where a // comment would
    swallow the line's backslash, a /* */ comment alone on its line counts."""
    s = line.strip()
    if s.startswith('//'):
        return True
    return s.startswith('/*') and s.endswith('\\') and code.strip().rstrip('\\').strip() == ''


def statement_start(lines: list[str], code: list[str], i: int) -> int:
    """The first line of the statement (or declaration) that line i is part
    of: back over lines that do not end one (;, {, }, a label's :)."""
    j = i
    while j > 0:
        prev = code[j - 1].rstrip()
        if prev.endswith('\\'):
            prev = prev[:-1].rstrip()
        if not prev.strip():
            break  # blank, a comment, the inside of a block comment
        if lines[j - 1].lstrip().startswith('#'):
            if lines[j - 1].rstrip().endswith('\\'):
                j -= 1  # the head of a macro whose body line i is
            break
        if prev.endswith((';', '{', '}')) or (prev.endswith(':') and not prev.endswith('::')):
            break
        j -= 1
    return j


def has_safety_comment(lines: list[str], code: list[str], start: int) -> bool:
    """The // comment block directly above line start mentions SAFETY:."""
    k = start - 1
    while k >= 0 and is_comment_line(lines[k], code[k]):
        if 'SAFETY:' in lines[k]:
            return True
        k -= 1
    return False


def missing_lines(text: str) -> list[int]:
    """The lines (1-based) of a C++ source with a site and no SAFETY comment."""
    lines = text.split('\n')
    code = cpp.code_lines(text)
    return [i + 1 for i in site_lines(text)
            if not has_safety_comment(lines, code, statement_start(lines, code, i))]


def missing_sites(sources: Mapping[str, str]) -> list[str]:
    """path:line of every site without a SAFETY comment, sources being path -> text."""
    return [f'{path}:{n}' for path in sorted(sources) for n in missing_lines(sources[path])]


def tracked_sources(repo: str = REPO) -> dict[str, str]:
    """Every tracked *.h and *.cpp of the repository: path -> text (of the
    working tree, so that a change is checked before it is committed)."""
    r = subprocess.run(['git', '-C', repo, 'ls-files', '-z', '--', '*.h', '*.cpp'],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError(f'git ls-files failed: {r.stderr.strip()}')
    sources = {}
    for path in r.stdout.split('\0'):
        full = os.path.join(repo, path)
        if path and os.path.isfile(full):  # a file deleted but not yet staged is gone
            with open(full, errors='replace') as f:
                sources[path] = f.read()
    return sources


def safety_checks(tally: Tally) -> None:
    """One check: no site lacks its SAFETY comment; the missing ones are listed."""
    try:
        missing = missing_sites(tracked_sources())
        detail = f'{len(missing)} sites without one (listed above)'
    except (OSError, RuntimeError) as e:
        missing, detail = ['(not scanned)'], str(e)
    for site in missing:
        print(site)
    tally.add('safety comments: every cast and unsafe_ call has a SAFETY comment', not missing,
              detail)
