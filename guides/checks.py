"""What guides keep on disk: their screenshots under MEDIA_ROOT (`check --deploy` warns when the
web process could not write there, instead of the first upload failing)."""

import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.files, deploy=True)
def media_root_is_writable(app_configs, **kwargs):
    root = Path(settings.MEDIA_ROOT)
    # Django creates MEDIA_ROOT on the first upload, so the nearest directory that exists decides.
    existing = next((path for path in (root, *root.parents) if path.exists()), None)
    if existing is not None and existing.is_dir() and os.access(existing, os.W_OK | os.X_OK):
        return []
    return [
        CheckWarning(
            f"MEDIA_ROOT ({root}) cannot be written by this process: guide screenshots would fail to upload.",
            hint="Point MEDIA_ROOT at a writable directory that is kept across deploys and backed up "
            "(docs/deployment.md, section 8).",
            id="guides.W001",
        )
    ]
