"""How well the importer reads real plans: precision, recall and F1 against hand annotations.

Point it at any folder of ``X.gold.json`` files with their sources (``X.txt``, or another supported
extension with the same stem). Items are paired with the annotation by text similarity — the
annotator may have fixed a typo, dropped a Markdown star or cut a long item short — greedily, best
pair first, one to one. What is compared follows ``IMPORT_FORMAT.md`` ("What the tests compare"):

* sections: same heading (similar text) at the same level;
* commitments: similar text; on matched pairs, the party sets (micro P/R/F1 over party codes) and
  the cadence (exact on count, per — year ≡ school_year —, per_subject, anchors, window);
* targets, legal basis, recipients, signers: similar text;
* doc_type, number, date: exact.

A *source transform* turns each seed's text into another input (bytes and a file name) so the same
figures can be measured on .docx, TCVN3, VNI or NFD versions of the same documents.
"""

from __future__ import annotations

import difflib
import json
import re
import statistics
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .plan import import_bytes

Transform = Callable[[str, str], tuple[bytes, str]]

# Text sources first: when a folder holds both NAME.txt and a rendering of it, the text is the
# source the transforms start from.
SOURCE_EXTENSIONS = (
    ".txt", ".md", ".docx", ".html", ".htm", ".doc", ".pdf", ".png", ".jpg", ".jpeg",
)  # fmt: skip
FIELDS = (
    "sections",
    "commitments",
    "parties",
    "cadence",
    "targets",
    "legal_basis",
    "recipients",
    "signers",
)
EXACT_FIELDS = ("doc_type", "number", "date")
TEXT_THRESHOLD = 0.7
HEADING_THRESHOLD = 0.75

_PUNCT = re.compile(r"[^\w\s]|_")
_SPACE = re.compile(r"\s+")


def normalise(text: str | None) -> str:
    """Lower case, NFC, no punctuation, single spaces: the form texts are compared in."""
    text = unicodedata.normalize("NFC", text or "").lower()
    text = _PUNCT.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def similarity(a: str, b: str) -> float:
    """Similarity of two normalised texts in [0, 1].

    difflib's ratio, raised when the shorter text is almost entirely contained in the longer one
    (an annotator who kept only the first sentences of a long item still means that item).
    """
    if not a or not b:
        return 1.0 if a == b else 0.0
    if a == b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.2:
        return 0.0
    ratio = matcher.ratio()
    short, long_ = sorted((len(a), len(b)))
    if ratio < 0.85 and short >= 0.15 * long_ and short >= 20:
        covered = sum(block.size for block in matcher.get_matching_blocks())
        if covered >= 0.9 * short:
            ratio = max(ratio, 0.85)
    return ratio


def match(
    gold: list[str], predicted: list[str], threshold: float = TEXT_THRESHOLD,
    compatible: Callable[[int, int], bool] | None = None,
) -> list[tuple[int, int, float]]:  # fmt: skip
    """Greedy best-first one-to-one pairing of gold and predicted texts above ``threshold``."""
    gn = [normalise(t) for t in gold]
    pn = [normalise(t) for t in predicted]
    pairs = []
    for gi, g in enumerate(gn):
        for pi, p in enumerate(pn):
            if compatible is not None and not compatible(gi, pi):
                continue
            s = similarity(g, p)
            if s >= threshold:
                pairs.append((s, gi, pi))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for s, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi, s))
    return sorted(out)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def _matched_counts(n_gold: int, n_pred: int, n_matched: int) -> Counts:
    return Counts(tp=n_matched, fp=n_pred - n_matched, fn=n_gold - n_matched)


def _per(value: str | None) -> str | None:
    return "year" if value == "school_year" else value


def cadence_equal(gold: dict | None, pred: dict | None) -> bool:
    """Exact cadence match on what scheduling needs (the phrase itself is not compared)."""
    if gold is None or pred is None:
        return gold is None and pred is None
    return (
        gold.get("count") == pred.get("count")
        and _per(gold.get("per")) == _per(pred.get("per"))
        and gold.get("per_subject") == pred.get("per_subject")
        and sorted(gold.get("anchors") or []) == sorted(pred.get("anchors") or [])
        and (gold.get("window") or None) == (pred.get("window") or None)
    )


def _signer_text(s: dict) -> str:
    return " ".join(str(s.get(k) or "") for k in ("authority", "title", "name"))


