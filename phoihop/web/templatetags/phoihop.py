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
def person(user) -> str:
    """A user's full name, else their username, else a dash: records imported or made by the CLI
    have no author, and ``{{ u.get_full_name|default:u.username }}`` fails on None (a filter's
    argument is not silenced like a variable)."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username() or "—"
