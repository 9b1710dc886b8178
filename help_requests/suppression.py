"""Small-cell suppression for tables published across municipalities.

A count from 1 to k-1 could point at a person, so it is hidden ("<k"). Hiding one cell is not
enough when its row or column total is shown: total minus the visible cells gives it back. So,
round after round, every row and column (and the row of totals and the column of totals) that
has exactly one hidden cell hides one more, its smallest, until none is left with exactly one.
Then each hidden cell lies in a row and a column with at least one other hidden cell, and no
single total gives it away.
"""

from dataclasses import dataclass, field


@dataclass
class Table:
    cells: list[list[int]]
    hidden: list[list[bool]] = field(default_factory=list)
    row_totals: list[int] = field(default_factory=list)
    column_totals: list[int] = field(default_factory=list)
    row_total_hidden: list[bool] = field(default_factory=list)
    column_total_hidden: list[bool] = field(default_factory=list)
    total: int = 0
    total_hidden: bool = False


def _small(value: int, k: int) -> bool:
    return 0 < value < k


def _hide_one_more(values: list[int], hidden: list[bool]) -> int | None:
    """The index of the smallest visible value above zero, to hide next to a lone hidden one (a
    hidden zero protects nothing: a line whose total is known to be zero gives it away)."""
    visible = [
        (value, index)
        for index, (value, gone) in enumerate(zip(values, hidden, strict=True))
        if not gone and value > 0
    ]
    return min(visible)[1] if visible else None


def suppress(cells: list[list[int]], k: int) -> Table:
    rows, columns = len(cells), len(cells[0]) if cells else 0
    row_totals = [sum(row) for row in cells]
    column_totals = [sum(cells[r][c] for r in range(rows)) for c in range(columns)]
    table = Table(
        cells=cells,
        hidden=[[_small(value, k) for value in row] for row in cells],
        row_totals=row_totals,
        column_totals=column_totals,
        row_total_hidden=[_small(value, k) for value in row_totals],
        column_total_hidden=[_small(value, k) for value in column_totals],
        total=sum(row_totals),
        total_hidden=_small(sum(row_totals), k),
    )
    changed = True
    while changed:
        changed = False
        # Each row: its cells add up to its total.
        for r in range(rows):
            line = [*cells[r], row_totals[r]]
            gone = [*table.hidden[r], table.row_total_hidden[r]]
            if gone.count(True) == 1:
                index = _hide_one_more(line, gone)
                if index is not None:
                    changed = True
                    if index == columns:
                        table.row_total_hidden[r] = True
                    else:
                        table.hidden[r][index] = True
        # Each column, with its total.
        for c in range(columns):
            line = [*(cells[r][c] for r in range(rows)), column_totals[c]]
            gone = [*(table.hidden[r][c] for r in range(rows)), table.column_total_hidden[c]]
            if gone.count(True) == 1:
                index = _hide_one_more(line, gone)
                if index is not None:
                    changed = True
                    if index == rows:
                        table.column_total_hidden[c] = True
                    else:
                        table.hidden[index][c] = True
        # The row totals add up to the grand total, and so do the column totals.
        for totals, gone_list in (
            (row_totals, table.row_total_hidden),
            (column_totals, table.column_total_hidden),
        ):
            line, gone = [*totals, table.total], [*gone_list, table.total_hidden]
            if gone.count(True) == 1:
                index = _hide_one_more(line, gone)
                if index is not None:
                    changed = True
                    if index == len(totals):
                        table.total_hidden = True
                    else:
                        gone_list[index] = True
    return table
