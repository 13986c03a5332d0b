from django.contrib import admin

from escp4i.accounts.admin_site import OfficerOnlyAdmin
from escp4i.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(OfficerOnlyAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "user__username"]
    raw_id_fields = ["user"]
