# SPDX-License-Identifier: GPL-2.0
"""cpp.py: C++ source as code only."""

import unittest

from kcpp_check import cpp


class CodeLines(unittest.TestCase):
    def test_comments_go_and_lines_stay(self) -> None:
        text = 'int a; // one\n/* two\n three */ int b;\nint c; /* four */ int d;'
        self.assertEqual([l.split() for l in cpp.code_lines(text)],
                         [['int', 'a;'], [], ['int', 'b;'], ['int', 'c;', 'int', 'd;']])

    def test_literals_are_emptied(self) -> None:
        text = 'f("// not a comment", \'"\', "a\\"b /* c */");'
        self.assertEqual(cpp.code_lines(text), ['f("", \'\', "");'])

    def test_a_comment_marker_in_a_string_does_not_open_one(self) -> None:
        self.assertEqual(cpp.code_lines('s = "/*"; x = 1; // y'), ['s = ""; x = 1;  '])

    def test_raw_strings(self) -> None:
        text = 'auto s = R"x(a ")" // )x"; int y;\nR"(\nreinterpret_cast\n)"; z;'
        self.assertEqual(cpp.code_lines(text), ['auto s = R""; int y;', 'R"', '', '"; z;'])

    def test_digit_separators_are_not_quotes(self) -> None:
        self.assertEqual(cpp.code_lines("u32 v = 0x1000'0000; char c = 'x';"),
                         ["u32 v = 0x1000'0000; char c = '';"])

    def test_a_spliced_line_comment_goes_on(self) -> None:
        self.assertEqual(cpp.code_lines('// one \\\nstill comment\ncode'), [' ', '', 'code'])

    def test_an_unterminated_quote_ends_with_its_line(self) -> None:
        self.assertEqual(cpp.code_lines("#error don't\nint x;"), ["#error don'", 'int x;'])


class WithoutDirectives(unittest.TestCase):
    def test_directives_and_their_continuations_are_blank(self) -> None:
        lines = ['#define A(x) \\', '  f(x)', 'int a;', '  #if B', 'int b;', '#endif']
        self.assertEqual(cpp.without_directives(lines), ['', '', 'int a;', '', 'int b;', ''])


if __name__ == '__main__':
    unittest.main()
