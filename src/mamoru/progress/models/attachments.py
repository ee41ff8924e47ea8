"""Files attached to reports, notices and questions: kept in the database.

Why the database and not the file system: the bytes then go through the same access gate
as the record they belong to (a file is read by id only through its record's selector),
there is no path to traverse or to serve by mistake, and one database backup holds
everything. Files are small office documents (``MAX_ATTACHMENT_BYTES``); every download is
``Content-Disposition: attachment`` as ``application/octet-stream``, so no browser renders
what someone uploaded (``mamoru.progress.attachments``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AttachmentBase(models.Model):
    name = models.CharField(_("ファイル名"), max_length=200)
    size = models.PositiveIntegerField(_("大きさ（バイト）"))
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name
