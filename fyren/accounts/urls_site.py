"""The site's front door: the start page that sends each user on, the language
choice, and the icon browsers ask for. Names without a namespace."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    # Browsers and feed readers ask for /favicon.ico whatever the page says.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("img/favicon.svg"))),
    path("i18n/setlang/", views.choose_language, name="set_language"),
]
