from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files outside the web root, in PRIVATE_MEDIA_ROOT. They have no URL: views that check
    permission serve them (portal.files.private_file_response).

    The folder is read from the settings on every use, so that a changed setting (tests) applies
    to the storage that model fields already hold.
    """

    @property
    def base_location(self) -> str:
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError("Private files have no public URL; serve them with private_file_response")
