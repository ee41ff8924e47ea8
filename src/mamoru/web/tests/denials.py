"""Who must be refused each page of the web shell (checked by core/tests/test_denials.py)."""

from mamoru.testing import Denial

DENIALS = [
    # Every organisation member has a home page; a person of no organisation gets the
    # "you belong to no organisation" page with status 403.
    Denial("web:home", refused=("outsider",)),
    # Django's language switch (POST) is for everyone, signed in or not: it only sets a
    # cookie and redirects to a local page.
    Denial("web:set_language", method="post", public=True),
]
