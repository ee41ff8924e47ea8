"""Who must be refused the audit log page (checked by core/tests/test_denials.py).

The page shows only the acting organisation's own log, so the refusal is by permission:
八王子市's and 大阪市's editors and the outsider hold no ``audit.view``. Listed only once
the root URLconf routes ``audit:log`` (``path("audit/", include("mamoru.audit.urls"))``).
"""

from django.urls import NoReverseMatch, reverse

from mamoru.core.testing import Denial


def _routed(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


DENIALS = [Denial("audit:log")] if _routed("audit:log") else []