@dataclass
class DocumentScore:
    name: str
    counts: dict[str, Counts] = field(default_factory=dict)
    exact: dict[str, bool] = field(default_factory=dict)
    cadence_total: int = 0
    cadence_exact: int = 0
    party_sets_exact: int = 0
    matched_commitments: int = 0
    seconds: float = 0.0
    error: str | None = None
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "fields": {k: v.as_dict() for k, v in self.counts.items()},
            "exact": dict(self.exact),
            "cadence_exact": {
                "total": self.cadence_total,
                "exact": self.cadence_exact,
                "rate": _rate(self.cadence_exact, self.cadence_total),
            },
            "party_sets_exact": _rate(self.party_sets_exact, self.matched_commitments),
            "seconds": round(self.seconds, 4),
            "error": self.error,
        }


def _rate(n: int, total: int) -> float:
    return round(n / total, 4) if total else 1.0


def score_document(gold: dict, pred: dict, name: str = "") -> DocumentScore:
    """Compare one predicted plan with its annotation."""
    doc = DocumentScore(name=name)

    gs, ps = gold.get("sections") or [], pred.get("sections") or []
    pairs = match(
        [s["heading"] for s in gs],
        [s["heading"] for s in ps],
        HEADING_THRESHOLD,
        compatible=lambda gi, pi: gs[gi].get("level") == ps[pi].get("level"),
    )
    doc.counts["sections"] = _matched_counts(len(gs), len(ps), len(pairs))
    doc.details["sections_missed"] = [
        f"{s.get('level')} {s['heading']}"
        for i, s in enumerate(gs)
        if i not in {g for g, _, _ in pairs}
    ]
    doc.details["sections_extra"] = [
        f"{s.get('level')} {s['heading']}"
        for i, s in enumerate(ps)
        if i not in {p for _, p, _ in pairs}
    ]

    gc, pc = gold.get("commitments") or [], pred.get("commitments") or []
    pairs = match([c["text"] for c in gc], [c["text"] for c in pc])
    doc.counts["commitments"] = _matched_counts(len(gc), len(pc), len(pairs))
    matched_g = {g for g, _, _ in pairs}
    matched_p = {p for _, p, _ in pairs}
    doc.details["commitments_missed"] = [
        c["text"][:120] for i, c in enumerate(gc) if i not in matched_g
    ]
    doc.details["commitments_extra"] = [
        c["text"][:120] for i, c in enumerate(pc) if i not in matched_p
    ]
    party = Counts()
    cad = Counts()
    doc.details["party_diffs"] = []
    doc.details["cadence_diffs"] = []
    for gi, pi, _ in pairs:
        g, p = gc[gi], pc[pi]
        gset, pset = set(g.get("parties") or []), set(p.get("parties") or [])
        party.add(Counts(len(gset & pset), len(pset - gset), len(gset - pset)))
        doc.matched_commitments += 1
        if gset == pset:
            doc.party_sets_exact += 1
        else:
            doc.details["party_diffs"].append(
                {"text": g["text"][:80], "gold": sorted(gset), "pred": sorted(pset)}
            )
        gcad, pcad = g.get("cadence"), p.get("cadence")
        if gcad is not None:
            doc.cadence_total += 1
            if cadence_equal(gcad, pcad):
                doc.cadence_exact += 1
                cad.tp += 1
            else:
                cad.fn += 1
                if pcad is not None:
                    cad.fp += 1
        elif pcad is not None:
            cad.fp += 1
        if not cadence_equal(gcad, pcad):
            doc.details["cadence_diffs"].append(
                {"text": g["text"][:80], "gold": gcad, "pred": pcad}
            )
    doc.counts["parties"] = party
    doc.counts["cadence"] = cad

    for key, text_of in (
        ("targets", lambda t: t["text"]),
        ("legal_basis", lambda t: t["text"]),
        ("recipients", lambda t: t["text"]),
        ("signers", _signer_text),
    ):
        g_items, p_items = gold.get(key) or [], pred.get(key) or []
        pairs = match([text_of(t) for t in g_items], [text_of(t) for t in p_items])
        doc.counts[key] = _matched_counts(len(g_items), len(p_items), len(pairs))
        if len(pairs) != len(g_items) or len(pairs) != len(p_items):
            doc.details[f"{key}_gold"] = [text_of(t) for t in g_items]
            doc.details[f"{key}_pred"] = [text_of(t) for t in p_items]

    for key in EXACT_FIELDS:
        doc.exact[key] = gold.get(key) == pred.get(key)
        if not doc.exact[key]:
            doc.details[f"{key}_diff"] = {"gold": gold.get(key), "pred": pred.get(key)}
    return doc


def find_pairs(gold_dir: str | Path) -> list[tuple[Path, Path]]:
    """(annotation, source) pairs of a folder, sorted by name; sources without gold are ignored."""
    gold_dir = Path(gold_dir)
    out = []
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        for ext in SOURCE_EXTENSIONS:
            source = gold_dir / f"{stem}{ext}"
            if source.exists():
                out.append((gold_path, source))
                break
    return out


def read_source_text(path: Path) -> str:
    from .extract import decode_text_bytes

    return decode_text_bytes(path.read_bytes())[0]


@dataclass
class Report:
    documents: list[DocumentScore]
    variant: str = "txt"

    def overall(self) -> dict[str, Counts]:
        total = {f: Counts() for f in FIELDS}
        for doc in self.documents:
            for key, counts in doc.counts.items():
                total[key].add(counts)
        return total

    def exact_rate(self, key: str) -> float:
        docs = [d for d in self.documents if d.error is None]
        return _rate(sum(1 for d in docs if d.exact.get(key)), len(self.documents))

    def cadence_rate(self) -> float:
        total = sum(d.cadence_total for d in self.documents)
        return _rate(sum(d.cadence_exact for d in self.documents), total)

    def party_sets_rate(self) -> float:
        total = sum(d.matched_commitments for d in self.documents)
        return _rate(sum(d.party_sets_exact for d in self.documents), total)

    def figures(self) -> dict[str, float]:
        """The headline numbers: F1 per field, cadence exact rate, exact-match rates."""
        overall = self.overall()
        out = {key: round(c.f1, 4) for key, c in overall.items()}
        out["cadence_exact"] = self.cadence_rate()
        out["party_sets_exact"] = self.party_sets_rate()
        for key in EXACT_FIELDS:
            out[key] = self.exact_rate(key)
        return out

    def as_dict(self) -> dict:
        return {
            "variant": self.variant,
            "documents": [d.as_dict() for d in self.documents],
            "overall": {k: v.as_dict() for k, v in self.overall().items()},
            "figures": self.figures(),
        }


def score_folder(
    gold_dir: str | Path, transform: Transform | None = None, variant: str | None = None
) -> Report:
    """Run the importer on every annotated document of ``gold_dir`` and score it.

    ``transform(text, stem) -> (data, filename)`` makes another input from each source's text
    (a .docx, a TCVN3 file…); without it the source file is imported as it is.
    """
    inputs = []
    for gold_path, source in find_pairs(gold_dir):
        stem = gold_path.name[: -len(".gold.json")]
        if transform is None:
            inputs.append((gold_path, stem, lambda s=source: (s.read_bytes(), s.name)))
        else:
            inputs.append(
                (gold_path, stem, lambda s=source, t=stem: transform(read_source_text(s), t))
            )
    return score_inputs(inputs, variant or ("txt" if transform is None else "transformed"))


def score_files(gold_dir: str | Path, extension: str, variant: str | None = None) -> Report:
    """Score ``NAME.<extension>`` against ``NAME.gold.json`` for every annotation of the folder
    that has such a file (a folder may hold the same plan as .docx, .html and .pdf)."""
    gold_dir = Path(gold_dir)
    inputs = []
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        source = gold_dir / f"{stem}.{extension.lstrip('.')}"
        if source.exists():
            inputs.append((gold_path, stem, lambda s=source: (s.read_bytes(), s.name)))
    return score_inputs(inputs, variant or extension.lstrip("."))


def score_inputs(
    inputs: list[tuple[Path, str, Callable[[], tuple[bytes, str]]]], variant: str
) -> Report:
    """Score (annotation, name, make_input) triples; ``make_input()`` returns the file's bytes and
    name. A document whose input cannot be made or imported is scored as an empty plan with its
    ``error`` recorded: one failure must not hide the other documents' figures."""
    docs = []
    for gold_path, stem, make_input in inputs:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        started = time.perf_counter()
        try:
            data, filename = make_input()
            started = time.perf_counter()
            pred = import_bytes(data, filename)
            error = None
        except Exception as exc:  # a crash on one document must not hide the others' figures
            pred, error = {}, f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - started
        doc = score_document(gold, pred, stem)
        doc.seconds, doc.error = elapsed, error
        docs.append(doc)
    return Report(docs, variant)


