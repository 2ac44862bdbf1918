"""Template filters that show core data in words."""

from django import template
from django.utils import numberformat
from django.utils.formats import get_format

register = template.Library()


@register.filter
def cadence_words(cadence: dict | None) -> str:
    """The cadence dict of an item, said in words ("Ít nhất 1 lần mỗi tháng cho mỗi học sinh")."""
    if not cadence:
        return ""
    from phoihop.core.cadence import describe

    return describe(cadence)


@register.filter
def grouped(value):
    """A count or percentage with its thousands grouped the way the interface's language writes
    them (40.160 and 63,2 in Vietnamese; 40,160 and 63.2 in English). Years and codes are not
    passed through it, which is why grouping is not switched on for every number."""
    if value is None or value == "":
        return value
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


@register.filter
def activity_title(title: str) -> str:
    """An activity's title with its period ("Học kỳ I", "Tháng 10/2025") in the reader's
    language: titles are stored in the language of the day the plan was scheduled."""
    from phoihop.core.cadence import translate_title

    return translate_title(title or "")


@register.filter
def language_own_name(code: str) -> str:
    """A language named in itself ("English", "Tiếng Việt"): what someone looking for their
    language recognises, whatever the page's language (Django's own table is not NFC)."""
    import unicodedata

    from django.utils.translation import get_language_info

    return unicodedata.normalize("NFC", get_language_info(code)["name_local"])


@register.filter
def section_title(section) -> str:
    """A section (a model or a dict with ``label`` and ``heading``) as "III. TỔ CHỨC THỰC HIỆN",
    its label written once."""
    from phoihop.core.numerals import numbered_heading

    if isinstance(section, dict):
        return numbered_heading(section.get("label"), section.get("heading"))
    return numbered_heading(getattr(section, "label", ""), getattr(section, "heading", ""))


@register.filter
def vn_date(value) -> str:
    """A day as users read it, 30/09/2025, whether it comes as a date or as the ISO text stored
    in a JSON field (a review's figures); anything else is shown as it is."""
    import datetime as dt

    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)


@register.filter
def measure(value):
    """A measured value or goal as the interface's language writes it: "103,61", "90" (never
    "90.00", "1E+2" or "103.610000000000"), thousands grouped."""
    from phoihop.core.numerals import plain_number

    number = plain_number(value)
    return "" if number is None else grouped(number)


@register.filter
def person(user) -> str:
    """A user's full name, else their username, else a dash: records imported or made by the CLI
    have no author, and ``{{ u.get_full_name|default:u.username }}`` fails on None (a filter's
    argument is not silenced like a variable)."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username() or "—"
