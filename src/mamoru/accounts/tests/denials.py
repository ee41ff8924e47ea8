"""Who is refused each accounts URL (checked by mamoru.core.tests.test_denials).

The account pages are each person's own: everyone signed in may open them for
themselves, so only anonymous visitors are refused there. What belongs to someone
else (a token) or to another organisation (switching) answers 404.
"""

from mamoru.core.testing import Denial

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
    Denial("accounts:token_create", refused=()),
    # Token 1 is nobody's in the cast: everyone but its owner gets 404 (see test_tokens.py
    # for a real token of another person).
    Denial("accounts:token_revoke", kwargs={"pk": "1"}, method="post"),
    # An empty choice is an organisation nobody may act in (test_switch.py tries real ones).
    Denial("accounts:switch", method="post"),
]
