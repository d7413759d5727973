"""Run every benchmark in this folder: ``python benchmarks/run_all.py``.

Each benchmark measures its own baseline in the same run and prints its
ratios with PASS or MISS against its target; this prints them in sequence and
a last line counting the misses.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    """Run each ``bench_*.py`` and return the number of benchmarks that failed."""
    failed = 0
    misses = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        result = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, check=False
        )
        print(result.stdout, end="")
        if result.returncode != 0:
            failed += 1
            print(result.stderr, end="")
        misses += result.stdout.count("MISS")
    print(f"benchmarks: {failed} failed to run, {misses} targets missed")
    return failed


if __name__ == "__main__":
    sys.exit(main())
