"""Every form control of the portal has a label tied to it (or sits inside one), errors are linked to
their field, radio groups have a legend, and the page says it is Chinese and offers a skip link."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.portal.conftest import accepted_case, make_draft, make_slot, registered_case

pytestmark = pytest.mark.django_db


class Controls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.labels_for: set[str] = set()
        self.controls: list[dict] = []
        self.ids: set[str] = set()
        self.label_depth = 0
        self.fieldsets = 0
        self.legends = 0
        self.html_lang = None
        self.skip_link = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "a" and attrs.get("href") == "#main":
            self.skip_link = True
        if tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.labels_for.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit"}:
            self.controls.append({**attrs, "_tag": tag, "_in_label": self.label_depth > 0})
        if tag == "fieldset":
            self.fieldsets += 1
        if tag == "legend":
            self.legends += 1

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth -= 1


def check(html: str) -> Controls:
    parsed = Controls()
    parsed.feed(html)
    assert parsed.html_lang == "zh-Hans" and parsed.skip_link
    for control in parsed.controls:
        named = control["_in_label"] or control.get("id") in parsed.labels_for or control.get("aria-label")
        assert named, f"no label for {control}"
        for ref in (control.get("aria-describedby") or "").split():
            assert ref in parsed.ids, f"{control.get('name')} points at a missing #{ref}"
    assert parsed.fieldsets == parsed.legends
    return parsed


def test_account_and_self_check_pages(client):
    for name in ("signup", "login", "password_reset", "check"):
        check(client.get(reverse(f"portal:{name}")).content.decode())
    check(client.post(reverse("portal:signup"), {"real_name": "", "id_number": "1"}).content.decode())
    for place in ("sx.kq", "hz.city", "jx", "hz.tonglu"):
        parsed = check(client.get(reverse("portal:check"), {"place": place}).content.decode())
        assert len(parsed.controls) > 5
    check(client.post(reverse("portal:check"), {"place": "sx.kq", "birth_date": "x"}).content.decode())


def test_case_pages(applicant_client, applicant, clerk):
    accepted = accepted_case(applicant, clerk)
    finished = registered_case(applicant, clerk)
    draft = make_draft(applicant, complete=False)  # one open draft per route: made after the filed ones
    check(applicant_client.get(reverse("portal:case", args=[draft.case_number])).content.decode())
    refused = applicant_client.post(reverse("portal:family_add", args=[draft.case_number]), {"family-relation": "x"})
    check(refused.content.decode())
    make_slot()
    check(applicant_client.get(reverse("portal:visit", args=[accepted.case_number])).content.decode())
    check(applicant_client.post(reverse("portal:visit", args=[accepted.case_number]),
                                {"method": "postal"}).content.decode())
    check(applicant_client.get(reverse("portal:withdraw", args=[accepted.case_number])).content.decode())
    check(applicant_client.get(reverse("portal:rate", args=[finished.case_number])).content.decode())
    check(applicant_client.post(reverse("portal:rate", args=[finished.case_number]), {}).content.decode())
