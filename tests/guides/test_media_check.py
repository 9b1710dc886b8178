"""`check --deploy` warns when guide screenshots could not be written (guides.W001)."""

import os

from guides.checks import media_root_is_writable


def ids(settings):
    return [message.id for message in media_root_is_writable(None)]


def test_a_writable_media_root_passes_even_before_it_exists(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "not-yet" / "media"
    assert ids(settings) == []


def test_a_media_root_under_a_file_is_refused(settings, tmp_path):
    (tmp_path / "a-file").write_text("x")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"
    assert ids(settings) == ["guides.W001"]


def test_a_read_only_media_root_is_refused(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    # The tests may run as root, for whom every directory is writable: ask as the service user would.
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    assert ids(settings) == ["guides.W001"]
