"""Uploads: size limit, type by content not by name, private storage, and only in editable states."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.errors import ApplicationError
from applications.services.drafts import family_member_add, material_add
from tests.applications.factories import PDF_BYTES, PNG_BYTES, id_number


@pytest.mark.django_db
def test_a_pdf_is_stored_under_a_random_name_outside_the_web_root(draft, settings):
    material = material_add(application=draft, checklist_code="id_card",
                            upload=SimpleUploadedFile("../../etc/passwd.pdf", PDF_BYTES))

    stored = Path(material.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "passwd" not in stored.name and material.original_name.endswith("passwd.pdf")
    assert material.content_type == "application/pdf" and len(material.sha256) == 64
    assert not Path(settings.MEDIA_ROOT).is_relative_to(Path(settings.STATIC_ROOT))


@pytest.mark.django_db
def test_a_png_is_recognised_by_its_content(draft):
    material = material_add(application=draft, checklist_code="id_card", upload=SimpleUploadedFile("scan", PNG_BYTES))
    assert material.content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evil.pdf", b"MZ\x90\x00 not a pdf at all", "PDF、JPEG 或 PNG"),
        ("empty.pdf", b"", "文件为空"),
        ("huge.pdf", PDF_BYTES + b"0" * 2048, "文件过大"),
    ],
)
@pytest.mark.django_db
def test_refused_uploads_change_nothing(draft, settings, name, content, message):
    settings.MATERIAL_MAX_BYTES = 1024
    before = draft.materials.count()

    with pytest.raises(ApplicationError) as refused:
        material_add(application=draft, checklist_code="id_card", upload=SimpleUploadedFile(name, content))

    assert refused.value.field == "file" and message in refused.value.message
    assert draft.materials.count() == before


@pytest.mark.django_db
def test_an_item_not_on_the_checklist_is_refused(draft):
    with pytest.raises(ApplicationError) as refused:
        material_add(application=draft, checklist_code="selfie", upload=SimpleUploadedFile("a.pdf", PDF_BYTES))
    assert refused.value.field == "checklist_code"


@pytest.mark.django_db
def test_followers_only_as_the_route_allows_with_a_valid_id_number(draft):
    member = family_member_add(application=draft, relation="spouse", real_name="李四", id_number=id_number())
    assert member.id_number_masked.count("*") == 8

    with pytest.raises(ApplicationError) as cousin:
        family_member_add(application=draft, relation="minor_child", real_name="王五", id_number=id_number())
    assert cousin.value.field == "relation"
    with pytest.raises(ApplicationError) as bad_id:
        family_member_add(application=draft, relation="child", real_name="赵六", id_number="330621199505010000")
    assert bad_id.value.field == "id_number"


@pytest.mark.django_db
def test_one_checklist_item_takes_at_most_the_default_number_of_files(draft, settings):
    settings.MATERIAL_MAX_FILES_PER_ITEM = 3
    held = draft.materials.filter(checklist_code="id_card").count()  # the fixture uploaded one
    for _ in range(3 - held):
        material_add(application=draft, checklist_code="id_card", upload=SimpleUploadedFile("a.pdf", PDF_BYTES))
    with pytest.raises(ApplicationError, match="最多上传 3 个文件") as refused:
        material_add(application=draft, checklist_code="id_card", upload=SimpleUploadedFile("b.pdf", PDF_BYTES))
    assert refused.value.field == "file"
    assert draft.materials.filter(checklist_code="id_card").count() == 3
    # a rejected file does not count: during a correction the applicant uploads its replacement
    draft.materials.filter(checklist_code="id_card").update(review="rejected")
    material_add(application=draft, checklist_code="id_card", upload=SimpleUploadedFile("c.pdf", PDF_BYTES))


@pytest.mark.django_db
def test_the_routes_checklist_sets_the_limit_per_item(draft):
    from policies.models import SettlementRoute

    route = SettlementRoute.objects.get(code="kq.graduate")
    route.material_checklist = [
        {**item, "max_files": 1} if item["code"] == "id_card" else item for item in route.material_checklist
    ]
    route.full_clean()
    route.save()
    draft.route.refresh_from_db()
    with pytest.raises(ApplicationError, match="最多上传 1 个文件"):
        material_add(application=draft, checklist_code="id_card", upload=SimpleUploadedFile("a.pdf", PDF_BYTES))


@pytest.mark.parametrize("bad", [0, 51, "3", 2.5, True])
def test_a_checklist_max_files_must_be_a_small_whole_number(bad):
    from django.core.exceptions import ValidationError

    from policies.models.routes import validate_checklist

    with pytest.raises(ValidationError):
        validate_checklist([{"code": "id_card", "name": "身份证", "max_files": bad}])
    validate_checklist([{"code": "id_card", "name": "身份证", "max_files": 4}])
