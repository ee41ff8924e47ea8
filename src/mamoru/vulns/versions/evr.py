"""``[epoch:]version[-release]``, the shape Debian and RPM versions share."""

from __future__ import annotations


class InvalidVersionError(ValueError):
    """A version string that the scheme cannot read."""


def split_evr(version: str, *, scheme: str) -> tuple[int, str, str]:
    """Split into epoch (0 when absent), version and release (after the last hyphen).

    ``scheme`` names the format in error messages ("a Debian", "an RPM").
    """
    text = version.strip()
    if not text or any(c.isspace() for c in text):
        raise InvalidVersionError(f"not {scheme} version: {version!r}")
    epoch = 0
    if ":" in text:
        epoch_text, text = text.split(":", 1)
        if not epoch_text.isdigit():
            raise InvalidVersionError(f"epoch is not a number in {version!r}")
        epoch = int(epoch_text)
    upstream, sep, release = text.rpartition("-")
    if not sep:
        upstream, release = text, ""
    return epoch, upstream, release
