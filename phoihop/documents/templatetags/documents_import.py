"""Small helpers for the import preview: field errors by name, recognised phrases marked."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def field_error(errors, *parts):
    """The error of the field named by ``parts`` joined with "-" (``commitments-3-text``)."""
    message = (errors or {}).get("-".join(str(p) for p in parts))
    if not message:
        return ""
    return format_html('<span class="field-error" role="alert">{}</span>', message)


@register.filter
def mark_phrase(text, cadence):
    """``text`` escaped, with the cadence phrase as written (``cadence["text"]``) marked, so the
    reader sees what the importer recognised in the sentence."""
    text = str(text or "")
    phrase = str((cadence or {}).get("text") or "").strip() if isinstance(cadence, dict) else ""
    if not phrase:
        return conditional_escape(text)
    match = re.search(re.escape(phrase), text, flags=re.IGNORECASE)
    if not match:
        return conditional_escape(text)
    return mark_safe(
        conditional_escape(text[: match.start()])
        + format_html('<mark class="hl-cadence">{}</mark>', match.group(0))
        + conditional_escape(text[match.end() :])
    )


@register.filter
def party_in(code, names):
    """The unit's own name for a party code when it has that party, else the kind's label."""
    from phoihop.core.parties import party_label

    return (names or {}).get(code) or party_label(code)


@register.filter
def doubtful(part) -> bool:
    """Whether the importer doubts this part (its confidence is under the preview's bar)."""
    from phoihop.core.importing.confidence import DOUBTFUL

    try:
        return float((part or {}).get("confidence", 1.0)) < DOUBTFUL
    except (TypeError, ValueError, AttributeError):
        return False


@register.inclusion_tag("documents/import_doubts.html")
def doubts(part):
    """The importer's doubts about ``part``, said in words, with its confidence."""
    part = part if isinstance(part, dict) else {}
    confidence = part.get("confidence")
    return {
        "doubts": part.get("doubts") or [],
        "percent": round(float(confidence) * 100) if isinstance(confidence, int | float) else None,
        "show": doubtful(part),
    }
