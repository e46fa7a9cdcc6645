"""What an admin page posts as drawn, read from the forms it was drawn with, for tests that post it back."""

from django import forms


def form_fields(form) -> dict:
    """Return what the form would post as drawn: each field by its name on the page."""
    fields = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
            fields[form.add_prefix(name)] = [str(item) for item in value or []]
        elif isinstance(value, bool):
            fields[form.add_prefix(name)] = "on" if value else ""
        else:
            fields[form.add_prefix(name)] = "" if value is None else str(value)
    return fields


def admin_page_fields(response) -> dict:
    """Return what an admin page posts as drawn: its form, its inlines' management forms and first forms."""
    fields = form_fields(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        fields |= form_fields(inline.formset.management_form)
        fields |= form_fields(inline.formset.forms[0]) if inline.formset.forms else {}
    return fields
