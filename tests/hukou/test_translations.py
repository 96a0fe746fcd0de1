"""The Simplified Chinese catalogue is complete, compiled, and used for the UI strings."""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _po_entries(path: Path) -> list[dict]:
    """The entries of a .po file, header included: msgid, msgstr, flags (standard library only)."""
    entries: list[dict] = []
    entry: dict | None = None
    field = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):  # obsolete entries are not used
            continue
        starts_entry = line.startswith(("#", "msgctxt ", "msgid ")) and not line.startswith("msgid_plural")
        if not line or (starts_entry and entry is not None and field == "msgstr"):
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            if not line:
                continue
        if entry is None:
            entry = {"flags": set(), "msgid": "", "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            field = "msgctxt"
        elif line.startswith("msgid_plural "):
            field = "msgid_plural"
            entry["msgid_plural"] = ast.literal_eval(line[len("msgid_plural ") :])
        elif line.startswith("msgid "):
            field = "msgid"
            entry["msgid"] = ast.literal_eval(line[len("msgid ") :])
        elif line.startswith("msgstr"):
            key, _, value = line.partition(" ")
            index = int(key[len("msgstr[") : -1]) if key.startswith("msgstr[") else 0
            field = "msgstr"
            entry["_index"] = index
            entry["msgstr"][index] = ast.literal_eval(value)
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if field == "msgstr":
                entry["msgstr"][entry["_index"]] += text
            elif field in ("msgid", "msgid_plural"):
                entry[field] = (entry[field] or "") + text
        else:
            raise AssertionError(f"unexpected line in {path.name}: {raw!r}")
    if entry is not None:
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    assert PO_FILE.is_file(), f"{PO_FILE} is missing"
    return _po_entries(PO_FILE)


def test_po_header_declares_simplified_chinese_utf8(entries):
    header = entries[0]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    text = header["msgstr"][0]
    assert "Language: zh_Hans\n" in text
    assert "charset=UTF-8" in text
    assert "Plural-Forms: nplurals=1; plural=0;" in text


def test_po_has_no_untranslated_or_fuzzy_entry(entries):
    messages = entries[1:]
    assert messages, "the catalogue is empty"
    untranslated = [e["msgid"] for e in messages if not e["msgstr"] or not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_po_translations_keep_every_placeholder(entries):
    for entry in entries[1:]:
        expected = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for msgstr in entry["msgstr"].values():
            assert sorted(PLACEHOLDER.findall(msgstr)) == expected, entry["msgid"]


def test_msgfmt_check_and_statistics():
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (GNU gettext) is not installed")
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "-", str(PO_FILE)],
        capture_output=True, text=False, check=False,
    )
    stats = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, stats
    assert "translated message" in stats
    assert "untranslated" not in stats
    assert "fuzzy" not in stats


def test_compiled_mo_matches_the_po(entries):
    """The committed .mo is the compiled current .po (not a stale one)."""
    assert MO_FILE.is_file(), "run: python manage.py compilemessages -l zh_Hans"
    with MO_FILE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = [e["msgid"] for e in entries[1:] if catalogue.gettext(e["msgid"]) != e["msgstr"][0]]
    assert stale == [], "the .mo is out of date: run compilemessages -l zh_Hans"


def test_model_names_and_fields_come_out_in_chinese():
    from policies.models import (
        HousingProgram,
        Jurisdiction,
        PointsBand,
        PolicyDocument,
        SettlementRoute,
        SubsidyProgram,
        WorkingCalendarDay,
    )

    with translation.override("zh-hans"):
        assert str(SettlementRoute._meta.verbose_name) == "落户途径"
        assert str(SettlementRoute._meta.get_field("promised_working_days").verbose_name) == "承诺办结时限（工作日）"
        assert str(SettlementRoute._meta.get_field("followers").verbose_name) == "可随迁人员"
        assert str(SettlementRoute._meta.get_field("address_options").verbose_name) == "落户地址选项"
        assert str(Jurisdiction._meta.verbose_name) == "行政区划"
        assert str(PolicyDocument._meta.verbose_name) == "政策文件"
        assert str(PolicyDocument._meta.get_field("number").verbose_name) == "文号"
        assert str(PolicyDocument._meta.get_field("in_force_from").verbose_name) == "施行日期"
        assert str(PointsBand._meta.verbose_name) == "计分档"
        assert str(SubsidyProgram._meta.verbose_name) == "补贴项目"
        assert str(SubsidyProgram._meta.get_field("beneficiary").verbose_name) == "发放对象"
        assert str(HousingProgram._meta.verbose_name) == "住房保障项目"
        assert str(WorkingCalendarDay.Kind.WORKDAY.label) == "调休工作日"


def test_app_names_come_out_in_chinese():
    from django.apps import apps

    with translation.override("zh-hans"):
        names = {config.label: str(config.verbose_name) for config in apps.get_app_configs()}
    assert names["policies"] == "政策管理"
    assert names["applications"] == "落户申请"
    assert names["subsidies"] == "补贴与奖励"
    assert names["housing"] == "住房保障"


def test_validation_message_is_translated_with_its_placeholders():
    from django.core.exceptions import ValidationError

    from policies.models.routes import validate_checklist

    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as excinfo:
            validate_checklist([{"code": "id_card"}])
        assert excinfo.value.messages == ["第 1 项必须包含 code 和 name（可另含 required、note、max_files、when）。"]
