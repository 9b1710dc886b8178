"""One benchmark figure: a value, its baseline measured in the same run, and their ratio.

    figure("webhook_rps", "SMS webhook ...", 310.0, "req/s", baseline=640.0,
           baseline_name="GET /healthz, same server", better="higher")

`ratio` is always value / baseline; `better` says which direction is good ("lower" for times,
queries and memory, "higher" for throughput), and `reading` says it in words.
"""

from __future__ import annotations

UNITS_FORMAT = {"ms": "{:,.1f}", "q": "{:,.0f}", "MB": "{:,.0f}", "req/s": "{:,.0f}", "bookings/s": "{:,.1f}"}


def figure(
    key: str,
    name: str,
    value: float | None,
    unit: str,
    *,
    baseline: float | None = None,
    baseline_name: str = "",
    baseline_unit: str = "",
    better: str = "lower",
    note: str = "",
) -> dict:
    """`baseline_unit`: when the baseline counts something else (bookings/s against req/s)."""
    ratio = None
    if value is not None and baseline:
        ratio = value / baseline
    return {
        "key": key,
        "name": name,
        "value": value,
        "unit": unit,
        "baseline_name": baseline_name,
        "baseline": baseline,
        "baseline_unit": baseline_unit or unit,
        "ratio": ratio,
        "better": better,
        "reading": reading(ratio, better),
        "note": note,
    }


def reading(ratio: float | None, better: str) -> str:
    if ratio is None:
        return ""
    if better == "higher":
        return f"{ratio:.1%} of the baseline" if ratio < 1 else f"{ratio:.2f}x the baseline"
    if ratio == 0:
        return "none at all"
    if ratio == 1:
        return "the same"
    if ratio < 1:
        return f"{1 / ratio:.1f}x less"
    return f"{ratio:.1f}x more"


def number(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    return UNITS_FORMAT.get(unit, "{:,.1f}").format(value)


def line(f: dict) -> str:
    """The printed line: name, value, baseline name and value, ratio (and a note)."""
    text = f"{f['name']:<64} {number(f['value'], f['unit']):>9} {f['unit']:<10}"
    if f["baseline"] is not None:
        unit = f.get("baseline_unit") or f["unit"]
        text += f" | baseline {number(f['baseline'], unit):>9} {unit} ({f['baseline_name']})"
        text += f" | ratio {f['ratio']:.3g} ({f['reading']})" if f["ratio"] is not None else ""
    elif f["baseline_name"]:
        text += f" | baseline: {f['baseline_name']}"
    if f["note"]:
        text += f" | {f['note']}"
    return text
