from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors that might fail again; no details for the user.
    return render(request, "errors/500.html", status=500)
