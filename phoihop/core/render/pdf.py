"""Print a plan to PDF with WeasyPrint, from the HTML of ``render.html``, embedding a local font.

WeasyPrint and the font are optional at import time: the rest of the application works without them,
and ``render_pdf`` says in Vietnamese what to install when either is missing.
"""

from __future__ import annotations

from pathlib import Path

from phoihop.core.i18n import _
from phoihop.core.render.errors import RenderError
from phoihop.core.render.html import render_html

FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)
# Times-compatible faces with Vietnamese glyphs, best first: Liberation Serif (Debian
# fonts-liberation2, metric-compatible with Times New Roman) and TeX Gyre Termes (fonts-texgyre).
FONT_FILES: tuple[dict[str, str], ...] = (
    {
        "regular": "LiberationSerif-Regular.ttf",
        "bold": "LiberationSerif-Bold.ttf",
        "italic": "LiberationSerif-Italic.ttf",
        "bolditalic": "LiberationSerif-BoldItalic.ttf",
    },
    {
        "regular": "texgyretermes-regular.otf",
        "bold": "texgyretermes-bold.otf",
        "italic": "texgyretermes-italic.otf",
        "bolditalic": "texgyretermes-bolditalic.otf",
    },
)


def find_font_files(dirs: tuple[Path, ...] = FONT_DIRS) -> dict[str, Path] | None:
    """The four faces of the first Times-compatible family found in ``dirs``, or ``None``."""
    for family in FONT_FILES:
        found: dict[str, Path] = {}
        for variant, name in family.items():
            for folder in dirs:
                if not folder.is_dir():
                    continue
                match = next(folder.rglob(name), None)
                if match:
                    found[variant] = match
                    break
        if len(found) == len(family):
            return found
    return None


def render_pdf(plan: dict, *, issuer_superior: str | None = None, draft: bool = False) -> bytes:
    """The plan as PDF bytes; ``RenderError`` when WeasyPrint or a suitable font is missing."""
    try:
        from weasyprint import HTML  # noqa: PLC0415 - optional dependency
    except ImportError as error:
        raise RenderError(
            _(
                "Không tạo được PDF: máy chủ chưa cài thư viện WeasyPrint. Hãy cài gói weasyprint rồi thử lại."
            )
        ) from error
    fonts = find_font_files()
    if fonts is None:
        raise RenderError(
            _(
                "Không tạo được PDF: chưa có phông chữ tương thích Times New Roman có dấu tiếng Việt. Hãy cài gói fonts-liberation2 (Liberation Serif) hoặc fonts-texgyre (TeX Gyre Termes)."
            )
        )
    page = render_html(plan, issuer_superior=issuer_superior, font_files=fonts, draft=draft)
    try:
        return HTML(string=page, base_url=None).write_pdf()
    except Exception as error:  # WeasyPrint raises many kinds; the user needs one message
        raise RenderError(
            _("Không tạo được PDF: %(reason)s") % {"reason": str(error) or type(error).__name__}
        ) from error
