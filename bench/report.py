"""Render bench/results.json (written by a full `python bench/run.py`) as the table in docs/benchmarks.md.

python bench/report.py            # print the Markdown
python bench/report.py --write    # replace the part of docs/benchmarks.md between the bench markers
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from figures import number, reading  # noqa: E402

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Latest full run: {m['date']}, commit `{m['git_commit']}`, {m.get('duration_s', '?')} s. "
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}, Python {m['python']}, "
        f"Django {m['django']}, PostgreSQL {m['postgresql'] or 'not available'}. The cores are shared "
        "with other work (the load generator too, for the HTTP figures), so figures are noisy: compare "
        "ratios within one run, not absolute values across runs.",
        "",
        "| figure | value | baseline (same run) | ratio | note |",
        "| --- | --- | --- | --- | --- |",
    ]
    for f in results["figures"]:
        value = f"{number(f['value'], f['unit'])} {f['unit']}"
        if f["baseline"] is None:
            baseline = f["baseline_name"] or "none"
        else:
            unit = f.get("baseline_unit") or f["unit"]
            baseline = f"{number(f['baseline'], unit)} {unit} ({f['baseline_name']})"
        ratio = "" if f["ratio"] is None else f"{f['ratio']:.3g} ({reading(f['ratio'], f['better'])})"
        row = [f["name"], value, baseline, ratio, f["note"]]
        lines.append("| " + " | ".join(cell(c) for c in row) + " |")
    if results.get("skipped"):
        lines += ["", "Not measured in that run: " + "; ".join(results["skipped"]) + "."]
    return "\n".join(lines) + "\n"


def replace_between(text: str, table: str) -> str:
    start, end = text.index(START) + len(START), text.index(END)
    return text[:start] + "\n" + table + text[end:]


def main():
    results = json.loads((HERE / "results.json").read_text())
    table = render(results)
    if "--write" in sys.argv:
        page = HERE.parent / "docs" / "benchmarks.md"
        page.write_text(replace_between(page.read_text(), table))
    else:
        print(table, end="")


if __name__ == "__main__":
    main()
