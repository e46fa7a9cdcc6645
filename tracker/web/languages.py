"""Each user's language, kept with the account so that it follows them to any browser.

The language switch stores the choice on the account (and the usual cookie); signing in
puts it in the session, and the middleware speaks it from then on.
"""

from django.conf import settings
from django.utils import translation
from django.views.i18n import set_language

from tracker.models import LanguagePreference

SESSION_KEY = "tracker_language"


def language_switch(request):
    """Switch the language as Django's set_language does, and remember it for the signed-in user."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        LanguagePreference.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[SESSION_KEY] = language
    return response


def language_remember(sender, request, user, **kwargs):
    preference = LanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()
    if preference:
        request.session[SESSION_KEY] = preference


class UserLanguageMiddleware:
    """Speak to a signed-in user in their own language, whatever this browser said before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.session.get(SESSION_KEY)
        if language and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        language = request.session.get(SESSION_KEY)  # the view may have just switched it
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        return response
