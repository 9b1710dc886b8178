"""Screenshots for guides: the content is checked with Pillow (not the file name), the size and
dimensions are capped, and the image is re-encoded, which also drops metadata such as GPS
positions in EXIF. Stored under MEDIA_ROOT with a random name."""

import io
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from guides.models import GuideImage

logger = logging.getLogger(__name__)
MAX_SIDE = 4000
ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def check_and_encode(upload) -> tuple[bytes, str, str, int, int]:
    """(data, extension, content type, width, height) of a re-encoded image; ValidationError with a
    clear message for anything that is not a reasonable screenshot."""
    limit = settings.GUIDE_IMAGE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The image is too large: at most %(megabytes)s MB.")
            % {"megabytes": round(limit / 1024 / 1024, 1)},
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError(_("Upload a PNG, JPEG, WebP or GIF image."), code="format")
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE or width < 1 or height < 1:
                raise ValidationError(
                    _("The image may be at most %(side)s by %(side)s pixels.") % {"side": MAX_SIDE},
                    code="dimensions",
                )
            image.load()
            keep_jpeg = image.format == "JPEG"
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if keep_jpeg:
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
                return out.getvalue(), "jpg", "image/jpeg", image.width, image.height
            image = image.convert(
                "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
            )
            image.save(out, "PNG", optimize=True)
            return out.getvalue(), "png", "image/png", image.width, image.height
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError) as error:
        raise ValidationError(_("This file is not an image we can read."), code="invalid") from error


def store(guide, upload, alt_text: str) -> GuideImage:
    data, extension, content_type, width, height = check_and_encode(upload)
    image = GuideImage(guide=guide, content_type=content_type, width=width, height=height, alt_text=alt_text)
    image.file.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(data), save=False)
    image.save()
    return image


def duplicate(image: GuideImage, guide) -> GuideImage:
    """A copy of a screenshot (its own file) for a copied guide."""
    with image.file.open("rb") as handle:
        data = handle.read()
    extension = image.file.name.rsplit(".", 1)[-1]
    copy = GuideImage(
        guide=guide,
        content_type=image.content_type,
        width=image.width,
        height=image.height,
        alt_text=image.alt_text,
    )
    copy.file.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(data), save=False)
    copy.save()
    return copy


@receiver(post_delete, sender=GuideImage)
def remove_file(sender, instance: GuideImage, **kwargs):
    """A deleted screenshot (or one of a deleted guide) leaves no file behind, once the deletion
    is committed: a rolled-back deletion keeps its file."""
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: _delete_file(storage, name))


def _delete_file(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:  # the row is gone already; a file left behind is only disk space
        logger.warning("Guide screenshot %s could not be removed from MEDIA_ROOT", name, exc_info=True)
