from django.urls import path

from . import views

# The instruments page of the design tool; names without a namespace, as the
# design tool's templates have always called them.
urlpatterns = [
    path("", views.instruments, name="instruments"),
    path("<slug:code>/fhir.json", views.instrument_fhir, name="instrument_fhir"),
    path("<slug:code>/translations/", views.instrument_translations, name="instrument_translations"),
    path("<slug:code>/sheet.csv", views.instrument_sheet, name="instrument_sheet"),
    path("translations/<int:pk>/sheet.csv", views.instrument_translation_sheet, name="instrument_translation_sheet"),
    path("translations/<int:pk>/remove/", views.instrument_translation_remove, name="instrument_translation_remove"),
]
