"""The whole path in a real browser (Debian's chromium, headless, driven by pytest-playwright), as an
applicant on a phone would walk it: sign up, self-check, file with uploads, answer the correction a
clerk asks for, book the visit, see the registration, rate. The clerk's side is done through the
services, as the admin's buttons would. A screenshot of every page visited goes to
test-results/portal/ (git-ignored).

Playwright runs for this test only (pytest-playwright keeps it for the whole session): while its sync
API is up, an asyncio loop runs in this thread and Django hands out other database connection objects,
which would leave the tests after this one without their restored data (see the ``playwright`` fixture).
"""

from __future__ import annotations

import io
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone
from playwright.sync_api import sync_playwright

from applications.models import Application, ApplicationState, OfficeSlot, RatingFollowUp, ServiceRating
from applications.selectors import registration_address_options
from applications.services.transitions import (
    application_accept,
    application_approve,
    application_register,
    application_request_correction,
    application_start_review,
    material_review,
)
from policies.models import Jurisdiction
from tests.applications.factories import PDF_BYTES, id_number

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "test-results" / "portal"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
S = ApplicationState


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's chromium, headless, nothing reaching out to the network."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: scripts/test.sh installs Debian's chromium")
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (scripts/test.sh installs it)")
    return {"executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def playwright(_pw_api_request_contexts, browser_type_launch_args):
    """pytest-playwright's fixture, for one test instead of the session. While it runs, Django must be
    told that the ORM calls made from this thread (the clerk's side) are meant to be synchronous; on
    the way out the connections opened meanwhile are closed and the loop stops."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    driver = sync_playwright().start()
    if _pw_api_request_contexts:
        _pw_api_request_contexts.instrument(driver)
    try:
        yield driver
    finally:
        connections.close_all()
        driver.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture
def launch_browser(browser_type_launch_args, browser_type):
    return lambda **kwargs: browser_type.launch(**{**browser_type_launch_args, **kwargs})


@pytest.fixture
def browser(launch_browser):
    launched = launch_browser()
    yield launched
    launched.close()


@pytest.fixture
def browser_context_args():
    """A phone: 412 px wide, Chinese, Shanghai time."""
    return {"viewport": {"width": 412, "height": 915}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai",
            "accept_downloads": True}


@pytest.fixture
def insecure_cookies_on_localhost(settings):
    # The live server speaks plain HTTP; production keeps its secure cookies.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


class Shots:
    def __init__(self, page):
        self.page = page
        self.count = 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob("*.png"):
            old.unlink()

    def __call__(self, name: str) -> None:
        self.count += 1
        path = SCREENSHOTS / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0


def png_bytes() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 150), "white")
    ImageDraw.Draw(image).rectangle((10, 10, 230, 140), outline="navy", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def upload(page, code: str, name: str, content: bytes, mime: str) -> None:
    item = page.locator(f"#item-{code}")
    item.locator("input[type=file]").set_input_files({"name": name, "mimeType": mime, "buffer": content})
    assert item.locator("[data-filename]").inner_text() == name  # the picker shows the chosen file
    item.get_by_role("button", name="上传").click()
    item.locator(".files li", has_text=name).wait_for()  # listed once the server has stored it


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_whole_path_in_a_browser(page, live_server, insecure_cookies_on_localhost, staff_factory, sms_outbox):
    page.set_default_timeout(30_000)
    shot = Shots(page)
    url = live_server.url

    # --- the home page, then sign up (a wrong ID number first: refused beside the field, kept) ---
    page.goto(url + "/")
    assert page.title().startswith("首页")
    page.keyboard.press("Tab")  # keyboard first: the skip link, then the header links
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    shot("home")
    page.get_by_role("link", name="注册", exact=True).first.click()
    good_id = id_number()
    page.get_by_label("真实姓名").fill("陈小明")
    page.get_by_label("居民身份证号码").fill(good_id[:-1] + ("0" if good_id[-1] != "0" else "1"))
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_role("button", name="获取短信验证码").click()
    error = page.locator("#id_id_number_error")
    assert "身份证号码无效" in error.inner_text()
    assert page.get_by_label("真实姓名").input_value() == "陈小明"
    assert page.get_by_label("居民身份证号码").get_attribute("aria-invalid") == "true"
    shot("signup-refused")
    page.get_by_label("居民身份证号码").fill(good_id)
    page.get_by_role("button", name="获取短信验证码").click()
    page.get_by_role("heading", name="注册账号：输入短信验证码").wait_for()
    page.get_by_label("短信验证码").fill(sms_outbox.code("13912345678"))  # as read on the phone
    page.get_by_label("电子邮箱").fill("xiaoming@example.com")
    page.get_by_label("设置密码").fill("Keqiao-2026")
    page.get_by_label("再次输入密码").fill("Keqiao-2026")
    shot("signup-code")
    page.get_by_role("button", name="注册").click()
    page.get_by_text("注册成功").wait_for()

    # --- self-check: Keqiao, a graduate working there ---
    page.get_by_label("您想把户口落在哪里？").select_option("sx.kq")
    shot("self-check-place")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("heading", name="自助检测：绍兴市柯桥区").wait_for()
    page.get_by_label("出生日期").fill("1998-06-01")
    page.locator("#id_sex_1").check()  # 女
    page.get_by_label("婚姻状况").select_option("married")  # a spouse follows below
    page.get_by_label("最高学历").select_option("bachelor")
    page.get_by_label("毕业日期").fill("2025-06-30")
    assert page.locator("#id_business__owns_commercial_property_in_target_0").is_checked()  # 否 unless changed
    page.locator("#id_employment__employed_1").check()
    page.locator("#id_employment__in_target_1").check()
    page.get_by_label("劳动（聘用）合同期限").fill("24")
    page.get_by_label("现在这份工作是哪天开始的？").fill("2025-08-01")
    page.locator("#id_employment__first_after_graduation_1").check()
    shot("self-check-questions")
    page.get_by_role("button", name="查看检测结果").click()
    page.get_by_role("heading", name="检测结果：绍兴市柯桥区").wait_for()
    graduate = page.locator("section.route", has_text="高校毕业生、同等学历及留学回国人员落户")
    assert graduate.locator("h2 .badge.ok").inner_text() == "符合"
    assert graduate.locator(".mark.yes").count() >= 2
    # what settling would bring: the 安心补贴 of a newly employed graduate, each condition explained
    anxin = graduate.locator(".programs > li", has_text="新增就业高校毕业生安心补贴")
    assert anxin.locator(".badge.ok").inner_text() == "可享受"
    assert "每年 6,000 元，最长 3 年" in anxin.inner_text()
    assert page.locator("section.route.not-eligible .mark.no").count() > 0  # ✗ shown for what fails
    shot("self-check-result")

    # --- filing: open the draft, a spouse who follows, every material with progress, save, submit ---
    graduate.get_by_role("link", name="按此途径申请").click()
    page.get_by_label("我已阅读上述条件和材料清单，确认按此途径申请").check()
    shot("apply-confirm")
    page.get_by_role("button", name="开始填报").click()
    page.get_by_text("已创建申请草稿").wait_for()
    application = Application.objects.get(applicant__phone="13912345678")
    assert application.state == S.DRAFT
    page.get_by_label("与申请人的关系").select_option("spouse")
    page.locator("#id_family-real_name").fill("李四")
    page.locator("#id_family-id_number").fill(id_number())
    page.get_by_role("button", name="添加随迁人员").click()
    page.get_by_text("已添加随迁人员：李四").wait_for()
    shot("draft-empty")
    upload(page, "id_card", "身份证.png", png_bytes(), "image/png")
    upload(page, "hukou_booklet", "户口簿.pdf", PDF_BYTES, "application/pdf")
    assert "还缺 1 项必交材料" in page.locator("#materials .missing").inner_text()
    shot("draft-uploading")
    page.get_by_role("link", name="保存草稿，稍后再填").click()  # come back later
    page.get_by_role("heading", name="我的办件").wait_for()
    assert "草稿" in page.locator("table.list").inner_text()
    shot("my-cases-draft")
    page.get_by_role("link", name=application.case_number).click()
    upload(page, "diploma", "毕业证.pdf", PDF_BYTES, "application/pdf")
    upload(page, "family_relation", "结婚证.pdf", PDF_BYTES, "application/pdf")
    page.get_by_text("必交材料已齐全，可以提交").wait_for()
    pledge = page.get_by_label("本人承诺所填信息和所交材料真实有效，如有虚假愿承担相应责任")
    pledge.focus()
    page.keyboard.press("Space")  # ticked from the keyboard
    assert pledge.is_checked()
    shot("draft-complete")
    page.get_by_role("button", name="提交申请").click()
    page.get_by_text("申请已提交").first.wait_for()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED and application.due_date
    shot("submitted")

    # --- the clerk accepts, rejects the diploma and sends one correction notice ---
    clerk = staff_factory("clerk", "sx.kq")
    application_accept(application_id=application.pk, actor=clerk)
    diploma = application.materials.get(checklist_code="diploma")
    material_review(material_id=diploma.pk, actor=clerk, accepted=False, reason="毕业证书不清晰，请上传清晰的扫描件")
    application_request_correction(application_id=application.pk, actor=clerk)

    page.reload()
    notice = page.locator("section.notice", has_text="一次性告知")
    assert "毕业证书不清晰，请上传清晰的扫描件" in notice.inner_text()
    shot("correction-notice")
    with page.expect_download() as download:
        notice.get_by_role("link", name="下载《补正材料一次性告知书》（PDF）").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    upload(page, "diploma", "毕业证-清晰.pdf", PDF_BYTES, "application/pdf")
    assert page.locator("#item-diploma .badge.ok").inner_text() == "已补正"
    shot("correction-answered")
    page.get_by_role("button", name="提交补正材料").click()
    page.get_by_text("补正材料已提交").first.wait_for()
    application.refresh_from_db()
    assert application.state == S.RESUBMITTED
    shot("resubmitted")

    # --- accepted again, reviewed and approved; the office opens slots in the admin ---
    application_accept(application_id=application.pk, actor=clerk)
    application_start_review(application_id=application.pk, actor=clerk)
    application_approve(application_id=application.pk, actor=staff_factory("approver", "sx.kq"), reason="符合条件")
    start = timezone.now().replace(hour=1, minute=0, second=0, microsecond=0) + timedelta(days=2)
    keqiao = Jurisdiction.objects.get(code="sx.kq")
    slot = OfficeSlot.objects.create(jurisdiction=keqiao, office="柯桥区行政服务中心户籍窗口",
                                     address="柯桥区笛扬路 1 号", starts_at=start,
                                     ends_at=start + timedelta(hours=1), capacity=5)
    OfficeSlot.objects.create(jurisdiction=keqiao, office="柯桥区行政服务中心户籍窗口", address="柯桥区笛扬路 1 号",
                              starts_at=start + timedelta(days=1), ends_at=start + timedelta(days=1, hours=1),
                              capacity=3)

    # --- the one visit ---
    page.reload()
    assert "已批准" in page.locator("h1").inner_text()
    with page.expect_download() as receipt:
        page.get_by_role("link", name="受理回执（PDF）").click()
    assert Path(receipt.value.path()).read_bytes().startswith(b"%PDF-")
    page.get_by_role("link", name="预约办理方式").click()
    page.get_by_role("heading", name="办理方式：最多跑一次").wait_for()
    shot("visit-choose")
    page.locator(f"input[name='visit-slot'][value='{slot.pk}']").check()
    page.get_by_role("button", name="预约该时段").click()
    page.get_by_text("预约成功").wait_for()
    slot.refresh_from_db()
    assert slot.booked == 1
    shot("visit-booked")

    # --- the registrar registers the settler; the applicant sees it ---
    address_type = registration_address_options(application)[0][0]
    application_register(application_id=application.pk, actor=staff_factory("registrar", "sx.kq"),
                         address_type=address_type, address="绍兴市柯桥区柯桥街道人才集体户")
    page.reload()
    registration = page.locator("section[aria-labelledby='h-registration']")
    assert "绍兴市柯桥区柯桥街道人才集体户" in registration.inner_text()
    assert "已落户" in page.locator("h1").inner_text()
    shot("registered")

    # --- 好差评: a rating for every indicator, with a comment ---
    page.get_by_role("link", name="去评价").click()
    page.get_by_role("heading", name="评价本次服务（好差评）").wait_for()
    page.get_by_role("button", name="提交评价").click()  # nothing chosen: refused beside each indicator
    assert "请评价「总体评价」" in page.locator("#id_overall_error").inner_text()
    shot("rate-refused")
    for name in ("overall", "efficiency", "guide_accuracy", "convenience", "ease_of_use"):
        page.locator(f"input[name='{name}'][value='5']").check()
    page.locator("input[name='efficiency'][value='4']").check()
    page.get_by_label("评价内容").fill("网上就办完了，只跑了一次窗口。")
    shot("rate")
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("感谢您的评价").wait_for()
    rating = ServiceRating.objects.get(application=application)
    assert (rating.overall, rating.efficiency) == (5, 4) and not RatingFollowUp.objects.exists()
    shot("rated")

    page.get_by_role("link", name="我的办件", exact=True).click()
    assert "已落户" in page.locator("table.list").inner_text()
    shot("my-cases-done")
    assert shot.count >= 18
    assert all(re.fullmatch(r"\d\d-[a-z-]+\.png", p.name) for p in SCREENSHOTS.glob("*.png"))
