"""Rendering documents in the layout of Decree 30/2020/NĐ-CP: DOCX, HTML and PDF.

``layout`` holds the decree's decisions as data; ``model`` decides what goes on the page; the writers
(``docx``, ``html``, ``pdf``) only draw it.
"""

from phoihop.core.render.errors import RenderError
from phoihop.core.render.lines import format_number_line, format_place_date

__all__ = ["RenderError", "format_number_line", "format_place_date"]
