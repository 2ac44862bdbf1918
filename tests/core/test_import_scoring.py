"""The accuracy scorer pairs, counts and reports like IMPORT_FORMAT says."""

from __future__ import annotations

import json

from phoihop.core.importing.scoring import (
    cadence_equal,
    format_report,
    report_metrics,
    score_document,
    score_folder,
    similarity,
)

GOLD = {
    "doc_type": "ke_hoach",
    "number": None,
    "date": None,
    "sections": [{"path": "I", "heading": "I. NỘI DUNG", "level": 1}],
    "commitments": [
        {
            "text": "Nhà trường họp phụ huynh 3 lần/năm.",
            "parties": ["lanh_dao", "cmhs"],
            "cadence": {"count": 3, "per": "school_year", "per_subject": None, "anchors": [],
                        "window": None},
        }
    ],
    "targets": [],
    "legal_basis": [],
    "recipients": [],
    "signers": [],
}  # fmt: skip


def test_similarity_forgives_punctuation_case_and_a_cut_annotation():
    assert similarity("nhà trường họp", "nhà trường họp") == 1.0
    long = "phối hợp tổ chức tốt các phong trào thi đua các cuộc vận động và hoạt động trọng tâm"
    assert similarity(long[:40], long) >= 0.8


def test_year_and_school_year_are_the_same_cadence_period():
    gold = GOLD["commitments"][0]["cadence"]
    assert cadence_equal(gold, dict(gold, per="year"))
    assert not cadence_equal(gold, dict(gold, count=2))


def test_perfect_prediction_scores_one(tmp_path):
    doc = score_document(GOLD, GOLD, "x")
    assert all(c.f1 == 1.0 for c in doc.counts.values())


def test_folder_of_text_and_gold_pairs_is_scored(tmp_path):
    (tmp_path / "a.txt").write_text("KẾ HOẠCH\nI. NỘI DUNG\n1. Nhà trường họp phụ huynh 3 lần/năm.")
    (tmp_path / "a.gold.json").write_text(json.dumps(GOLD))
    (tmp_path / "orphan.txt").write_text("no annotation")
    report = score_folder(tmp_path)
    assert [d.name for d in report.documents] == ["a"]
    assert report.figures()["commitments"] == 1.0
    assert "OVERALL" in format_report(report)


def test_source_transform_feeds_another_input(tmp_path):
    (tmp_path / "a.txt").write_text("KẾ HOẠCH\nI. NỘI DUNG\n1. Nhà trường họp phụ huynh 3 lần/năm.")
    (tmp_path / "a.gold.json").write_text(json.dumps(GOLD))
    seen = []

    def transform(text, stem):
        seen.append(stem)
        return text.encode("utf-16"), f"{stem}.txt"

    report = score_folder(tmp_path, transform=transform, variant="utf16")
    assert seen == ["a"] and report.figures()["sections"] == 1.0


def test_metrics_are_named_per_field(tmp_path):
    (tmp_path / "a.txt").write_text("KẾ HOẠCH\nI. NỘI DUNG\n1. Nhà trường họp phụ huynh 3 lần/năm.")
    (tmp_path / "a.gold.json").write_text(json.dumps(GOLD))
    metrics = report_metrics(score_folder(tmp_path))
    names = {m["name"] for m in metrics}
    assert "import.seeds.sections.f1" in names and "import.seeds.date.f1" in names
    assert all(m["unit"] == "ratio" and 0 <= m["value"] <= 1 for m in metrics)
