"""Run every bench/bench_*.py and print one table of ratio targets; exit 1 if a target is missed or a script fails.

Each script prints JSON lines (bench/common.py: ratio); only figures with a target on the ratio are shown.
`--json` also passes the JSON lines through on stdout (before the table). Run with QT_QPA_PLATFORM=offscreen
(`make bench` does).
"""

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def collect(scripts, echo=False) -> tuple[list[dict], list[str]]:
    """The figures printed by each script, and the names of the scripts that failed."""
    figures, failed = [], []
    for script in scripts:
        print(f"… {script.name}", file=sys.stderr, flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=HERE, text=True, capture_output=True)
        for text in result.stdout.splitlines():
            try:
                line = json.loads(text)
            except ValueError:
                continue
            if echo:
                print(text)
            figures.append(line)
        if result.returncode != 0:
            failed.append(script.name)
            sys.stderr.write(f"{script.name} failed:\n{result.stderr}\n")
    return figures, failed


def met(line: dict) -> bool:
    return line["ratio"] is not None and line["ratio"] <= line["target"]


def table(figures: list[dict]) -> str:
    rows = [("figure", "ours", "floor", "ratio", "target", "met?")]
    for f in figures:
        unit = f.get("unit", "s")
        rows.append((f["name"], f"{f['value']:.4g} {unit}", f"{f['floor']:.4g} {unit}", f"{f['ratio']:.2f}×",
                     f"≤ {f['target']}×", "yes" if met(f) else "NO" + (f" ({f['note']})" if f.get("note") else "")))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    out = []
    for n, r in enumerate(rows):
        out.append("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[5])
        if n == 0:
            out.append("-" * (sum(widths) + 2 * 5 + 4))
    return "\n".join(out)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    names = [a for a in argv if not a.startswith("--")]
    scripts = sorted(p for p in HERE.glob("bench_*.py") if not names or any(n in p.name for n in names))
    figures, failed = collect(scripts, echo="--json" in argv)
    shown = [f for f in figures if f.get("target_on") == "ratio" and f.get("target") is not None and f.get("floor")]
    print(table(shown))
    missed = [f["name"] for f in shown if not met(f)]
    if missed:
        print(f"\n{len(missed)} of {len(shown)} targets missed: {', '.join(missed)}")
    if failed:
        print(f"\nscripts failed: {', '.join(failed)}")
    return 1 if missed or failed else 0


if __name__ == "__main__":
    sys.exit(main())