def format_report(report: Report) -> str:
    """A plain-text table: one row per document and an overall row, F1 per field."""
    short = {
        "sections": "sect",
        "commitments": "items",
        "parties": "party",
        "cadence": "cad",
        "targets": "targ",
        "legal_basis": "basis",
        "recipients": "recip",
        "signers": "sign",
    }
    head = ["document"] + [short[f] for f in FIELDS] + ["cad=", "type", "num", "date", "ms"]
    rows = [head]
    for d in report.documents:
        row = [d.name[:28]]
        row += [f"{d.counts[f].f1:.2f}" if f in d.counts else "-" for f in FIELDS]
        row.append(f"{_rate(d.cadence_exact, d.cadence_total):.2f}")
        row += ["ok" if d.exact.get(k) else "NO" for k in EXACT_FIELDS]
        row.append(f"{d.seconds * 1000:.0f}")
        rows.append(row)
    overall = report.overall()
    row = ["OVERALL (F1)"] + [f"{overall[f].f1:.2f}" for f in FIELDS]
    row.append(f"{report.cadence_rate():.2f}")
    row += [f"{report.exact_rate(k):.2f}" for k in EXACT_FIELDS]
    times = [d.seconds * 1000 for d in report.documents]
    row.append(f"{statistics.median(times):.0f}" if times else "-")
    rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [f"variant: {report.variant}"]
    for n, r in enumerate(rows):
        lines.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(r)))
        if n == 0 or n == len(rows) - 2:
            lines.append("  ".join("-" * w for w in widths))
    errors = [f"{d.name}: {d.error}" for d in report.documents if d.error]
    lines += [f"error: {e}" for e in errors]
    return "\n".join(lines)


def report_metrics(report: Report, prefix: str = "import.seeds") -> list[dict]:
    """Metric dicts for the benchmark results (``import.seeds.<field>.f1``)."""
    out = []
    n = len(report.documents)
    for key, counts in report.overall().items():
        out.append(
            {
                "name": f"{prefix}.{key}.f1",
                "value": round(counts.f1, 4),
                "unit": "ratio",
                "data": (
                    f"variant={report.variant}; documents={n}; tp={counts.tp} fp={counts.fp} "
                    f"fn={counts.fn}; P={counts.precision:.3f} R={counts.recall:.3f}"
                ),
            }
        )
    total = sum(d.cadence_total for d in report.documents)
    out.append(
        {
            "name": f"{prefix}.cadence_exact.f1",
            "value": report.cadence_rate(),
            "unit": "ratio",
            "data": f"variant={report.variant}; exact-match rate on {total} matched commitments "
            "whose annotation has a cadence",
        }
    )
    for key in EXACT_FIELDS:
        out.append(
            {
                "name": f"{prefix}.{key}.f1",
                "value": report.exact_rate(key),
                "unit": "ratio",
                "data": f"variant={report.variant}; exact-match rate over {n} documents",
            }
        )
    return out


FORM_COLUMNS = (
    ("sections", "sect"),
    ("commitments", "items"),
    ("parties", "party"),
    ("cadence_exact", "cad="),
    ("targets", "targ"),
    ("legal_basis", "basis"),
    ("recipients", "recip"),
    ("signers", "sign"),
    ("doc_type", "type"),
    ("number", "num"),
    ("date", "date"),
)
"""The columns of the per-form summary: F1 for the matched fields, rates for the exact ones."""


def format_forms(reports: dict[str, Report]) -> str:
    """One line per input form (txt, docx, pdf, scan…), one column per field: the figure to read
    first when asking "how well do we read a scanned plan?". A form whose documents all failed
    shows its error count instead of misleading zeros."""
    head = ["form", "docs", "err"] + [short for _key, short in FORM_COLUMNS]
    rows = [head]
    for form, report in reports.items():
        figures = report.figures()
        errors = sum(1 for d in report.documents if d.error)
        row = [form, str(len(report.documents)), str(errors)]
        if report.documents and errors == len(report.documents):
            row += ["-"] * len(FORM_COLUMNS)
        else:
            row += [f"{figures[key]:.2f}" for key, _short in FORM_COLUMNS]
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for n, r in enumerate(rows):
        lines.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
