"""Who is refused each accounts URL (checked by mamoru.core.tests.test_denials).

The account pages are each person's own: everyone signed in may open them for
themselves, so only anonymous visitors are refused there.
"""

from mamoru.testing import Denial

DENIALS = [
    Denial("accounts:login", public=True),
    Denial("accounts:logout", method="post", public=True),
    Denial("accounts:mfa_setup", refused=()),
    Denial("accounts:mfa_verify", refused=()),
    Denial("accounts:mfa_disable", refused=()),
    Denial("accounts:mfa_recovery_codes", refused=()),
    Denial("accounts:settings", refused=()),
    Denial("accounts:profile", refused=()),
    Denial("accounts:password_change", refused=()),
    Denial("accounts:password_reset", public=True),
    Denial("accounts:password_reset_done", public=True),
    Denial("accounts:password_reset_confirm", {"uidb64": "MQ", "token": "x-y"}, public=True),
    Denial("accounts:password_reset_complete", public=True),
]
