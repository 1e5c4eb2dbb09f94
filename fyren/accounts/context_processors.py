from django.conf import settings


def fyren(request):
    return {"FYREN_DEMO": settings.DEMO, "FYREN_OIDC": settings.FYREN_OIDC}
