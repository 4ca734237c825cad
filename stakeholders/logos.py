"""Organisation logos: only real PNG, JPEG, WebP or GIF images, re-encoded and renamed before they are stored.

An uploaded file is never kept as it came: the form field opens it with Pillow, refuses anything that is not one
of the four formats (whatever its name says), refuses huge pixel counts before decoding them, shrinks it to at
most 512 px and writes a fresh file under a random name whose extension matches the real format. Whatever else
the upload carried (an HTML page glued behind the image data, EXIF with GPS positions) does not survive.
`satusama.views.public_media` serves the result with the image type, `nosniff` and a sandboxing CSP.
"""

from __future__ import annotations

import io
import uuid

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 25_000_000  # a 5000 × 5000 image; more is a decompression bomb for a logo
MAX_SIDE = 512
# Pillow format → (extension, content type)
FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"), "WEBP": ("webp", "image/webp"),
           "GIF": ("gif", "image/gif")}
EXTENSIONS = ["png", "jpg", "jpeg", "webp", "gif"]
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp",
                 "gif": "image/gif"}


def reencode(data: bytes, image_format: str) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        image.seek(0)  # an animated GIF keeps its first frame
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        elif image_format == "GIF" and image.mode not in ("P", "L"):
            image = image.convert("P", palette=Image.Palette.ADAPTIVE)
        out = io.BytesIO()
        image.save(out, image_format, **({"quality": 90} if image_format in ("JPEG", "WEBP") else {}))
    return out.getvalue()


class LogoFormField(forms.ImageField):
    default_error_messages = {
        "invalid_image": _("The logo is not an image (or the file is damaged). Upload a PNG, JPEG, WebP or GIF "
                           "file."),
        "wrong_format": _("The logo must be a PNG, JPEG, WebP or GIF image."),
        "too_large": _("The logo is larger than 2 MB. Please upload a smaller image."),
        "too_many_pixels": _("The logo is too large (%(width)s × %(height)s pixels). Please upload an image of at "
                             "most 5000 × 5000 pixels."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("PNG, JPEG, WebP or GIF, at most 2 MB."))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/png,image/jpeg,image/webp,image/gif")

    def to_python(self, data):
        if data in self.empty_values:
            return None
        if getattr(data, "size", 0) > MAX_BYTES:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        checked = super().to_python(data)  # Pillow opens and verifies it, else "invalid_image"
        if checked is None:
            return None
        image = checked.image
        if image.format not in FORMATS:
            raise forms.ValidationError(self.error_messages["wrong_format"], code="wrong_format")
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise forms.ValidationError(self.error_messages["too_many_pixels"], code="too_many_pixels",
                                        params={"width": width, "height": height})
        checked.seek(0)
        try:
            content = reencode(checked.read(), image.format)
        except Exception as exc:  # a file Pillow verified but cannot decode is damaged
            raise forms.ValidationError(self.error_messages["invalid_image"], code="invalid_image") from exc
        extension, content_type = FORMATS[image.format]
        return SimpleUploadedFile(f"{uuid.uuid4().hex}.{extension}", content, content_type=content_type)


class LogoField(models.ImageField):
    """An ImageField whose forms (portal and admin alike) re-encode and rename the upload."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": LogoFormField, **kwargs})
