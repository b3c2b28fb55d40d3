# SPDX-License-Identifier: GPL-2.0
"""safety.py: which lines are sites, and which sites lack their SAFETY comment."""

import os
import subprocess
import tempfile
import textwrap
import unittest

from kcpp_check import safety


def missing(source: str) -> list[int]:
    return safety.missing_lines(textwrap.dedent(source).lstrip('\n'))


def sites(source: str) -> list[int]:
    return [i + 1 for i in safety.site_lines(textwrap.dedent(source).lstrip('\n'))]


class Sites(unittest.TestCase):
    def test_casts_are_sites(self) -> None:
        self.assertEqual(sites('''
            auto* d = reinterpret_cast<const Device*>(raw);
            int x = static_cast<int>(y);
            T* p = const_cast<T*>(q);
            '''), [1, 3])

    def test_a_definition_of_an_unsafe_function_is_not_a_call(self) -> None:
        self.assertEqual(sites('''
            static Box unsafe_from_raw(T* raw) { return Box(raw); }
            [[nodiscard]] T* into_raw() && { return exchange(ptr_, nullptr); }
            [[nodiscard]] static Span<T> unsafe_from_raw(T* data, usize len);
            const T& unsafe_get() const;
            T&& unsafe_take() &&;
            template <typename T>
            Box<T> Box<T>::unsafe_from_raw(T* raw) {
            [[nodiscard]] static KBox<T>
            unsafe_from_raw(T* raw) {
            #define unsafe_alias(p) (p)
            '''), [])

    def test_calls_are_sites(self) -> None:
        self.assertEqual(sites('''
            return Box::unsafe_from_raw(p);
            auto s = Span<T>::unsafe_from_raw(data_, len_);
            KCPP_TRY(fill(Span<T>::unsafe_from_raw(data_ + len_, n)));
            state_->res.unsafe_revoke_nosync();
            void* ref = Arc<State>(state).into_raw();
            return p ? &unsafe_from_raw(p) : nullptr;
            return *unsafe_get();
            handle(Device<device::Bound>::unsafe_from_raw(self->dev_));
            unsafe_revoke();
            auto b =
                KBox<T>::unsafe_from_raw(p);
            x = ::kcpp::unsafe_cast<u8>(y);
            use(*unsafe_get());
            KCPP_TRY(check(&unsafe_peek(p)));
            ok = a && unsafe_valid(p);
            ok = a > unsafe_len(p);
            '''), [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16])

    def test_names_that_only_look_alike_are_not_sites(self) -> None:
        self.assertEqual(sites('''
            kcpp_unsafe_helper(p);
            auto f = &Box::unsafe_from_raw;
            bool unsafe_ok = true;
            raw_into_raw(p);
            '''), [])

    def test_comments_and_strings_are_not_code(self) -> None:
        self.assertEqual(sites('''
            // reinterpret_cast<T*>(p) would be wrong here
            /* const_cast<T*>(q) */ int x = 0;
            /**
             * return Box::unsafe_from_raw(p);
             */
            static_assert(ok, "use reinterpret_cast only in the shim");
            int y = 1;  // unsafe_from_raw(p) is the escape hatch
            '''), [])


