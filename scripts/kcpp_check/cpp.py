# SPDX-License-Identifier: GPL-2.0
"""C and C++ source text as code only: what the source scans (safety.py, the
suites a build declares) search, so that a name in a comment or in a string
is not taken for code."""

import re

# A raw string literal: one of these prefixes, then "delim( ... )delim".
RAW_PREFIXES: frozenset[str] = frozenset({'R', 'u8R', 'uR', 'UR', 'LR'})
RAW_DELIMITER: re.Pattern[str] = re.compile(r'([^()\\\s"]{0,16})\(')
IDENT_TAIL: re.Pattern[str] = re.compile(r'[A-Za-z0-9_]+$')


def code_lines(text: str) -> list[str]:
    """Each line of a C or C++ source with its comments removed and the
    contents of its string and character literals dropped (the quotes
    stay). The result has as many lines as the source, so that line
    numbers carry over; a comment becomes a space, as the compiler sees it."""
    out: list[str] = []
    cur: list[str] = []
    state = 'code'        # code, block (/* */), line (//), string, char, raw
    raw_end = ''
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ''
        if c == '\n':
            out.append(''.join(cur))
            cur = []
            # A backslash before the newline continues a // comment or a
            # literal onto the next line (line splicing comes first); a
            # literal cannot span lines otherwise, so a stray quote (an
            # apostrophe in an #error) ends with its line.
            spliced = i > 0 and text[i - 1] == '\\'
            if state in ('line', 'string', 'char') and not spliced:
                state = 'code'
            i += 1
            continue
        if state == 'code':
            if c == '/' and nxt == '*':
                state = 'block'
                cur.append(' ')
                i += 2
                continue
            if c == '/' and nxt == '/':
                state = 'line'
                cur.append(' ')
                i += 2
                continue
            if c == '"':
                tail = IDENT_TAIL.search(''.join(cur))
                m = RAW_DELIMITER.match(text, i + 1)
                if tail and tail.group(0) in RAW_PREFIXES and m:
                    state, raw_end = 'raw', ')' + m.group(1) + '"'
                    cur.append('"')
                    i = m.end()
                    continue
                state = 'string'
                cur.append('"')
                i += 1
                continue
            if c == "'":
                # After a number, a quote is a digit separator (1'000);
                # after an encoding prefix or anything else, a literal opens.
                tail = IDENT_TAIL.search(''.join(cur))
                if tail and tail.group(0)[0].isdigit():
                    cur.append(c)
                    i += 1
                    continue
                state = 'char'
                cur.append("'")
                i += 1
                continue
            cur.append(c)
            i += 1
            continue
        if state == 'block':
            if c == '*' and nxt == '/':
                state = 'code'
                i += 2
                continue
            i += 1
            continue
        if state == 'line':
            i += 1
            continue
        if state in ('string', 'char'):
            quote = '"' if state == 'string' else "'"
            if c == '\\':
                i += 2 if nxt != '\n' else 1
                continue
            if c == quote:
                state = 'code'
                cur.append(quote)
            i += 1
            continue
        # state == 'raw': nothing is an escape until the closing delimiter.
        if text.startswith(raw_end, i):
            state = 'code'
            cur.append('"')
            i += len(raw_end)
            continue
        i += 1
    out.append(''.join(cur))
    return out


def without_directives(lines: list[str]) -> list[str]:
    """The code lines with preprocessor directives (and their continuation
    lines) blanked: a #define of a macro is not a use of it."""
    out = []
    directive = False
    for line in lines:
        if not directive and line.lstrip().startswith('#'):
            directive = True
        out.append('' if directive else line)
        if directive and not line.rstrip().endswith('\\'):
            directive = False
    return out
