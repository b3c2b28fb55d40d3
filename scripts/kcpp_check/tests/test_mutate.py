# SPDX-License-Identifier: GPL-2.0
"""make mutate's list stays applicable: each mutation's text occurs exactly
once in its file, so a change of include/kcpp that rewords a line shows up
here, in make check, and not only at the next (slow) make mutate."""

import os
import unittest

import kcpp_mutate
from kcpp_check.common import REPO


class Mutations(unittest.TestCase):
    def test_every_mutation_applies_exactly_once(self) -> None:
        self.assertGreaterEqual(len(kcpp_mutate.MUTATIONS), 20)
        for path, old, new, what in kcpp_mutate.MUTATIONS:
            with self.subTest(what):
                with open(os.path.join(REPO, path)) as f:
                    self.assertEqual(f.read().count(old), 1, f'{path}: {what}')
                self.assertNotEqual(old, new)

    def test_each_mutation_is_described_once(self) -> None:
        names = [what for _, _, _, what in kcpp_mutate.MUTATIONS]
        self.assertEqual(len(names), len(set(names)))
