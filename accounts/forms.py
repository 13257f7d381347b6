"""Profile editing, with an avatar check that accepts raster images only."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image

from accounts.actions import PROFILE_FIELDS
from accounts.models import User

# The formats accepted, and the extension and type each is stored and served under
# (whatever the uploaded file was called: a PNG named ".pdf" is stored as ".png").
AVATAR_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "GIF": ("gif", "image/gif"),
                  "WEBP": ("webp", "image/webp")}  # fmt: skip


class ProfileForm(forms.ModelForm):
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = User
        fields = list(PROFILE_FIELDS)
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "avatar": "JPEG, PNG, GIF or WebP, at most 2 MB.",
            "bio": "Markdown is not rendered here; plain text, up to 2000 characters.",
        }

    def clean_avatar(self) -> object:
        avatar = self.cleaned_data.get("avatar")
        if not isinstance(avatar, UploadedFile):
            return avatar  # unchanged or cleared
        if avatar.size is not None and avatar.size > settings.ACCOUNTS_AVATAR_MAX_BYTES:
            raise forms.ValidationError(
                "That image is too large: the limit is %(mb)s MB.",
                params={"mb": settings.ACCOUNTS_AVATAR_MAX_BYTES // (1024 * 1024)},
            )
        # ImageField already proved Pillow can open it (so SVG and other vector or script
        # formats never pass); we also pin the format and the pixel size.
        avatar.seek(0)
        try:
            with Image.open(avatar) as image:
                image_format = image.format
                width, height = image.size
        except (OSError, Image.DecompressionBombError) as error:
            raise forms.ValidationError("That file is not an image we can read.") from error
        avatar.seek(0)
        if image_format not in AVATAR_FORMATS:
            raise forms.ValidationError("Upload a JPEG, PNG, GIF or WebP image.")
        limit = settings.ACCOUNTS_AVATAR_MAX_PIXELS
        if width > limit or height > limit:
            raise forms.ValidationError(
                "That image is %(w)s×%(h)s pixels; the limit is %(limit)s on each side.",
                params={"w": width, "h": height, "limit": limit},
            )
        extension, content_type = AVATAR_FORMATS[image_format]
        avatar.name = f"avatar.{extension}"
        avatar.content_type = content_type
        return avatar
