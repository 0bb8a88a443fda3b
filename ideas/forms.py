from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from .models import DESCRIPTION_MAX, DESCRIPTION_MIN, TITLE_MAX, TITLE_MIN, Idea

IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
MAX_TAGS = 5


class IdeaForm(forms.ModelForm):
    tags = TagField(
        label=_("Tags"),
        required=False,
        help_text=_("Up to 5, separated by commas."),
    )

    class Meta:
        model = Idea
        fields = ["title", "description", "category", "tags", "image"]
        labels = {
            "title": _("Title"),
            "description": _("Description"),
            "category": _("Category"),
            "image": _("Image (optional)"),
        }
        help_texts = {
            "title": _("%(min)d to %(max)d characters. Say what you want, not how.")
            % {"min": TITLE_MIN, "max": TITLE_MAX},
            "description": _(
                "Explain the problem and who has it. *Italics*, **bold**, lists and links work."
            ),
            "image": _("JPEG, PNG, GIF or WebP, up to %(size)s.")
            % {"size": filesizeformat(settings.IDEA_IMAGE_MAX_BYTES)},
        }
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off", "maxlength": TITLE_MAX}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "image": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
            ),
        }

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        categories = campaign.categories.all()
        self.fields["category"].queryset = categories
        self.fields["category"].empty_label = _("Choose a category")
        self.fields["category"].required = categories.exists()
        self.fields["description"].min_length = DESCRIPTION_MIN
        self.fields["description"].max_length = DESCRIPTION_MAX
        self.fields["title"].min_length = TITLE_MIN

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < TITLE_MIN:
            raise forms.ValidationError(
                _("Make the title at least %(n)d characters long.") % {"n": TITLE_MIN}
            )
        return title

    def clean_tags(self):
        tags = [t.strip()[:50] for t in self.cleaned_data.get("tags") or [] if t.strip()]
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(_("Use at most %(n)d tags.") % {"n": MAX_TAGS})
        return tags

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if not image or not hasattr(image, "image"):
            return image  # nothing new uploaded (empty, kept or cleared)
        if image.size > settings.IDEA_IMAGE_MAX_BYTES:
            raise forms.ValidationError(
                _("The image is %(size)s; the limit is %(limit)s. Please upload a smaller one.")
                % {
                    "size": filesizeformat(image.size),
                    "limit": filesizeformat(settings.IDEA_IMAGE_MAX_BYTES),
                }
            )
        pil = image.image  # set by Django once Pillow has verified the file
        if pil.format not in IMAGE_FORMATS:
            raise forms.ValidationError(_("Please upload a JPEG, PNG, GIF or WebP image."))
        width, height = pil.size
        if width * height > settings.IDEA_IMAGE_MAX_PIXELS:
            raise forms.ValidationError(
                _("The image is %(w)d×%(h)d pixels; please keep it under %(mp)d megapixels.")
                % {"w": width, "h": height, "mp": settings.IDEA_IMAGE_MAX_PIXELS // 1_000_000}
            )
        return image
