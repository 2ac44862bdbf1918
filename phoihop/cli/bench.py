"""``phoihop bench``: performance and accuracy figures, written to ``var/bench/results.json``.

The suites are ``phoihop.bench``'s; several suites run each in a process of its own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from phoihop.core.i18n import _


def register_bench(sub) -> None:
    from phoihop.bench import SUITES

    parser = sub.add_parser(
        "bench", help=_("đo hiệu năng và độ chính xác, ghi var/bench/results.json")
    )
    parser.add_argument(
        "suites",
        nargs="*",
        choices=[[], *SUITES],
        metavar=_("PHẦN"),
        help=_("các phần cần đo: %(names)s (mặc định: tất cả)") % {"names": ", ".join(SUITES)},
    )
    parser.add_argument("--gold", type=Path, help=_("thư mục chứa các cặp *.txt + *.gold.json"))
    parser.add_argument(
        "--output", type=Path, help=_("tệp kết quả (mặc định var/bench/results.json)")
    )
    parser.set_defaults(handler=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    from phoihop import bench, config

    suites = [s for s in (args.suites or list(bench.SUITES)) if s]
    # Decided before the suites run: some of them start Django on a temporary folder.
    output = args.output or config.var_dir() / "bench" / "results.json"
    if len(suites) > 1:
        return _bench_each_in_its_own_process(suites, output, args.gold)
    metrics = bench.run(suites, gold_dir=args.gold)
    bench.write_results(metrics, output)
    print()
    bench.print_table(metrics)
    print(_("Đã ghi %(path)s") % {"path": output})
    sys.stdout.flush()
    return 0


def _bench_each_in_its_own_process(suites: list[str], output: Path, gold: Path | None) -> int:
    """Several suites: each runs in a process of its own (some start Django on a database of
    their own, which a process can do only once), writing into the same results file."""
    import subprocess

    failed = []
    for name in suites:
        command = [sys.executable, "-m", "phoihop", "bench", name, "--output", str(output)]
        if gold is not None:
            command += ["--gold", str(gold)]
        print(f"== {name}", flush=True)
        if subprocess.run(command, check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(
            _("Các phần đo bị lỗi: %(names)s; các phần khác đã ghi vào %(path)s")
            % {"names": ", ".join(failed), "path": output},
            file=sys.stderr,
        )
        return 1
    print(_("Đã ghi %(path)s") % {"path": output})
    return 0
