"""``phoihop calendar`` and ``phoihop schedule``: pure core, exit code 2 with a message on bad input."""

import json
import subprocess
import sys

import pytest

from phoihop.cli import main
from tests.schedule.test_schedule_action import seeds_dir


def seed_file(suffix: str):
    paths = sorted(seeds_dir().glob(f"000_*{suffix}"))
    if not paths:
        pytest.skip("seed 000 not found")
    return str(paths[0])


def test_calendar_prints_the_school_year(capsys):
    assert main(["calendar", "2025-2026"]) == 0
    out = capsys.readouterr().out
    assert "Năm học 2025-2026" in out
    assert "Tết Nguyên đán Bính Ngọ: 17/02/2026" in out
    assert "Quốc khánh (2/9)" in out


def test_calendar_json(capsys):
    assert main(["calendar", "2025-2026", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["label"] == "2025-2026"
    assert data["tet"]["date"] == "2026-02-17"
    assert data["tet"]["lunar_year"] == "Bính Ngọ"
    assert any(d["code"] == "quoc_khanh" for d in data["days_off"])


@pytest.mark.parametrize("label", ["2025-2027", "năm nay", "1700-1701"])
def test_calendar_rejects_a_bad_year_in_vietnamese(capsys, label):
    assert main(["calendar", label]) == 2
    err = capsys.readouterr().err
    assert err.startswith("phoihop: Năm học")


def test_schedule_seed_json_with_two_classes_of_40(capsys):
    args = ["schedule", seed_file(".gold.json"), "--year", "2025-2026", "--json"]
    assert main([*args, "--classes", "2", "--students-per-class", "40"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "phoihop.schedule/1"
    assert data["school_year"] == "2025-2026"
    visits = next(i for i in data["items"] if (i["cadence"] or {}).get("per_subject") == "hoc_sinh")
    assert visits["activities"] == 18
    assert visits["obligations"] == 720
    meetings = next(i for i in data["items"] if (i["cadence"] or {}).get("count") == 3)
    assert [o["key"] for o in meetings["occurrences"]] == [
        "dau_nam_hoc",
        "cuoi_hk1",
        "cuoi_nam_hoc",
    ]
    assert data["totals"]["obligations"] == 720


def test_schedule_prints_dates_labels_and_counts(capsys):
    args = ["schedule", seed_file(".gold.json"), "--year", "2025-2026"]
    assert main([*args, "--classes", "2", "--students-per-class", "40"]) == 0
    out = capsys.readouterr().out
    assert "Lịch năm học 2025-2026" in out
    assert "Đầu năm học" in out
    assert "40 học sinh" in out
    assert "720 lượt học sinh" in out


def test_schedule_without_classes_names_the_per_student_item(capsys):
    assert main(["schedule", seed_file(".gold.json"), "--year", "2025-2026"]) == 2
    err = capsys.readouterr().err
    assert "“23. GVCN thường xuyên tới thăm hỏi" in err
    assert "--classes" in err


def write_plan(tmp_path, *commitments):
    plan = {"format": "phoihop.import/1", "title": "Kế hoạch thử", "commitments": list(commitments)}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_schedule_cadence_that_cannot_fit_names_the_item(capsys, tmp_path):
    path = write_plan(
        tmp_path,
        {"text": "Chào cờ đầu tuần.", "cadence": {"per": "week", "count": 1}},
        {
            "text": "Giao lưu năm lần trong kỳ nghỉ Tết.",
            "cadence": {
                "count": 5,
                "per": "once",
                "window": {"start": "2026-02-14", "end": "2026-02-22"},
            },
        },
    )
    assert main(["schedule", path, "--year", "2025-2026"]) == 2
    err = capsys.readouterr().err
    assert "2. Giao lưu năm lần trong kỳ nghỉ Tết." in err
    assert "không đủ cho 5 lần" in err


def test_schedule_window_outside_the_school_year_names_the_item(capsys, tmp_path):
    path = write_plan(
        tmp_path,
        {
            "text": "Tập huấn hè.",
            "cadence": {"per": "once", "window": {"start": "2026-07", "end": "2026-08"}},
        },
    )
    assert main(["schedule", path, "--year", "2025-2026"]) == 2
    err = capsys.readouterr().err
    assert "1. Tập huấn hè." in err and "nằm ngoài năm học 2025-2026" in err


def test_schedule_unknown_year(capsys, tmp_path):
    path = write_plan(tmp_path, {"text": "Họp.", "cadence": {"per": "once"}})
    assert main(["schedule", path, "--year", "2025/2027"]) == 2
    assert "Năm học" in capsys.readouterr().err


@pytest.mark.parametrize(
    "content, expected",
    [("{không phải json", "không phải JSON hợp lệ"), ('{"format": "khac"}', "phoihop.import/1")],
)
def test_schedule_bad_json(capsys, tmp_path, content, expected):
    path = tmp_path / "plan.json"
    path.write_text(content, encoding="utf-8")
    assert main(["schedule", str(path), "--year", "2025-2026"]) == 2
    assert expected in capsys.readouterr().err


def test_schedule_missing_file(capsys, tmp_path):
    assert main(["schedule", str(tmp_path / "khong-co.json"), "--year", "2025-2026"]) == 2
    assert "Không đọc được tệp" in capsys.readouterr().err


def test_schedule_reads_a_source_file_through_the_importer(capsys):
    args = ["schedule", seed_file(".txt"), "--year", "2025-2026", "--json"]
    assert main([*args, "--classes", "2", "--students-per-class", "40"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["items"] > 0


def test_calendar_and_schedule_do_not_start_django(tmp_path):
    path = write_plan(tmp_path, {"text": "Họp.", "cadence": {"per": "semester", "count": 1}})
    code = (
        "import sys\n"
        "from phoihop.cli import main\n"
        "assert main(['calendar', '2025-2026', '--json']) == 0\n"
        f"assert main(['schedule', {path!r}, '--year', '2025-2026']) == 0\n"
        "loaded = [m for m in sys.modules if m == 'django.db' or m.startswith('django.db.')]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
