"""The transfers block of the student page: dates, and the form's link for school leaders."""

from django import template

from phoihop.units.scoping import scope_for

register = template.Library()


@register.inclusion_tag("tracking/students_transfer_block.html", takes_context=True)
def student_transfers(context, student):
    request = context.get("request")
    scope = scope_for(request) if request is not None else None
    can_transfer = bool(scope and scope.leads(student.unit_id))
    return {"student": student, "can_transfer": can_transfer}
