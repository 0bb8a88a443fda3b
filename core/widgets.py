"""Selects and text inputs written out directly, with the markup of Django's widget templates
(django/forms/widgets/select.html, select_option.html, input.html, attrs.html) but without a
template render per option: a filter form of five selects costs some sixty renders otherwise.
Used by `{{ field|plain_widget }}` (core/templatetags/cocrea_ui.py) and `Select`."""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def attrs_html(attrs):
    """What django/forms/widgets/attrs.html writes for `attrs`."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {name}" if value is True else format_html(' {}="{}"', name, value))
    return "".join(parts)


def select_html(name, choices, chosen, attrs):
    """A single select: `chosen` is the widget's formatted value (a list of strings), the first
    matching option is selected. None for choices in groups (left to Django)."""
    chosen, options, selected = set(chosen), [], False
    for option_value, label in choices:
        if isinstance(label, (list, tuple)):
            return None
        option_value = "" if option_value is None else str(option_value)
        on = not selected and option_value in chosen
        selected = selected or on
        options.append(
            format_html(
                '\n  <option value="{}"{}>{}</option>\n',
                option_value,
                mark_safe(" selected") if on else "",  # noqa: S308 - a constant
                label,
            )
        )
    return mark_safe(  # noqa: S308 - every part is escaped by format_html
        format_html('<select name="{}"', name)
        + attrs_html(attrs)
        + ">"
        + "".join(options)
        + "\n</select>"
    )


def input_html(input_type, name, value, attrs):
    shown = "" if value is None else format_html(' value="{}"', value)
    return mark_safe(  # noqa: S308 - every part is escaped by format_html
        format_html('<input type="{}" name="{}"', input_type, name)
        + shown
        + attrs_html(attrs)
        + ">"
    )


class Select(forms.Select):
    """`forms.Select`, rendered by `select_html` (the same HTML). Named like Django's: Wagtail
    styles a field by its widget's class name (`w-field--select`)."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.allow_multiple_selected or self.is_localized:
            return super().render(name, value, attrs, renderer)
        built = self.build_attrs(self.attrs, attrs)
        html = select_html(name, self.choices, self.format_value(value), built)
        return html if html is not None else super().render(name, value, attrs, renderer)


def plain_widget(bound_field):
    """The HTML of `bound_field` (as `{{ field }}` writes it) for selects and text inputs; any
    other widget through Django's templates."""
    widget = bound_field.field.widget
    kind = type(widget)
    if kind not in (forms.Select, Select, forms.TextInput) or bound_field.field.localize:
        return bound_field.as_widget()
    attrs = bound_field.build_widget_attrs({}, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    attrs = widget.build_attrs(widget.attrs, attrs)
    value = bound_field.value()
    if kind is forms.TextInput:
        return input_html(
            widget.input_type, bound_field.html_name, widget.format_value(value), attrs
        )
    html = select_html(
        bound_field.html_name, bound_field.field.choices, widget.format_value(value), attrs
    )
    return html if html is not None else bound_field.as_widget()
