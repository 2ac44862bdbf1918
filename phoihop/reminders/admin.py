from django.contrib import admin

from phoihop.reminders.models import ReminderPreference


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "enabled", "send_at", "last_sent_on"]
    list_filter = ["enabled"]
    search_fields = ["user__username", "user__email"]
