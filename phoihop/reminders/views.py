"""Each user chooses when the daily digest comes, or turns it off."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from phoihop.reminders.digest import compose_digest
from phoihop.reminders.models import ReminderPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["enabled", "send_at"]
        widgets = {"send_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        help_texts = {
            "send_at": gettext_lazy("Giờ Việt Nam; thư đến trong vòng vài phút sau giờ này.")
        }


@require_http_methods(["GET", "POST"])
def preferences(request):
    preference, _created = ReminderPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        preference = form.save(commit=False)
        preference.language = translation.get_language() or "vi"
        preference.save()
        if form.cleaned_data["enabled"]:
            messages.success(
                request,
                _("Đã lưu: thư nhắc việc đến hằng ngày lúc %(time)s.")
                % {"time": form.cleaned_data["send_at"].strftime("%H:%M")},
            )
        else:
            messages.success(request, _("Đã tắt thư nhắc việc hằng ngày."))
        return redirect("reminders:preferences")
    # The preview is the mail as it will be written: in the language of the page the user saves.
    preview = compose_digest(
        request.user, timezone.localdate(), language=translation.get_language() or "vi"
    )
    return render(
        request,
        "reminders/preferences.html",
        {"form": form, "preview": preview},
        status=400 if request.method == "POST" else 200,
    )
