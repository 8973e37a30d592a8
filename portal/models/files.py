from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def private_storage():
    """The storage of uploaded files; a callable, so that migrations refer to it by name."""
    from portal.storage import private_files

    return private_files


def _upload_to(instance: StoredFile, filename: str) -> str:
    # The name on disk is ours (its hash); the user's name is kept only as data.
    now = timezone.now()
    return f"{instance._meta.app_label}/{now:%Y/%m}/{instance.sha256}{filename[filename.rfind('.'):]}"


class StoredFile(models.Model):
    """An uploaded file in private storage. Pillars subclass it for evidence and attachments.

    Create instances only from a `portal.files.CheckedUpload`, which has passed the upload check.
    """

    file = models.FileField(storage=private_storage, upload_to=_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name
