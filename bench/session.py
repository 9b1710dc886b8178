"""What one `python bench/run.py` collects: its figures (printed as they come), what it did not
measure, and the details written to bench/results.json. No Django import here."""

from dataclasses import dataclass, field
from pathlib import Path

from figures import line


@dataclass
class Session:
    quick: bool
    workdir: Path  # throw-away: databases and the peers' outputs of this run
    figures: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)

    def emit(self, *figures: dict) -> None:
        """Keep and print each figure: one line with its baseline and ratio."""
        for f in figures:
            self.figures.append(f)
            print(line(f), flush=True)

    def skip(self, what: str) -> None:
        """Listed at the end of the run and in results.json."""
        self.skipped.append(what)

    def say(self, text: str) -> None:
        print(f"# {text}", flush=True)
