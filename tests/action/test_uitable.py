"""gosuri/uitable's layout, the one table printer of list, history, dependency list, repo
list and search: widths in terminal columns, the column limit, several-line cells."""

from __future__ import annotations

from kelm.action.uitable import display_width, resize, uitable


def test_widths_count_terminal_columns() -> None:
    assert display_width("日本") == 4 and display_width("e\u0301") == 1
    assert display_width("\x1b[31mred\x1b[0m") == 3
    assert resize("ab", 4) == "ab  " and resize("abcdefgh", 6) == "abc..."


def test_the_column_limit_cuts_and_pads() -> None:
    rows = [["NAME", "DESCRIPTION"], ["a", "x" * 12], ["日本語テキスト", "short"]]
    assert uitable(rows, 6) == ("NAME  \tDES...\n"
                                "a     \txxx...\n"
                                "日本...\tshort ")
    assert uitable(rows) == ("NAME          \tDESCRIPTION \n"
                             "a             \txxxxxxxxxxxx\n"
                             "日本語テキスト\tshort       ")


def test_a_cell_of_several_lines_makes_several_lines() -> None:
    assert uitable([["ABCDEFG", "B"], ["one\ntwo", "x"]], 10) == (
        "ABCDEFG\tB\none    \tx\ntwo    \t ")
    # resized whole first: a cell wider than its column is cut before it is split
    assert uitable([["A", "B"], ["one\ntwo", "x"]], 10) == "A  \tB\no...\tx"
    assert uitable([]) == ""
