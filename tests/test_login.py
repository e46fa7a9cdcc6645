"""Signing in: repeated failures lock the account name from that address for a while."""

import pytest
from django.urls import reverse

from tests.accounts import PASSWORD, make_reader

pytestmark = pytest.mark.django_db


def test_a_reader_signs_in(client):
    make_reader()
    response = client.post(reverse("login"), {"username": "reader", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("event_list")).status_code == 200


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, settings):
    make_reader()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": "reader", "password": "guess"})
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    locked = client.post(reverse("login"), {"username": "reader", "password": "guess"})
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    right = client.post(reverse("login"), {"username": "reader", "password": PASSWORD})
    assert right.status_code == 429
    assert client.get(reverse("event_list")).status_code == 302


def test_the_admin_login_is_guarded_too(client, settings):
    make_reader(is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "reader", "password": "guess"})
    assert client.post(reverse("admin:login"), {"username": "reader", "password": PASSWORD}).status_code == 429


def test_the_lockout_page_speaks_arabic(client, settings):
    make_reader()
    client.cookies["django_language"] = "ar"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = client.post(reverse("login"), {"username": "reader", "password": "guess"})
    assert locked.status_code == 429
    assert "<h1>تسجيل الدخول مقفل لبعض الوقت</h1>" in locked.content.decode()


def test_the_admin_names_the_sign_in_attempts_in_arabic(admin_client):
    admin_client.cookies["django_language"] = "ar"
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert 'href="/admin/axes/" class="section"' in page
    assert "محاولات تسجيل الدخول" in page  # "Sign-in attempts", where django-axes said "Axes"
    assert ">Axes<" not in page