class MissingComments(unittest.TestCase):
    def test_a_cast_with_a_safety_comment_above_passes(self) -> None:
        self.assertEqual(missing('''
            // SAFETY: Device is layout-compatible with struct device (bindings_test).
            return *reinterpret_cast<const Device*>(raw);
            '''), [])

    def test_a_cast_without_one_fails(self) -> None:
        self.assertEqual(missing('''
            int f();
            return *reinterpret_cast<const Device*>(raw);
            '''), [2])

    def test_safety_anywhere_in_the_block_directly_above(self) -> None:
        self.assertEqual(missing('''
            // SAFETY: the registration keeps the device bound while
            // the handler runs; see Registration::drop.
            handle(Device<device::Bound>::unsafe_from_raw(self->dev_));
            '''), [])

    def test_a_comment_that_is_not_a_safety_comment_fails(self) -> None:
        self.assertEqual(missing('''
            // The device, from its C pointer.
            return *reinterpret_cast<const Device*>(raw);
            '''), [2])

    def test_a_blank_line_between_comment_and_site_fails(self) -> None:
        self.assertEqual(missing('''
            // SAFETY: this is not directly above.

            return *reinterpret_cast<const Device*>(raw);
            '''), [3])

    def test_a_multi_line_statement_with_the_comment_above_its_first_line_passes(self) -> None:
        self.assertEqual(missing('''
            {
              // SAFETY: kcpp_site_ is a struct _ddebug (static_assert in print.h).
              ::__dynamic_pr_debug(
                  reinterpret_cast<::_ddebug*>(kcpp_site_), fmt,
                  args);
            }
            '''), [])

    def test_a_multi_line_statement_without_one_fails_at_the_site(self) -> None:
        self.assertEqual(missing('''
            x = 1;
            ::__dynamic_pr_debug(
                reinterpret_cast<::_ddebug*>(kcpp_site_), fmt,
                args);
            '''), [3])

    def test_a_comment_covers_its_own_statement_only(self) -> None:
        self.assertEqual(missing('''
            // SAFETY: both are plain bytes.
            auto* a = reinterpret_cast<u8*>(p);
            auto* b = reinterpret_cast<u8*>(q);
            '''), [3])

    def test_a_trailing_comment_is_not_above(self) -> None:
        self.assertEqual(missing('''
            x = 1;
            auto* a = reinterpret_cast<u8*>(p);  // SAFETY: plain bytes
            '''), [2])

    def test_a_block_comment_does_not_count_outside_a_macro(self) -> None:
        self.assertEqual(missing('''
            /* SAFETY: plain bytes */
            auto* a = reinterpret_cast<u8*>(p);
            '''), [2])

    def test_in_a_macro_body_a_block_comment_on_its_own_line_counts(self) -> None:
        # A // comment there would swallow the backslash that continues the macro.
        self.assertEqual(missing('''
            #define KCPP_PR_DEBUG(fmt, ...)                          \\
              do {                                                   \\
                /* SAFETY: DynDebugSite is struct _ddebug. */        \\
                ::__dynamic_pr_debug(reinterpret_cast<::_ddebug*>(s), \\
                                     fmt, ##__VA_ARGS__);            \\
              } while (0)
            '''), [])

    def test_a_macro_whose_body_starts_with_the_site_takes_the_comment_above_it(self) -> None:
        self.assertEqual(missing('''
            // SAFETY: a Device is its struct device (bindings_test).
            #define KCPP_AS_DEVICE(raw) \\
              reinterpret_cast<const ::kcpp::Device*>(raw)
            #define KCPP_AS_PCI(raw) \\
              reinterpret_cast<const ::kcpp::pci::Device*>(raw)
            '''), [5])

    def test_a_definition_needs_no_comment(self) -> None:
        self.assertEqual(missing('''
            int f();
            [[nodiscard]] static Box unsafe_from_raw(T* raw) { return Box(raw); }
            '''), [])

    def test_a_call_returned_needs_one(self) -> None:
        self.assertEqual(missing('''
            int f();
            return Box::unsafe_from_raw(p);
            '''), [2])


class MissingSites(unittest.TestCase):
    def test_reports_path_and_line_in_path_order(self) -> None:
        sources = {
            'include/kcpp/pci.h': 'int a;\nreturn reinterpret_cast<T*>(p);\n',
            'include/kcpp/device.h': '// SAFETY: fine.\nreturn reinterpret_cast<T*>(p);\n'
                                     'int b;\nauto x = std::move(b).into_raw();\n',
        }
        self.assertEqual(safety.missing_sites(sources),
                         ['include/kcpp/device.h:4', 'include/kcpp/pci.h:2'])

    def test_tracked_sources_are_the_tracked_headers_and_cpp_files(self) -> None:
        with tempfile.TemporaryDirectory() as repo:
            def git(*args: str) -> None:
                subprocess.run(['git', '-C', repo, *args], check=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            git('init', '-q')
            os.makedirs(os.path.join(repo, 'include', 'kcpp'))
            files = {'include/kcpp/a.h': 'x', 'tests/b.cpp': 'y', 'shim.c': 'z', 'untracked.h': 'w'}
            for path, text in files.items():
                os.makedirs(os.path.dirname(os.path.join(repo, path)), exist_ok=True)
                with open(os.path.join(repo, path), 'w') as f:
                    f.write(text)
            git('add', 'include/kcpp/a.h', 'tests/b.cpp', 'shim.c')
            self.assertEqual(safety.tracked_sources(repo),
                             {'include/kcpp/a.h': 'x', 'tests/b.cpp': 'y'})


if __name__ == '__main__':
    unittest.main()
