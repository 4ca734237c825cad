"""Words that Django and allauth translate differently from our glossary (shared/domain/glossary.md).

Listing the msgids here puts them in our catalogue, which takes precedence over the packages' own.
"""

from django.utils.translation import gettext_lazy as _

GLOSSARY_OVERRIDES = [
    _("Password"),
    _("Password (again)"),
    _("Current Password"),
    _("New Password"),
    _("New Password (again)"),
    _("Remember Me"),
    _("Forgot your password?"),
    _("Sign In"),
    _("Sign Out"),
    _("Sign Up"),
    _("Email"),
    _("Email address"),
]
