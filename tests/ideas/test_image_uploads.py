"""An idea's image is decoded and saved anew: only the pixels are stored (no metadata, nothing
appended), upright; SVG, non-images, other formats, oversized files and decompression bombs are
refused, each with its own message next to the field."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ideas.models import Idea
from tests.ideas.test_views import submit

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>alert(document.cookie)</script>"


def png_bytes(width=1, height=1, color="red"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def upload(content, name="idea.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def image_errors(response):
    assert response.status_code == 200
    return str(response.context["form"].errors.get("image", ""))


def stored(idea):
    idea.image.open("rb")
    try:
        return idea.image.read()
    finally:
        idea.image.close()


def test_a_polyglot_png_is_stored_without_the_appended_script(member_client, campaign):
    polyglot = png_bytes() + SCRIPT
    assert Image.open(io.BytesIO(polyglot)).size == (1, 1)  # a valid PNG to any reader
    response = submit(member_client, campaign, image=upload(polyglot))
    assert response.status_code == 302
    data = stored(Idea.objects.get())
    assert b"<script" not in data and b"alert" not in data
    assert data.endswith(b"IEND\xaeB`\x82")
    assert Image.open(io.BytesIO(data)).getpixel((0, 0)) == (255, 0, 0)


def test_metadata_is_dropped_and_the_orientation_applied(member_client, campaign):
    image = Image.new("RGB", (40, 20), "blue")
    exif = image.getexif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010E] = "secret description"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"a hidden comment")
    response = submit(member_client, campaign, image=upload(buffer.getvalue(), "photo.jpg"))
    assert response.status_code == 302
    data = stored(Idea.objects.get())
    assert b"secret description" not in data and b"a hidden comment" not in data
    clean = Image.open(io.BytesIO(data))
    assert clean.size == (20, 40) and not clean.getexif()


def test_png_text_chunks_are_dropped(member_client, campaign):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "<script>x</script>")
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG", pnginfo=info)
    assert submit(member_client, campaign, image=upload(buffer.getvalue())).status_code == 302
    assert b"<script" not in stored(Idea.objects.get())


def test_an_svg_is_refused_with_its_own_message(member_client, campaign):
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    errors = image_errors(submit(member_client, campaign, image=upload(svg, "logo.svg")))
    assert "SVG images are not accepted." in errors
    # Renamed to .png, it is still an SVG.
    errors = image_errors(submit(member_client, campaign, image=upload(svg, "logo.png")))
    assert "SVG images are not accepted." in errors
    assert not Idea.objects.exists()


def test_a_file_that_is_no_image_is_refused(member_client, campaign):
    errors = image_errors(submit(member_client, campaign, image=upload(b"<?php echo 1; ?>")))
    assert "This file is not an image." in errors


def test_an_image_of_another_format_is_refused(member_client, campaign):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "BMP")
    errors = image_errors(submit(member_client, campaign, image=upload(buffer.getvalue(), "a.bmp")))
    assert "Please upload a JPEG, PNG, GIF or WebP image." in errors


def test_a_damaged_image_is_refused(member_client, campaign):
    truncated = png_bytes(50, 50, "white")[:60]
    errors = image_errors(submit(member_client, campaign, image=upload(truncated)))
    assert "could not be read" in errors or "not an image" in errors


def test_a_file_over_the_size_limit_is_refused(member_client, campaign, settings):
    settings.IDEA_IMAGE_MAX_BYTES = 100
    errors = image_errors(
        submit(member_client, campaign, image=upload(png_bytes(60, 60) + b"0" * 200))
    )
    assert "the limit is 100" in errors


def bomb_png(width, height):
    """A PNG header claiming width×height pixels with one compressed row: tiny on disk."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_refused_before_it_is_decoded(member_client, campaign):
    bomb = bomb_png(30_000, 30_000)  # 900 megapixels in a few hundred bytes
    assert len(bomb) < 2000
    errors = image_errors(submit(member_client, campaign, image=upload(bomb)))
    assert "far too many pixels" in errors and "under 24 megapixels" in errors


def test_an_image_over_the_pixel_limit_is_refused_from_its_header(
    member_client, campaign, settings
):
    settings.IDEA_IMAGE_MAX_PIXELS = 1_000_000
    errors = image_errors(submit(member_client, campaign, image=upload(bomb_png(2000, 1000))))
    assert "2000×1000 pixels" in errors


def test_the_form_says_what_is_wrong_not_only_that_something_is(member_client, campaign):
    html = submit(member_client, campaign, image=upload(b"not an image")).content.decode()
    assert "Please correct the errors below." in html
    assert "This file is not an image." in html
