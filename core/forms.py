"""Form pieces shared by the admin of several apps."""

import csv
import io

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8, comma- or semicolon-separated, at most 5 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 5 MB: split it into several."))
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(
                _("The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again.")
            ) from error
        if not text.strip():
            raise ValidationError(_("The file is empty."))
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        try:
            return [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text), dialect), 1)]
        except csv.Error as error:
            raise ValidationError(
                _("The file is not valid CSV: %(error)s") % {"error": error}
            ) from error


def header_name(cell):
    name = cell.strip().lower().replace("-", "_").replace(" ", "_")
    return {"e_mail": "email", "mail": "email"}.get(name, name)
