"""Plans written as tables — TT | Nội dung | Chủ trì | Phối hợp | Thời gian — read from .docx,
HTML, Markdown text and PDF into items with their parties and cadence."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phoihop.core.importing import import_bytes, parse_text
from phoihop.core.importing.tables import header_roles, time_cadence

HEAD = (
    "TRƯỜNG TIỂU HỌC AN LẠC\nKẾ HOẠCH\nPhối hợp giữa nhà trường và gia đình năm học 2025 - 2026\n"
    "I. MỤC ĐÍCH, YÊU CẦU\nHuy động 100% học sinh trong độ tuổi ra lớp.\nII. NỘI DUNG PHỐI HỢP\n"
)
TAIL = "III. TỔ CHỨC THỰC HIỆN\nCác bộ phận căn cứ kế hoạch để thực hiện.\n"
ROWS = [
    ["TT", "Nội dung hoạt động", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện",
     "Ghi chú"],
    ["I", "Công tác tuyên truyền", "", "", "", ""],
    ["1", "Tuyên truyền an toàn giao thông cho học sinh", "Công an phường", "Đoàn thanh niên, GVCN",
     "Tháng 9/2025", ""],
    ["2", "Họp cha mẹ học sinh các lớp", "GVCN", "Ban đại diện CMHS", "Cuối HK I", ""],
    ["II", "Chăm sóc sức khỏe", "", "", "", ""],
    ["3", "Khám sức khỏe cho học sinh", "Trạm y tế", "Nhà trường", "Tháng 11/2025 - 01/2026", ""],
    ["4", "Tổng vệ sinh trường lớp", "Liên đội", "", "Hàng tháng", ""],
]  # fmt: skip


def _check(plan: dict) -> None:
    items = plan["commitments"]
    by_text = {c["text"]: c for c in items}
    traffic = by_text["Tuyên truyền an toàn giao thông cho học sinh"]
    assert traffic["parties"] == ["cong_an", "doan_thanh_nien", "gvcn"]
    assert traffic["cadence"]["window"] == {"start": "2025-09", "end": "2025-09"}
    meeting = by_text["Họp cha mẹ học sinh các lớp"]
    assert meeting["parties"] == ["gvcn", "cmhs"]
    assert meeting["cadence"]["anchors"] == ["cuoi_hk1"]
    health = by_text["Khám sức khỏe cho học sinh"]
    assert health["parties"][0] == "y_te"
    assert health["cadence"]["window"] == {"start": "2025-11", "end": "2026-01"}
    cleaning = by_text["Tổng vệ sinh trường lớp"]
    assert cleaning["parties"] == ["doi_thieu_nien"]
    assert (cleaning["cadence"]["count"], cleaning["cadence"]["per"]) == (1, "month")
    headings = [s["heading"] for s in plan["sections"]]
    assert "I. Công tác tuyên truyền" in headings and "II. Chăm sóc sức khỏe" in headings
    groups = {s["heading"]: s for s in plan["sections"]}
    assert groups["I. Công tác tuyên truyền"]["level"] == 2
    assert not any("Nội dung hoạt động" in c["text"] for c in items)


def test_markdown_table_is_read_row_by_row():
    table = "\n".join("| " + " | ".join(r) + " |" for r in [ROWS[0], ["---"] * 6, *ROWS[1:]])
    _check(parse_text(HEAD + table + "\n" + TAIL))


def test_html_table_is_read_row_by_row():
    cells = "".join("<tr>" + "".join(f"<td><p>{c}</p></td>" for c in row) + "</tr>" for row in ROWS)
    body = "".join(f"<p>{line}</p>" for line in HEAD.splitlines())
    tail = "".join(f"<p>{line}</p>" for line in TAIL.splitlines())
    html = f"<html><body>{body}<table>{cells}</table>{tail}</body></html>"
    _check(import_bytes(html.encode(), "ke-hoach.html"))


def _docx() -> bytes:
    from docx import Document

    doc = Document()
    for line in HEAD.splitlines():
        doc.add_paragraph(line)
    table = doc.add_table(rows=len(ROWS), cols=len(ROWS[0]))
    table.style = "Table Grid"
    for r, row in enumerate(ROWS):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for line in TAIL.splitlines():
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_word_table_is_read_row_by_row():
    _check(import_bytes(_docx(), "ke-hoach.docx"))


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_ruled_table_of_a_pdf_is_read_row_by_row(tmp_path):
    (tmp_path / "plan.docx").write_bytes(_docx())
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "plan.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    _check(import_bytes((tmp_path / "plan.pdf").read_bytes(), "ke-hoach.pdf"))


def test_two_column_layout_table_of_a_docx_stays_paragraphs():
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "TRƯỜNG THCS AN LẠC"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    for line in ["KẾ HOẠCH", "Phối hợp năm học 2025-2026", "I. NỘI DUNG",
                 "1. Nhà trường phối hợp với Công đoàn tổ chức hội nghị."]:  # fmt: skip
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    plan = import_bytes(buf.getvalue(), "k.docx")
    assert plan["issuer"] == "Trường THCS An Lạc"
    assert [c["text"] for c in plan["commitments"]] == [
        "Nhà trường phối hợp với Công đoàn tổ chức hội nghị."
    ]


def test_a_table_that_is_not_a_plan_keeps_its_text():
    text = HEAD + "| Lớp | Sĩ số | Nữ |\n| 6A | 40 | 20 |\n" + TAIL
    plan = parse_text(text)
    assert any("6A" in c["text"] and "40" in c["text"] for c in plan["commitments"])


@pytest.mark.parametrize(
    ("cells", "roles"),
    [
        (["STT", "Nội dung công việc", "Người phụ trách", "Thời gian"],
         {"tt": 0, "content": 1, "lead": 2, "time": 3}),
        (["TT", "Hoạt động", "Lực lượng thực hiện", "Lực lượng phối hợp", "Thời điểm"],
         {"tt": 0, "content": 1, "lead": 2, "coop": 3, "time": 4}),
        (["Nhiệm vụ", "Bộ phận thực hiện", "Tiến độ", "Kết quả"],
         {"content": 0, "lead": 1, "time": 2, "note": 3}),
    ],
)  # fmt: skip
def test_header_roles_are_recognised_in_their_usual_wordings(cells, roles):
    assert header_roles(cells) == roles


def test_a_row_of_figures_is_not_a_header():
    assert header_roles(["6A", "40", "20"]) is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Tháng 9/2025", ("once", None, [], ("2025-09", "2025-09"))),
        ("Tháng 9, 10/2025", ("once", None, [], ("2025-09", "2025-10"))),
        ("Tháng 12/2025 - 01/2026", ("once", None, [], ("2025-12", "2026-01"))),
        ("Từ tháng 3/2026 đến tháng 5/2026", ("once", None, [], ("2026-03", "2026-05"))),
        ("Quý I/2026", ("once", None, [], ("2026-01", "2026-03"))),
        ("Tháng 10", ("once", None, [], ("2025-10", "2025-10"))),
        ("Tháng 3", ("once", None, [], ("2026-03", "2026-03"))),
        ("Hàng tháng", ("month", 1, [], None)),
        ("Cuối HK I", ("school_year", 1, ["cuoi_hk1"], None)),
        ("Đầu năm học", ("school_year", 1, ["dau_nam_hoc"], None)),
    ],
)  # fmt: skip
def test_time_column_phrases(cell, expected):
    cad = time_cadence(cell, years=(2025, 2026))
    window = cad["window"] and (cad["window"]["start"], cad["window"]["end"])
    assert (cad["per"], cad["count"], cad["anchors"], window) == expected


@pytest.mark.parametrize("cell", ["Thường xuyên", "Cả năm học", "", "Trong năm học"])
def test_standing_duties_have_no_cadence(cell):
    assert time_cadence(cell, years=(2025, 2026)) is None


@given(st.integers(1, 12), st.integers(2000, 2040))
def test_any_month_and_year_is_a_one_month_window(month, year):
    cad = time_cadence(f"Tháng {month}/{year}")
    assert cad["window"] == {"start": f"{year}-{month:02d}", "end": f"{year}-{month:02d}"}
