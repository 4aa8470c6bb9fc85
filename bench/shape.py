"""The shape of the code: the largest modules and functions of the project's layers.

    python bench/shape.py [--most 8]

Counted from the source text (lines of a module; a function's lines from its ``def`` to its
last line), for domain/, ports/, application/, adapters/ and entrypoints/; tests and benchmarks
are not counted. A map of where the long pieces are, not a verdict.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("domain", "ports", "application", "adapters", "entrypoints")


def modules() -> list[Path]:
    return sorted(path for layer in LAYERS for path in (ROOT / layer).rglob("*.py"))


def functions(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno:
            found.append((node.end_lineno - node.lineno + 1,
                          f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--most", type=int, default=8)
    most = parser.parse_args().most
    sizes = sorted(((len(path.read_text(encoding="utf-8").splitlines()), path) for path in modules()),
                   reverse=True)
    print(f"{len(sizes)} modules, {sum(size for size, _ in sizes)} lines; the largest:")
    for size, path in sizes[:most]:
        print(f"  {size:5} {path.relative_to(ROOT)}")
    every = sorted((item for path in modules() for item in functions(path)), reverse=True)
    over = sum(1 for size, _ in every if size > 15)
    print(f"{len(every)} functions, {over} over 15 lines; the longest:")
    for size, name in every[:most]:
        print(f"  {size:5} {name}")


if __name__ == "__main__":
    main()
