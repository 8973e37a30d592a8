"""Where uploaded files live: a local folder (one machine) or an S3-compatible bucket (several).

Either way the files have no public URL: views that check permission send them
(portal.files.private_file_response). Settings choose the backend (STORAGES["private"]).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from storages.backends.s3 import S3Storage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files outside the web root, in PRIVATE_MEDIA_ROOT.

    The folder is read from the settings on every use, so that a changed setting (tests) applies
    to the storage that model fields already hold.
    """

    @property
    def base_location(self) -> str:
        # FileSystemStorage keeps the location it was given in _location; its stubs leave the attribute out.
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)  # type: ignore[attr-defined]

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError("Private files have no public URL; serve them with private_file_response")

    def check_ready(self) -> None:
        """Raise unless files can be written here (the readiness check)."""
        if not os.path.isdir(self.location) or not os.access(self.location, os.W_OK):
            raise OSError(f"{self.location} is not a writable folder")


class PrivateS3Storage(S3Storage):
    """Files in a private bucket. Downloads are relayed by the permission-checked views, so the
    bucket never needs to be reachable from browsers."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NotImplementedError("Private files have no public URL; serve them with private_file_response")

    def check_ready(self) -> None:
        """Raise unless the bucket answers with these credentials (the readiness check)."""
        self.connection.meta.client.head_bucket(Bucket=self.bucket_name)


class PrivateStorage(LazyObject):
    """storages["private"], looked up when first used and again after the setting changes (tests).

    Model fields hold this one object from import time; the backend behind it follows the settings.
    """

    def _setup(self) -> None:
        self._wrapped = storages["private"]


private_files: Storage = PrivateStorage()  # type: ignore[assignment]


@receiver(setting_changed)
def _private_storage_changed(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        private_files._wrapped = empty  # type: ignore[attr-defined]  # a LazyObject, typed as the Storage it wraps
