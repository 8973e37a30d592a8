"""Reference data staff edit directly in the back office (centres, course content) is audited on every save.

Records with rules of their own (organisations, people, cases, decisions) save through their services
instead; `tests/portal/test_admin_writes.py` checks that no ModelAdmin saves any other way.
"""

from __future__ import annotations

from django.contrib import admin

from portal.services.audit import admin_change_record


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        admin_change_record(actor=request.user, target=obj, change="changed" if change else "added",
                            fields=list(form.changed_data))

    def delete_model(self, request, obj) -> None:
        admin_change_record(actor=request.user, target=obj, change="deleted")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            admin_change_record(actor=request.user, target=obj, change="deleted")
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change) -> None:
        """Inline rows (a course's modules, a quiz's questions) are audited one by one, like the parent."""
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk is not None:
                admin_change_record(actor=request.user, target=inline_form.instance, change="deleted")
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed() or inline_form.instance.pk is None:
                continue
            admin_change_record(actor=request.user, target=inline_form.instance,
                                change="changed" if inline_form in formset.initial_forms else "added",
                                fields=list(inline_form.changed_data))
