"""Who must be refused the audit log page (checked by core/tests/test_denials.py).

The page shows only the acting organisation's own log, so the refusal is by permission:
八王子市's and 大阪市's editors and the outsider hold no ``audit.view``.
"""

from mamoru.testing import Denial

DENIALS = [Denial("audit:log")]
