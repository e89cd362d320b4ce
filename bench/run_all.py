"""Run every bench/bench_*.py and pass their JSON lines through; exit 1 if any script fails."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        result = subprocess.run([sys.executable, str(script)], cwd=HERE, text=True, capture_output=True)
        sys.stdout.write(result.stdout)
        if result.returncode != 0:
            failed.append(script.name)
            sys.stderr.write(f"{script.name} failed:\n{result.stderr}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
