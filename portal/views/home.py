from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.views.common import portal_page


@require_GET
@portal_page
def home(request):
    return render(request, "portal/home.html")
