"""Template filters that show core data in words."""

from django import template

from phoihop.core.parties import party_label

register = template.Library()


@register.filter
def cadence_words(cadence: dict | None) -> str:
    """The cadence dict of an item, said in words ("Ít nhất 1 lần mỗi tháng cho mỗi học sinh")."""
    if not cadence:
        return ""
    from phoihop.core.cadence import describe

    return describe(cadence)


@register.filter
def party_kind(code: str) -> str:
    return party_label(code)
