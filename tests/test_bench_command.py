"""``phoihop bench`` with several suites runs each in a process of its own (issue 14: ``make
bench`` stopped at rollup_pg because a process can start Django on one database only)."""

import subprocess
import sys
from types import SimpleNamespace

from phoihop.cli import bench


def test_each_suite_runs_in_its_own_process_and_a_failure_is_reported(
    monkeypatch, tmp_path, capsys
):
    calls = []

    def fake_run(command, check):
        calls.append(command)
        return SimpleNamespace(returncode=1 if "rollup_pg" in command else 0)

    monkeypatch.setattr(subprocess, "run", fake_run)
    output = tmp_path / "results.json"
    args = SimpleNamespace(suites=["ical", "rollup_pg", "abuse"], output=output, gold=None)
    assert bench.cmd_bench(args) == 1
    assert [c[4] for c in calls] == ["ical", "rollup_pg", "abuse"]
    assert all(c[:4] == [sys.executable, "-m", "phoihop", "bench"] for c in calls)
    assert all(c[-2:] == ["--output", str(output)] for c in calls)
    assert "rollup_pg" in capsys.readouterr().err
