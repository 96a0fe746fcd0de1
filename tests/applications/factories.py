import itertools
from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import ric

from applications.models import Applicant

_sequence = itertools.count(1)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def id_number(birth: date = date(1995, 5, 1), region: str = "330621") -> str:
    body = f"{region}{birth:%Y%m%d}{next(_sequence) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # the function expects a placeholder check digit


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("Pw-for-tests-1")


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant

    user = factory.SubFactory(UserFactory)
    real_name = "张三"
    id_number = factory.LazyFunction(id_number)
    phone = "13800000000"


def pdf(name: str = "doc.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


GRADUATE_FACTS = {
    "birth_date": "1998-06-01",
    "sex": "F",
    "marital_status": "married",
    "education": "bachelor",
    "general_college": True,
    "graduation_date": "2025-06-30",
    "hukou": {"in_target_city": False},
    "employment": {"employed": True, "in_target": True, "contract_months": 24, "started_on": "2025-08-01",
                   "first_after_graduation": True},
}
