"""Screenshots: real images only (checked with Pillow), at most 2 MB and 4000 px, re-encoded
without metadata, stored under a random name and served only to people who may see the guide."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from guides.models import GuideImage


def png(width=40, height=30, **save_options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG", **save_options)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (50, 40), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (50.0, 51.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(client, guide, data: bytes, name="scherm.png", content_type="image/png", alt="Het aanmeldscherm"):
    return client.post(
        f"/guides/{guide.pk}/images/",
        {"file": SimpleUploadedFile(name, data, content_type=content_type), "alt_text": alt},
        follow=True,
    )


def test_staff_upload_a_screenshot_that_is_re_encoded_under_a_random_name(web, staff_a, guide_a):
    response = upload(web(staff_a), guide_a, png(), name="../../etc/passwd.png")
    image = GuideImage.objects.get()
    assert f"![Het aanmeldscherm](/guides/images/{image.pk}/)" in response.content.decode()
    assert image.file.name.startswith("guides/")
    assert "passwd" not in image.file.name
    assert image.content_type == "image/png"
    assert (image.width, image.height) == (40, 30)
    with image.file.open("rb") as handle:
        assert Image.open(handle).format == "PNG"


def test_jpeg_metadata_such_as_gps_is_dropped(web, staff_a, guide_a):
    upload(web(staff_a), guide_a, jpeg_with_gps(), name="foto.jpg", content_type="image/jpeg")
    image = GuideImage.objects.get()
    with image.file.open("rb") as handle:
        stored = Image.open(handle)
        assert stored.format == "JPEG"
        assert 0x8825 not in stored.getexif()
        assert 0x010F not in stored.getexif()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<script>alert(1)</script>", "scherm.png", "This file is not an image we can read."),
        (b"%PDF-1.4 not an image", "brief.pdf", "This file is not an image we can read."),
        (b"GIF89a" + b"\x00" * 10, "kapot.gif", "This file is not an image we can read."),
        (png()[:60], "half.png", "This file is not an image we can read."),
    ],
)
def test_what_is_not_an_image_is_refused_with_a_message(web, staff_a, guide_a, data, name, message):
    response = upload(web(staff_a), guide_a, data, name=name)
    assert message in response.content.decode()
    assert not GuideImage.objects.exists()


def test_an_image_over_the_size_limit_is_refused(web, staff_a, guide_a, settings):
    settings.GUIDE_IMAGE_MAX_BYTES = 1000
    response = upload(web(staff_a), guide_a, png(400, 400, compress_level=0))
    assert "The image is too large" in response.content.decode()
    assert not GuideImage.objects.exists()


def test_an_image_with_huge_dimensions_is_refused(web, staff_a, guide_a):
    response = upload(web(staff_a), guide_a, png(4001, 10))
    assert "at most 4000 by 4000 pixels" in response.content.decode()
    assert not GuideImage.objects.exists()


def test_a_description_is_required(web, staff_a, guide_a):
    upload(web(staff_a), guide_a, png(), alt="")
    assert not GuideImage.objects.exists()


def test_volunteers_cannot_upload(web, volunteer_a, guide_a):
    assert upload(web(volunteer_a), guide_a, png()).status_code == 404
    assert not GuideImage.objects.exists()


def test_screenshots_are_served_only_to_who_may_see_the_guide(web, staff_a, volunteer_a, outsider, guide_a):
    upload(web(staff_a), guide_a, png())
    image = GuideImage.objects.get()
    response = web(volunteer_a).get(f"/guides/images/{image.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert web(outsider).get(f"/guides/images/{image.pk}/").status_code == 404
    assert web().get(f"/guides/images/{image.pk}/").status_code == 302  # to the login page
    guide_a.shared = True
    guide_a.save()
    assert web(outsider).get(f"/guides/images/{image.pk}/").status_code == 200


def test_a_copy_gets_its_own_screenshot_files(web, staff_a, outsider, guide_a):
    upload(web(staff_a), guide_a, png())
    original = GuideImage.objects.get()
    guide_a.body_markdown = f"1. Stap\n\n![Het aanmeldscherm](/guides/images/{original.pk}/)"
    guide_a.shared = True
    guide_a.save()
    web(outsider).post(f"/guides/{guide_a.pk}/copy/")
    copy = GuideImage.objects.exclude(pk=original.pk).get()
    assert copy.guide.municipality.name == "Gemeente B"
    assert copy.file.name != original.file.name
    assert f"/guides/images/{copy.pk}/" in copy.guide.body_markdown
    guide_a.shared = False
    guide_a.save()  # the original is no longer shared: the copy still shows its screenshot
    assert web(outsider).get(f"/guides/images/{copy.pk}/").status_code == 200


def test_deleting_a_guide_removes_its_screenshot_files_once_committed(
    web, staff_a, guide_a, settings, django_capture_on_commit_callbacks
):
    upload(web(staff_a), guide_a, png())
    path = settings.MEDIA_ROOT / GuideImage.objects.get().file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        guide_a.delete()
    assert path.exists(), "not before the deletion is committed"
    for callback in callbacks:
        callback()
    assert not path.exists()


def test_a_disk_that_refuses_the_upload_gets_a_message_not_a_500(web, staff_a, guide_a, settings):
    blocker = settings.MEDIA_ROOT.parent / "a-file"
    blocker.write_text("not a directory")
    settings.MEDIA_ROOT = blocker / "media"  # cannot be created: its parent is a file
    response = upload(web(staff_a), guide_a, png())
    assert response.status_code == 200
    assert "could not be saved" in response.content.decode()
    assert not GuideImage.objects.exists()
