"""``lesson_plugins/source.py``: the one reading of a page's markdown source, by line."""

from __future__ import annotations

import textwrap

from lesson_plugins.source import Header, SourceMap


def source(text: str) -> SourceMap:
    return SourceMap(textwrap.dedent(text).lstrip("\n"))


# -- front matter -------------------------------------------------------------------------------


def test_front_matter_lines_and_fields() -> None:
    page = source(
        """
        ---
        lesson: kd
        tagline: soft
        ---
        # Title
        """
    )
    assert page.front_matter == (1, 4)
    assert page.body_start == 5
    assert (page.field_line("lesson"), page.field_line("tagline")) == (2, 3)
    assert page.field_line("xp") is None
    assert page.headings == [(5, 1)]


def test_front_matter_closed_by_dots_unclosed_or_absent() -> None:
    assert source("---\na: 1\n...\ntext\n").front_matter == (1, 3)
    unclosed = source("---\na: 1\n# not a heading yet\n")
    assert unclosed.front_matter == (1, 0)
    assert unclosed.body_start == 1 and unclosed.field_line("a") is None
    assert source("text\n---\n").front_matter is None
    assert source("").front_matter is None


def test_nothing_in_the_front_matter_is_a_header_or_heading() -> None:
    page = source("---\nx: |\n  /// slider | T\n  # no\n---\n/// course\n///\n")
    assert [(h.line, h.name) for h in page.headers] == [(6, "course")]
    assert page.headings == []


# -- fenced code --------------------------------------------------------------------------------


def test_a_tilde_fence_holding_a_backtick_line() -> None:
    """Issue 17: a ``~~~`` fence that contains a ```` ``` ```` line is one fence, to its ``~~~``."""
    page = source(
        """
        ~~~markdown
        ```
        # not a heading
        /// slider | T
        ~~~
        # A heading
        /// course
        ///
        """
    )
    assert page.code == {1, 2, 3, 4, 5}
    assert page.headings == [(6, 1)]
    assert [h.line for h in page.headers] == [7]
    assert page.heading_level(7) == 1


def test_a_backtick_fence_holding_tildes_and_a_shorter_fence() -> None:
    page = source(
        """
        ````md
        ~~~
        ```
        ## inside
        ````
        ## outside
        """
    )
    assert page.code == {1, 2, 3, 4, 5}
    assert page.headings == [(6, 2)]


def test_a_fence_closes_only_with_nothing_after_it() -> None:
    page = source("```\n```python\n# in\n```  \n# out\n")
    assert page.code == {1, 2, 3, 4}
    assert page.headings == [(5, 1)]


def test_indented_fences_count_and_an_unclosed_fence_runs_to_the_end() -> None:
    page = source("- item\n\n    ```\n    # in\n    ```\n\n~~~\n# in too\n")
    assert page.code == {3, 4, 5, 7, 8}
    assert page.headings == []


# -- block headers --------------------------------------------------------------------------------


NESTED = """
/// quiz | Which?
    type: choice
- [x] yes
- [ ] no

/// paper | A *paper*
    authors: A
    year: 2020
Summary.
///

```
///
/// slider | in code
```
Explanation.
///
/// Course
///
/// notebook
"""


def test_headers_their_closing_lines_and_depth() -> None:
    page = source(NESTED)
    assert page.headers == [
        Header(line=1, name="quiz", argument="Which?", end=17, depth=0),
        Header(line=6, name="paper", argument="A *paper*", end=10, depth=1),
        Header(line=18, name="course", argument="", end=19, depth=0),
        Header(line=20, name="notebook", argument="", end=None, depth=0),
    ]
    assert page.header_at(6).name == "paper" and page.header_at(7) is None


def test_body_leaves_out_options_code_and_nested_blocks() -> None:
    page = source(NESTED)
    assert page.body(1) == [3, 4, 5, 11, 16]
    assert page.body(6) == [9]
    assert page.body(18) == []
    assert page.body(20) == []
    assert page.body(99) == []


def test_option_lines_and_raw_values() -> None:
    page = source(
        """
        /// paper | T
            arxiv: 2306.08540   # a comment
            venue: 'ICLR: 2024'
            year: 2024
        Not an option: text.
            indented: but after text
        ///
        """
    )
    assert page.option_lines(1) == [2, 3, 4]
    assert page.raw_option(1, "arxiv") == "2306.08540"  # as written: YAML would read a float
    assert page.raw_option(1, "venue") == "ICLR: 2024"
    assert page.raw_option(1, "indented") is None
    assert page.raw_option(None, "arxiv") is None
    assert page.body(1) == [5, 6]


# -- headings -------------------------------------------------------------------------------------


def test_headings_levels_and_first_heading() -> None:
    page = source(
        """
        Intro with a #hashtag.

        ## Section ##
        /// course
        ///
        ####### seven is not a heading
        # The *title* #
        """
    )
    assert page.headings == [(3, 2), (7, 1)]
    assert page.heading_level(4) == 2
    assert page.heading_level(1) == 1  # nothing above: level 1
    assert page.heading_level(None) == 1
    assert page.first_heading() == "The *title*"
    assert source("## only two\n").first_heading() is None
