"""scripts/loadtest.py at a small size: every page kind answers under concurrent load."""

import subprocess
import sys

from conftest import ROOT


def test_the_load_test_runs_at_a_small_size_with_no_error():
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "loadtest.py"),
            "--scale",
            "30",
            "--requests",
            "60",
            "--concurrency",
            "4",
            "--seconds",
            "120",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = {line.split()[0]: line for line in run.stdout.splitlines() if line}
    assert "query newest_events" in run.stdout and "ranked search" in run.stdout
    assert "article page" in run.stdout
    assert lines["all"].split()[1:2] == ["60"] and lines["all"].split()[-1] == "0"
