"""Write a plan as one self-contained HTML page in the Decree 30 layout, for WeasyPrint to print.

Nothing is fetched: the CSS is inline and the font is a local file named by the caller (the server's
Liberation Serif or TeX Gyre Termes, metric-compatible with Times New Roman and with Vietnamese
glyphs). In CSS a rule can be exactly as long as its text, so the motto's rule needs no estimate.
"""

from __future__ import annotations

import html
from pathlib import Path

from phoihop.core.render import layout
from phoihop.core.render.model import DocumentModel, build_model


def _style_css(style: layout.Style) -> str:
    return (
        f"font-size:{style.size_pt:g}pt;font-weight:{'bold' if style.bold else 'normal'};"
        f"font-style:{'italic' if style.italic else 'normal'};text-align:{style.align};"
        f"text-indent:{style.first_line_indent_cm:g}cm;"
        + ("text-transform:uppercase;" if style.upper else "")
    )


def _css(font_files: dict[str, Path] | None) -> str:
    faces = []
    for variant, path in (font_files or {}).items():
        weight = "bold" if "bold" in variant else "normal"
        slant = "italic" if "italic" in variant else "normal"
        faces.append(
            "@font-face{font-family:'PhoiHop Serif';"
            f"src:url('{Path(path).resolve().as_uri()}');font-weight:{weight};font-style:{slant};}}"
        )
    families = ", ".join(
        f"'{f}'" for f in ("PhoiHop Serif", layout.FONT_FAMILY, *layout.FONT_FALLBACKS)
    )
    rules = [
        *faces,
        f"@page{{size:{layout.PAGE_WIDTH_MM:g}mm {layout.PAGE_HEIGHT_MM:g}mm;"
        f"margin:{layout.MARGIN_TOP_MM:g}mm {layout.MARGIN_RIGHT_MM:g}mm "
        f"{layout.MARGIN_BOTTOM_MM:g}mm {layout.MARGIN_LEFT_MM:g}mm;"
        f"@top-center{{content:counter(page);font-family:{families};"
        f"font-size:{layout.ELEMENTS['page_number'].size_pt:g}pt;}}}}",
        "@page:first{@top-center{content:none;}}",
        f"body{{font-family:{families};color:#000;margin:0;"
        f"line-height:{layout.BODY_LINE_SPACING};}}",
        f"p{{margin:0 0 {layout.BODY_SPACE_AFTER_PT:g}pt 0;}}",
        "table.layout{width:100%;border-collapse:collapse;table-layout:fixed;}",
        "table.layout td{vertical-align:top;padding:0;}",
        "table.layout p{margin:0;line-height:1.0;text-indent:0;}",
        # The motto's rule: a bottom border on an inline box is exactly as long as the text.
        f".ruled{{display:inline-block;border-bottom:{layout.RULE_WIDTH_PT:g}pt solid #000;"
        "padding-bottom:1pt;}",
        f".rule{{border-top:{layout.RULE_WIDTH_PT:g}pt solid #000;margin:2pt auto 0 auto;"
        f"width:{layout.SHORT_RULE_RATIO * 100:g}%;}}",
        ".keep{page-break-after:avoid;break-after:avoid;}",
        ".draft_mark{text-align:right;margin:0 0 6pt 0;}",
        ".draft_mark span{display:inline-block;border:1pt solid #000;padding:1pt 6pt;"
        "font-weight:bold;font-size:13pt;}",
        f".space{{height:{layout.SIGNATURE_SPACE_LINES * 1.15:g}em;}}",
    ]
    for key, style in layout.ELEMENTS.items():
        rules.append(f".{key}{{{_style_css(style)}}}")
    return "\n".join(rules)


def _p(key: str, text: str, extra: str = "") -> str:
    classes = f"{key} {extra}".strip()
    return f'<p class="{classes}">{html.escape(text)}</p>'


def _header(model: DocumentModel) -> str:
    left = []
    if model.issuer_superior:
        left.append(_p("issuer_superior", model.issuer_superior))
    left.extend(_p("issuer", issuer) for issuer in model.issuers)
    # The issuer's rule: 1/3 to 1/2 of its line (Phụ lục I, mục 2.b), centred under it.
    left.append('<div class="rule"></div>' if model.issuers else "")
    right = [
        _p("national_title", layout.NATIONAL_TITLE),
        f'<p class="motto"><span class="ruled">{html.escape(layout.MOTTO)}</span></p>',
    ]
    return (
        f'<table class="layout header"><colgroup><col style="width:{layout.HEADER_LEFT_MM:g}mm">'
        f'<col style="width:{layout.HEADER_RIGHT_MM:g}mm"></colgroup>'
        f"<tr><td>{''.join(left)}</td><td>{''.join(right)}</td></tr>"
        f'<tr><td style="padding-top:6pt">{_p("number_line", model.number_line)}</td>'
        f'<td style="padding-top:6pt">{_p("place_date", model.place_date)}</td></tr></table>'
    )


def _signer(signer) -> str:
    lines = [_p("signer_title", line) for line in signer.title_lines]
    return "".join(lines) + '<div class="space"></div>' + _p("signer_name", signer.name)


def _footer(model: DocumentModel) -> str:
    recipients = ""
    if model.recipients:
        recipients = _p("recipients_label", layout.RECIPIENTS_LABEL) + "".join(
            _p("recipients", line) for line in model.recipients
        )
    if len(model.signers) >= 2:
        right = "".join(_signer(s) for s in model.signers[1:])
        return (
            '<table class="layout footer"><tr>'
            f"<td>{_signer(model.signers[0])}</td><td>{right}</td></tr>"
            f'<tr><td style="padding-top:12pt">{recipients}</td><td></td></tr></table>'
        )
    signer = _signer(model.signers[0]) if model.signers else ""
    return (
        f'<table class="layout footer"><colgroup><col style="width:{layout.FOOTER_LEFT_MM:g}mm">'
        f'<col style="width:{layout.FOOTER_RIGHT_MM:g}mm"></colgroup>'
        f"<tr><td>{recipients}</td><td>{signer}</td></tr></table>"
    )


def render_html(
    plan: dict,
    *,
    issuer_superior: str | None = None,
    font_files: dict[str, Path] | None = None,
    draft: bool = False,
) -> str:
    """The plan as a printable HTML page.

    ``font_files`` maps "regular", "bold", "italic", "bolditalic" to local font files embedded through
    ``@font-face``; without it the page names Times New Roman and its metric-compatible clones.
    """
    model = build_model(plan, issuer_superior=issuer_superior, draft=draft)
    parts = [_header(model), '<div style="height:18pt"></div>']
    if model.draft:
        parts.insert(0, f'<p class="draft_mark"><span>{html.escape(layout.DRAFT_MARK)}</span></p>')
    parts.append(_p("doc_type", model.doc_type_name, "keep"))
    if model.summary:
        parts.append(_p("summary", model.summary, "keep"))
    parts.append('<div class="rule" style="margin-bottom:12pt"></div>')
    parts.extend(_p("legal_basis", line) for line in model.legal_basis)
    for block in model.body:
        parts.append(
            _p(block.style, block.text, "keep" if block.style.startswith("heading") else "")
        )
    parts.append(_footer(model))
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f"<title>{html.escape(model.title)}</title><style>{_css(font_files)}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )
