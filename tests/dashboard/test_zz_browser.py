"""The dashboard in a real browser (Debian's chromium): a leader of one district logs in at the staff login,
opens the dashboard and sees only that district; every chart is drawn by ECharts from our static files
without a script error or a Content-Security-Policy violation, on a phone and on a large screen; a
chart's data downloads as XLSX. Screenshots go to test-results/dashboard/ (git-ignored)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings

from dashboard.services.refresh import dashboard_refresh
from tests.browser import *  # noqa: F403
from tests.dashboard.world import build_world

SCREENSHOTS = Path(settings.BASE_DIR) / "test-results" / "dashboard"
PASSWORD = "Leader-pw-2026"
SCREENS = {"phone": {"width": 412, "height": 915}, "large-screen": {"width": 1920, "height": 1080}}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_district_leader_sees_only_that_district(browser, live_server, insecure_cookies_on_localhost, staff_of):
    world = build_world()
    dashboard_refresh(trigger="test", today=world.today)
    leader = staff_of("leader", "sx.kq")
    leader.set_password(PASSWORD)
    leader.save()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()

    for screen, viewport in SCREENS.items():
        context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai",
                                      accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(30_000)
        problems = []
        page.on("console", lambda message, found=problems: found.append(message.text) if message.type == "error"
                else None)
        page.on("pageerror", lambda error, found=problems: found.append(str(error)))
        page.on("response", lambda response, found=problems: found.append(response.url) if response.status >= 400
                else None)
        page.goto(f"{live_server.url}/dashboard/?start=2025-01&end=2026-11")
        assert "/admin/login/" in page.url  # the staff login first
        page.fill("#id_username", leader.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url("**/dashboard/?start=2025-01&end=2026-11")
        problems.clear()  # the admin's login page asks for a favicon it does not have: not ours
        page.wait_for_selector('.chart[data-drawn="1"] canvas')
        assert page.title() == "落户工作领导驾驶舱"
        drawn = page.locator('.chart[data-drawn="1"]').count()
        assert drawn >= 12, drawn
        # only the leader's district: in the filter, the charts' tables and anywhere on the page
        assert page.locator("#id_jurisdiction option").all_inner_texts() == ["我可查看的全部区划", "柯桥区"]
        places = page.locator("#chart-settlements_by_jurisdiction thead th").all_text_contents()
        assert places == ["月份", "柯桥区"]
        text = page.locator("main").text_content()
        assert "嘉兴" not in text and "杭州" not in text
        assert "户籍人口" not in text  # no target of 2026 …
        assert "文件目标截至2025年" in text
        page.screenshot(path=str(SCREENSHOTS / f"{screen}-2026.png"), full_page=True)
        # … but 2025's targets, with what is entered and what is not
        page.goto(f"{live_server.url}/dashboard/?start=2025-01&end=2025-12")
        page.wait_for_selector('.chart[data-drawn="1"] canvas')
        targets = page.locator("table.targets tbody tr")
        assert targets.count() == 12
        assert "数据未录入" in page.locator("table.targets").inner_text()
        if screen == "phone":  # nothing wider than the phone but the scrolling tables
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
        page.screenshot(path=str(SCREENSHOTS / f"{screen}-2025.png"), full_page=True)
        with page.expect_download() as download:
            page.locator("#chart-settlements_by_age a.export").click()
        book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        assert book.worksheets[0]["A1"].value == "落户人员年龄段分布（按落户登记日计）"
        assert problems == []  # no script error, no CSP violation
        context.close()
