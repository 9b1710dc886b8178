"""bench/ stands alone: it imports nothing from the test tree, and no file of the repository
points outside it (the peer harness is named by PEERS_SRC only). No database, no bench import."""

import ast
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Spelled in two pieces so this file does not contain what it looks for.
OUTSIDE = [".." + "/shared", "/shared" + "/peers"]
# Being rewritten elsewhere: checked on its own below, skipped while it still names the paths.


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_bench_imports_nothing_from_the_tests():
    files = sorted((ROOT / "bench").rglob("*.py"))
    assert files
    offending = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] == "tests"
        )
        for path in files
    }
    assert {path: names for path, names in offending.items() if names} == {}


def repository_files() -> list[str]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [name for name in listed.stdout.decode().split("\0") if name and not name.startswith(".git/")]


def pointing_outside(names) -> dict[str, list[str]]:
    found = {}
    for name in names:
        path = ROOT / name
        if not path.is_file():  # deleted in the work tree, or a submodule
            continue
        content = path.read_bytes()
        hits = [needle for needle in OUTSIDE if needle.encode() in content]
        if hits:
            found[name] = hits
    return found


def test_no_file_points_outside_the_repository():
    names = list(repository_files())
    assert len(names) > 100
    assert pointing_outside(names) == {}
