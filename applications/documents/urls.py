from django.urls import path

from applications.documents.views import document_download

app_name = "documents"

urlpatterns = [
    path("<str:case_number>/<slug:kind>.pdf", document_download, name="download"),
]
