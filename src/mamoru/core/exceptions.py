"""The domain's errors, which every interface maps the same way.

Services raise Django's ``PermissionDenied`` (→ 403), selectors ``DoesNotExist`` (→ 404,
exactly as if the object did not exist), ``ValidationError`` for bad input (→ 400), and
these two when the input is well formed but cannot be applied:

* ``StateConflict`` (→ 409): the record's state forbids it (a closed report edited);
* ``Unprocessable`` (→ 422): content the records refuse (started after it was noticed).

The REST API maps them in ``mamoru.api.exceptions.exception_handler``; pages show the
messages (``mamoru.core.pages.run``/``act``). Messages are Japanese.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class StateConflict(ValidationError):  # noqa: N818 - the HTTP meaning, as operators read it
    """The record is not in a state that allows this."""


class Unprocessable(ValidationError):  # noqa: N818 - the HTTP meaning, as operators read it
    """Well-formed content that the records refuse."""
