"""The "Ghi nhận kết quả" form embedded in the activity page (a schedule template)."""

from django import template

from phoihop.tracking.access import can_record
from phoihop.tracking.record_forms import RecordForm
from phoihop.units.scoping import scope_for

register = template.Library()


@register.inclusion_tag("tracking/_record_form.html", takes_context=True)
def record_form(context, activity):
    """The form when the signed-in user may record on ``activity``; nothing otherwise."""
    request = context["request"]
    allowed = can_record(scope_for(request), activity)
    return {
        "activity": activity,
        "form": RecordForm() if allowed else None,
        "csrf_token": context.get("csrf_token"),
    }
