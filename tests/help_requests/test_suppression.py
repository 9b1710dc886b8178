"""Small cells stay hidden, also from the totals around them."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from help_requests.suppression import suppress


def derivable(table) -> list[tuple]:
    """Hidden values that one row or column equation gives back (the attack suppression stops)."""
    found = []
    rows, columns = len(table.cells), len(table.cells[0])
    for r in range(rows):
        line_hidden = [c for c in range(columns) if table.hidden[r][c]]
        if not table.row_total_hidden[r] and len(line_hidden) == 1:
            found.append(("row", r, line_hidden[0]))
    for c in range(columns):
        line_hidden = [r for r in range(rows) if table.hidden[r][c]]
        if not table.column_total_hidden[c] and len(line_hidden) == 1:
            found.append(("column", c, line_hidden[0]))
    return found


def test_a_cell_of_3_is_hidden_and_cannot_be_recovered_from_the_totals():
    cells = [
        [3, 20, 12],
        [15, 9, 30],
        [8, 14, 25],
    ]
    table = suppress(cells, k=5)
    assert table.hidden[0][0]
    # Row 0 shows its total (35): 35 - 20 - 12 would give 3 back, so another cell of row 0 is
    # hidden too, and likewise in column 0.
    assert sum(table.hidden[0]) >= 2
    assert sum(table.hidden[r][0] for r in range(3)) >= 2
    assert derivable(table) == []


def test_nothing_is_hidden_when_every_cell_is_big_enough():
    table = suppress([[5, 6], [7, 8]], k=5)
    assert not any(itertools.chain.from_iterable(table.hidden))
    assert not table.total_hidden


def test_zeros_are_not_small_but_can_be_hidden_as_a_second_cell():
    table = suppress([[0, 2, 40], [10, 10, 10]], k=5)
    assert table.hidden[0][1]
    assert derivable(table) == []


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda columns: st.lists(
            st.lists(st.integers(min_value=0, max_value=30), min_size=columns, max_size=columns),
            min_size=1,
            max_size=6,
        )
    ),
    st.integers(min_value=2, max_value=10),
)
def test_no_hidden_cell_is_ever_alone_in_a_line_with_a_visible_total(cells, k):
    table = suppress(cells, k)
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            if 0 < value < k:
                assert table.hidden[r][c]
            if value == 0:
                assert not table.hidden[r][c]  # a hidden zero would protect nothing
    assert derivable(table) == []
