import io
import warnings
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from taggit.forms import TagField

from .models import DESCRIPTION_MAX, DESCRIPTION_MIN, TITLE_MAX, TITLE_MIN, Idea

IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
MAX_TAGS = 5


def _looks_like_svg(upload, head):
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return (
        Path(upload.name or "").suffix.lower() in {".svg", ".svgz"}
        or upload.content_type == "image/svg+xml"
        or text.startswith((b"<?xml", b"<svg", b"<!doctype svg"))
        or b"<svg" in text[:1024]
    )


class IdeaImageField(forms.ImageField):
    """An uploaded image is decoded and saved anew by Pillow: what is stored holds the pixels
    only (EXIF orientation applied), never the upload's metadata or whatever was appended to it
    (a script after a valid PNG, say). Each refusal says what was wrong."""

    default_error_messages = {
        "too_large": _(
            "The image is %(size)s; the limit is %(limit)s. Please upload a smaller one."
        ),
        "svg": _("SVG images are not accepted. Please upload a JPEG, PNG, GIF or WebP image."),
        "not_image": _("This file is not an image. Please upload a JPEG, PNG, GIF or WebP image."),
        "format": _("Please upload a JPEG, PNG, GIF or WebP image."),
        "too_many_pixels": _(
            "The image is %(w)d×%(h)d pixels; please keep it under %(mp)d megapixels."
        ),
        "bomb": _("The image has far too many pixels; please keep it under %(mp)d megapixels."),
        "damaged": _("The image could not be read: it may be damaged. Please try another file."),
    }

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        if upload.size > settings.IDEA_IMAGE_MAX_BYTES:
            raise forms.ValidationError(
                self.error_messages["too_large"],
                code="too_large",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.IDEA_IMAGE_MAX_BYTES),
                },
            )
        upload.seek(0)
        raw = upload.read()
        if _looks_like_svg(upload, raw[:2048]):
            raise forms.ValidationError(self.error_messages["svg"], code="svg")
        image = self._decode(raw)
        clean = self._encode(image)
        stem = Path(upload.name or "image").stem[:80] or "image"
        fmt = image.format
        result = SimpleUploadedFile(
            f"{stem}.{EXTENSIONS[fmt]}", clean, content_type=Image.MIME[fmt]
        )
        result.image = image
        result.content_type = Image.MIME[fmt]
        return result

    def _decode(self, raw):
        limit = settings.IDEA_IMAGE_MAX_PIXELS
        try:
            with warnings.catch_warnings():
                # Pillow warns of a decompression bomb before it refuses one: refuse at once.
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(raw))
                if image.format not in IMAGE_FORMATS:
                    raise forms.ValidationError(self.error_messages["format"], code="format")
                width, height = image.size
                if width * height > limit:  # checked on the header, before decoding
                    raise self._too_many_pixels(width, height)
                image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise forms.ValidationError(
                self.error_messages["bomb"],
                code="too_many_pixels",
                params={"mp": limit // 1_000_000},
            ) from None
        except UnidentifiedImageError:
            raise forms.ValidationError(
                self.error_messages["not_image"], code="not_image"
            ) from None
        except (OSError, SyntaxError, ValueError):
            raise forms.ValidationError(self.error_messages["damaged"], code="damaged") from None
        return image

    def _too_many_pixels(self, width, height):
        return forms.ValidationError(
            self.error_messages["too_many_pixels"],
            code="too_many_pixels",
            params={"w": width, "h": height, "mp": settings.IDEA_IMAGE_MAX_PIXELS // 1_000_000},
        )

    def _encode(self, image):
        fmt = image.format
        animated = getattr(image, "is_animated", False) and fmt in {"GIF", "WEBP"}
        out = io.BytesIO()
        if animated:
            # Frames are copied pixel by pixel; no comment, EXIF or XMP block is carried over.
            image.save(out, fmt, save_all=True, loop=image.info.get("loop", 0))
        else:
            upright = ImageOps.exif_transpose(image)
            # No metadata survives (EXIF, XMP, ICC, text chunks); palette transparency does.
            upright.info = {
                k: v for k, v in image.info.items() if k in {"transparency", "background"}
            }
            if fmt == "JPEG":
                if upright.mode not in {"RGB", "L", "CMYK"}:
                    upright = upright.convert("RGB")
                upright.save(out, "JPEG", quality=90, optimize=True)
            elif fmt == "PNG":
                upright.save(out, "PNG", optimize=True)
            elif fmt == "GIF":
                upright.save(out, "GIF")
            else:
                upright.save(out, "WEBP", quality=90)
        return out.getvalue()


class IdeaForm(forms.ModelForm):
    tags = TagField(
        label=_("Tags"),
        required=False,
        help_text=_("Up to 5, separated by commas."),
    )

    class Meta:
        model = Idea
        fields = ["title", "description", "category", "tags", "image"]
        field_classes = {"image": IdeaImageField}
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
        categories = campaign.source.categories.all()
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
