"""Every user-facing string goes through gettext, and the English catalogue is complete."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "phoihop"
PO_FILE = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def read_po(path: Path) -> dict[tuple[str | None, str], tuple[str, bool]]:
    """(msgctxt, msgid) → (msgstr, fuzzy), enough of the PO format for our own catalogue."""
    entries: dict[tuple[str | None, str], tuple[str, bool]] = {}
    msgid = msgstr = context = None
    fuzzy = False
    field = None

    def flush():
        if msgid:  # the header has an empty msgid
            entries[(context, msgid)] = (msgstr or "", fuzzy)

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgctxt "):
            flush()
            context, msgid, msgstr, field = _unquote(line[8:]), None, None, "msgctxt"
        elif line.startswith("msgid "):
            if field != "msgctxt":
                flush()
                context = None
            msgid, msgstr, field = _unquote(line[6:]), None, "msgid"
        elif line.startswith("msgid_plural "):
            field = "plural"
        elif line.startswith("msgstr ") or line.startswith("msgstr[0] "):
            msgstr, field = _unquote(line.split(" ", 1)[1]), "msgstr"
        elif line.startswith("msgstr["):
            field = "other"
        elif line.startswith('"'):
            if field == "msgid":
                msgid += _unquote(line)
            elif field == "msgstr":
                msgstr += _unquote(line)
        elif not line.strip():
            flush()
            msgid, msgstr, context, fuzzy, field = None, None, None, False, None
    flush()
    return entries


def _unquote(text: str) -> str:
    return (
        text.strip()[1:-1]
        .encode("utf-8")
        .decode("unicode_escape")
        .encode("latin-1")
        .decode("utf-8")
    )


def test_english_catalogue_translates_every_message():
    entries = read_po(PO_FILE)
    assert entries, "the English catalogue is empty"
    missing = [m for m, (s, fuzzy) in entries.items() if not s or fuzzy]
    assert missing == [], f"{len(missing)} messages without an English translation: {missing[:5]}"


def test_compiled_catalogue_matches_the_po_file():
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for (context, msgid), (msgstr, _fuzzy) in read_po(PO_FILE).items():
        found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        assert found == msgstr, msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools are not installed")
def test_catalogue_holds_every_string_marked_in_the_code(tmp_path):
    copy = tmp_path / "phoihop"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "phoihop", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "PHOIHOP_VAR_DIR": str(tmp_path / "var"),
            "PYTHONPATH": str(PACKAGE.parent),
        },
    )
    fresh = set(read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    committed = set(read_po(PO_FILE))
    assert sorted(fresh - committed) == [], "run `make messages` and translate the new strings"


@pytest.mark.django_db
def test_the_language_menu_names_each_language_in_itself(client):
    """Someone looking for English finds "English", not "Tiếng Anh" (issue 18)."""
    from tests import factories as f

    f.UserFactory()
    body = client.get("/accounts/login/").content.decode()
    assert '<option value="en" lang="en">English</option>' in body
    assert "Tiếng Anh" not in body
    assert ">Tiếng Việt</option>" in body


# The strings issue 18 found untranslated on English pages: review labels, semesters and the
# other activity-title periods, holiday names, the digest.
NAMED_IN_ISSUE_18 = [
    "Hoàn thành",
    "Thực hiện một phần",
    "Chưa thực hiện",
    "Chưa đến hạn",
    "Đạt",
    "Chưa đạt",
    "Chưa đo",
    "Học kỳ I",
    "Học kỳ II",
    "Tháng %(month)s/%(year)s",
    "Lần %(n)s/%(total)s – %(period)s",
    "Đầu năm học",
    "Cuối năm học",
    "Tết Dương lịch",
    "Quốc khánh (2/9)",
    "Ngày Quốc tế Lao động (1/5)",
    "Nghỉ Tết Nguyên đán %(name)s",
    "[Phối hợp] %(date)s: %(overdue)s việc quá hạn, %(soon)s việc đến hạn trong 7 ngày",
    "Không thực hiện",
    "Hoãn",
]


@pytest.mark.parametrize("msgid", NAMED_IN_ISSUE_18)
def test_the_strings_named_in_issue_18_have_english(msgid):
    msgstr, fuzzy = read_po(PO_FILE)[(None, msgid)]
    assert msgstr and not fuzzy and msgstr != msgid
