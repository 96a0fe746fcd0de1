"""Download a case's document. The case is found only among those the user may see (else 404); a member
of staff's download leaves a personal-data access record."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from applications.documents.render import DOCUMENT_KINDS, document_filename, document_render
from applications.errors import ApplicationError
from applications.selectors import applications_visible_to
from applications.services.personal_data import Kind, personal_data_access_record


@login_required
@require_GET
def document_download(request, case_number: str, kind: str) -> HttpResponse:
    if kind not in DOCUMENT_KINDS:
        raise Http404("未知的文书类型")
    application = applications_visible_to(request.user).filter(case_number=case_number).first()
    if application is None:
        raise Http404("办件不存在")
    try:
        content = document_render(application=application, kind=kind)
    except ApplicationError as error:
        raise Http404(error.message) from None
    personal_data_access_record(request=request, applicant=application.applicant_id, kind=Kind.DOCUMENT,
                                obj=application, detail=f"{application.case_number} {kind}.pdf")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document_filename(application=application, kind=kind)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
