"""API tokens, issued and revoked for users: a key is shown once, to whoever issues it, and never listed."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token


def api_tokens_issue(*, users) -> dict:
    """Give each of these users a new API token, replacing any they had; return each user's new key."""
    users = list(users)
    with transaction.atomic():
        Token.objects.filter(user__in=users).delete()
        tokens = Token.objects.bulk_create([Token(user=user, key=Token.generate_key()) for user in users])
    return {token.user: token.key for token in tokens}


def api_tokens_revoke(*, users) -> list:
    """Delete these users' API tokens; return the users who had one."""
    with transaction.atomic():
        tokens = list(Token.objects.filter(user__in=users).select_related("user").select_for_update(of=("self",)))
        Token.objects.filter(pk__in=[token.pk for token in tokens]).delete()
    return [token.user for token in tokens]
