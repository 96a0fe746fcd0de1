"""好差评: five levels for each online indicator; a poor rating opens a follow-up in the office's queue,
which records how it was resolved."""

import pytest
from django.urls import reverse

from applications.errors import ApplicationError, ConflictError
from applications.models import RatingFollowUp, ServiceRating
from applications.models.ratings import RATING_INDICATORS
from applications.services.ratings import rating_followup_resolve, rating_submit
from tests.portal.conftest import accepted_case, registered_case

pytestmark = pytest.mark.django_db


def rate_url(application):
    return reverse("portal:rate", kwargs={"case_number": application.case_number})


def levels(value: int) -> dict:
    return {name: str(value) for name, _label in RATING_INDICATORS}


def test_rating_page_shows_five_levels_for_every_indicator(applicant_client, applicant, clerk):
    application = registered_case(applicant, clerk)
    html = applicant_client.get(rate_url(application)).content.decode()
    for _name, label in RATING_INDICATORS:
        assert label in html
    for level in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert html.count(f"> {level}</label>") == len(RATING_INDICATORS)


def test_a_good_rating_is_kept_and_shown(applicant_client, applicant, clerk):
    application = registered_case(applicant, clerk)
    missing = applicant_client.post(rate_url(application), {"overall": "5", "comment": "很快"})
    assert missing.status_code == 400
    html = missing.content.decode()
    assert "请评价「办事效率」" in html and "很快" in html and 'value="5" required aria-describedby' not in html
    response = applicant_client.post(rate_url(application), {**levels(5), "comment": "很快"})
    assert response.status_code == 302
    rating = ServiceRating.objects.get(application=application)
    assert rating.overall == 5 and not rating.is_poor and not RatingFollowUp.objects.exists()
    page = applicant_client.get(reverse("portal:case", args=[application.case_number])).content.decode()
    assert "我的评价" in page and "非常满意" in page
    again = applicant_client.post(rate_url(application), {**levels(4)})
    assert again.status_code == 302 and ServiceRating.objects.count() == 1


def test_a_poor_rating_needs_a_reason_and_opens_a_follow_up(applicant_client, applicant, clerk, staff_factory):
    application = registered_case(applicant, clerk)
    data = {**levels(4), "efficiency": "2"}
    no_reason = applicant_client.post(rate_url(application), data)
    assert no_reason.status_code == 400 and "请写明原因" in no_reason.content.decode()
    applicant_client.post(rate_url(application), {**data, "comment": "等了很久才受理"})
    followup = RatingFollowUp.objects.get()
    assert followup.status == RatingFollowUp.Status.OPEN and followup.jurisdiction.code == "sx.kq"

    with pytest.raises(ApplicationError, match="本辖区"):
        rating_followup_resolve(followup_id=followup.pk, actor=staff_factory("clerk", "jx"), resolution="已联系")
    with pytest.raises(ApplicationError, match="整改情况"):
        rating_followup_resolve(followup_id=followup.pk, actor=clerk, resolution=" ")
    rating_followup_resolve(followup_id=followup.pk, actor=clerk, resolution="已电话联系申请人致歉，优化受理流程")
    followup.refresh_from_db()
    assert followup.status == RatingFollowUp.Status.RESOLVED and followup.resolved_by == clerk
    assert application.transitions.filter(transition="rating_followup_resolved").exists()
    with pytest.raises(ConflictError):
        rating_followup_resolve(followup_id=followup.pk, actor=clerk, resolution="再次")


def test_an_unfinished_case_cannot_be_rated(applicant_client, applicant, clerk):
    application = accepted_case(applicant, clerk)
    assert applicant_client.get(rate_url(application)).status_code == 302
    with pytest.raises(ConflictError):
        rating_submit(application_id=application.pk, actor=applicant.user, scores={k: 5 for k, _ in RATING_INDICATORS})


def test_rating_levels_are_checked(applicant, clerk):
    application = registered_case(applicant, clerk)
    with pytest.raises(ApplicationError, match="评价等级无效"):
        rating_submit(application_id=application.pk, actor=applicant.user,
                      scores={**{k: 5 for k, _ in RATING_INDICATORS}, "overall": 6})


def test_the_follow_up_queue_in_the_admin_records_the_resolution(client, applicant, clerk, staff_factory):
    application = registered_case(applicant, clerk)
    rating_submit(application_id=application.pk, actor=applicant.user,
                  scores={**{k: 4 for k, _ in RATING_INDICATORS}, "overall": 1}, comment="态度不好")
    followup = RatingFollowUp.objects.get()
    other = staff_factory("clerk", "jx")
    client.force_login(other)
    assert "态度不好" not in client.get(reverse("admin:applications_ratingfollowup_changelist")).content.decode()
    client.force_login(clerk)
    listing = client.get(reverse("admin:applications_ratingfollowup_changelist")).content.decode()
    assert application.case_number in listing
    url = reverse("admin:applications_ratingfollowup_change", args=[followup.pk])
    page = client.get(url).content.decode()
    assert "态度不好" in page and "非常不满意" in page
    empty = client.post(url, {"resolution": ""})
    assert "请填写整改情况" in empty.content.decode()
    done = client.post(url, {"resolution": "已约谈窗口人员并回访申请人"})
    assert done.status_code == 302
    followup.refresh_from_db()
    assert followup.status == RatingFollowUp.Status.RESOLVED and followup.resolution == "已约谈窗口人员并回访申请人"
