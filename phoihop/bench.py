"""``phoihop bench``: the project's own benchmark.

Each suite returns metric dicts ``{"name", "value", "unit", "data"}``; the command prints them as a
table and writes ``var/bench/results.json``. Timings are medians over repeated runs on this machine;
``data`` says what was measured. Accuracy figures of the importer are measured here too.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from phoihop.core.i18n import _

Metric = dict
SEEDS_DIR = Path(
    os.environ.get("PHOIHOP_SEEDS_DIR") or Path(__file__).resolve().parents[2] / "shared" / "seeds"
)


def median_ms(function: Callable[[], object], repeat: int = 15, warmup: int = 2) -> float:
    for _n in range(warmup):
        function()
    times = []
    for _n in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


# -- suites -------------------------------------------------------------------------------------


def bench_import(gold_dir: Path = SEEDS_DIR, verbose: bool = True) -> list[Metric]:
    """Importer accuracy on annotated plans (txt and the derived variants) and import speed."""
    from phoihop.core.importing import import_bytes
    from phoihop.core.importing.fixtures import text_to_docx, to_nfd, to_tcvn3, to_vni
    from phoihop.core.importing.scoring import (
        find_pairs,
        format_report,
        read_source_text,
        report_metrics,
        score_folder,
    )

    pairs = find_pairs(gold_dir)
    if not pairs:
        raise SystemExit(
            _("Không có cặp *.txt + *.gold.json nào trong %(dir)s.") % {"dir": gold_dir}
        )
    metrics: list[Metric] = []
    variants = {
        "txt": None,
        "docx": lambda text, stem: (text_to_docx(text), f"{stem}.docx"),
        "tcvn3": lambda text, stem: (to_tcvn3(text), f"{stem}.txt"),
        "vni": lambda text, stem: (to_vni(text), f"{stem}.txt"),
        "nfd": lambda text, stem: (to_nfd(text), f"{stem}.txt"),
    }
    for variant, transform in variants.items():
        report = score_folder(gold_dir, transform, variant=variant)
        if verbose:
            print(format_report(report), end="\n\n")
        prefix = "import.seeds" if variant == "txt" else f"import.seeds.{variant}"
        metrics += report_metrics(report, prefix=prefix)

    sources = [(source.read_bytes(), source.name) for _gold, source in pairs]
    docx_sources = [
        (text_to_docx(read_source_text(source)), f"{source.stem}.docx") for _gold, source in pairs
    ]
    txt_times = [median_ms(lambda d=d, n=n: import_bytes(d, n)) for d, n in sources]
    docx_times = [median_ms(lambda d=d, n=n: import_bytes(d, n)) for d, n in docx_sources]
    described = f"{len(pairs)} documents of {gold_dir.name}/, median of 15 runs each; {machine()}"
    metrics.append(
        {
            "name": "import.txt.median_ms",
            "value": round(statistics.median(txt_times), 2),
            "unit": "ms",
            "data": described,
        }
    )
    metrics.append(
        {
            "name": "import.docx.median_ms",
            "value": round(statistics.median(docx_times), 2),
            "unit": "ms",
            "data": described + "; .docx written with real Word numbering",
        }
    )
    return metrics


def bench_render(gold_dir: Path = SEEDS_DIR, verbose: bool = True) -> list[Metric]:
    """Decree 30 rendering of the largest annotated plan to DOCX (and PDF when WeasyPrint is here)."""
    from phoihop.core.importing.scoring import find_pairs
    from phoihop.core.render import RenderError
    from phoihop.core.render.docx import render_docx
    from phoihop.core.render.pdf import render_pdf

    golds = [json.loads(g.read_text(encoding="utf-8")) for g, _s in find_pairs(gold_dir)]
    plan = max(golds, key=lambda g: len(g.get("commitments") or []))
    size = f"{len(plan.get('commitments') or [])} items, {len(plan.get('sections') or [])} sections"
    metrics = [
        {
            "name": "render.docx.median_ms",
            "value": round(median_ms(lambda: render_docx(plan)), 2),
            "unit": "ms",
            "data": f"largest seed plan ({size}); {machine()}",
        }
    ]
    try:
        render_pdf(plan)
    except RenderError as exc:
        if verbose:
            print(_("Bỏ qua đo PDF: %(error)s") % {"error": exc})
    else:
        value = median_ms(lambda: render_pdf(plan), repeat=5, warmup=1)
        metrics.append(
            {
                "name": "render.pdf.median_ms",
                "value": round(value, 2),
                "unit": "ms",
                "data": f"largest seed plan ({size}), WeasyPrint; {machine()}",
            }
        )
    return metrics


def bench_schedule(verbose: bool = True) -> list[Metric]:
    """Scheduling the seed plans' items for a school of 2,000 students in 60 classes (core only)."""
    from phoihop.core.cadence import Subject, expand
    from phoihop.core.calendar import get_school_year
    from phoihop.core.importing.scoring import find_pairs

    year = get_school_year("2025-2026")
    items = []
    for gold, _source in find_pairs(SEEDS_DIR):
        items += json.loads(gold.read_text(encoding="utf-8")).get("commitments") or []
    # Dated windows of the seeds lie in their own years (2015 …): those items cannot be placed in
    # 2025-2026 and are left out.
    items = [i for i in items if not (i.get("cadence") or {}).get("window")]
    per_class = [Subject(id=str(c), name=f"Lớp {c}") for c in range(60)]
    per_student = [
        Subject(
            id=str(c),
            name=f"Lớp {c}",
            members=tuple(str(c * 100 + s) for s in range(34 if c < 20 else 33)),
        )
        for c in range(60)
    ]

    def run():
        total = 0
        for item in items:
            cadence = item.get("cadence")
            kind = (cadence or {}).get("per_subject")
            subjects = per_student if kind == "hoc_sinh" else per_class
            total += len(expand(cadence, year, subjects=subjects, item_label=item["text"]))
        return total

    occurrences = run()
    value = median_ms(run, repeat=9)
    return [
        {
            "name": "schedule.school2000.median_ms",
            "value": round(value, 2),
            "unit": "ms",
            "data": f"{len(items)} items of the seeds, 60 classes, 2,000 students, 2025-2026, "
            f"{occurrences} occurrences (core cadence engine); {machine()}",
        }
    ]


SUITES: dict[str, Callable[..., list[Metric]]] = {
    "import": bench_import,
    "render": bench_render,
    "schedule": bench_schedule,
}


def write_results(metrics: list[Metric], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = []
    if path.exists():
        try:
            previous = json.loads(path.read_text(encoding="utf-8")).get("metrics", [])
        except (ValueError, AttributeError):
            previous = []
    names = {m["name"] for m in metrics}
    merged = [m for m in previous if m.get("name") not in names] + metrics
    path.write_text(
        json.dumps({"metrics": merged}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def print_table(metrics: list[Metric]) -> None:
    width = max((len(m["name"]) for m in metrics), default=10)
    for m in metrics:
        print(f"{m['name']:<{width}}  {m['value']:>10}  {m['unit']:<6}  {m['data']}")


def run(suites: list[str], gold_dir: Path | None = None) -> list[Metric]:
    metrics: list[Metric] = []
    for name in suites:
        suite = SUITES[name]
        if gold_dir is not None and name in ("import", "render"):
            metrics += suite(gold_dir)
        else:
            metrics += suite()
        sys.stdout.flush()
    return metrics
