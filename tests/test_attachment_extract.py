"""Extraction over attachment text: dates, officials, priorities and 文号 found only in attachments,
each pointing into the attachment it came from; old records without attachments still load."""
from __future__ import annotations

import jsonschema
import pytest

import policytext
from policytext.errors import FetchError
from policytext.record import Announcement, json_schema

from .docfiles import make_docx, make_pdf, make_xlsx
from .test_attachment_links import URL, page

PLAN = [
    "某县教育局文件",
    "县教督〔2024〕7号",
    "关于2024年春季开学专项督导的实施方案",
    "督导时间为2024年2月26日至3月1日。县教育督导室主任周建国带队，督学刘芳参加。",
    "重点检查校园安全、食堂食品安全、课后服务开展情况等三个方面。",
    "各学校于2024年3月8日前报送自查报告。",
]


def files() -> dict[str, bytes]:
    return {
        "https://jyj.example.gov.cn/files/a.pdf": make_pdf([PLAN]),
        "https://jyj.example.gov.cn/files/b.docx": make_docx(["督导组分工如下：", ("n", 0, "校园安全组由县教育局副局长孙海涛负责"),
                                                              ("table", [["组别", "组长"], ["安全组", "孙海涛"]])]),
        "https://jyj.example.gov.cn/files/c.xlsx": make_xlsx({"学校名单": [["序号", "学校"], [1, "城关小学"]]}),
    }


HTML = page('<p>附件：<a href="/files/a.pdf">1.实施方案.pdf</a><a href="/files/b.docx">2.分工.docx</a>'
            '<a href="/files/c.xlsx">3.学校名单.xlsx</a><a href="/files/gone.pdf">4.附表.pdf</a></p>')


def source(link) -> bytes:
    url, data = link.url, files()
    if url not in data:
        raise FetchError("HTTP 404", url=url, status_code=404)
    return data[url]


@pytest.fixture(scope="module")
def record() -> Announcement:
    return policytext.extract_html(HTML, url=URL, attachments=source)


def test_attachments_hold_type_size_hash_and_text(record):
    a = record.attachments
    assert [x.type for x in a] == ["pdf", "docx", "xlsx", "pdf"]
    assert a[0].text.split("\n") == PLAN and a[0].size == len(files()[a[0].url]) and len(a[0].sha256) == 64
    assert "一、校园安全组由县教育局副局长孙海涛负责" in a[1].text and "1 城关小学" in a[2].text
    assert a[3].text == "" and a[3].warnings == ["not_fetched: HTTP 404"]


def test_items_from_attachments_point_into_the_attachment_text(record):
    found = [(d.value, d.attachment) for d in record.dates]
    assert ("2024-03-08", 0) in found and ("2024-02-26/2024-03-01", 0) in found
    for item in record.dates + record.officials + record.priorities:
        text = record.text if item.attachment is None else record.attachments[item.attachment].text
        surface = item.text if hasattr(item, "text") else item.name
        assert surface in text[item.span[0]:item.span[1]] or text[item.span[0]:item.span[1]] in surface
    officials = {o.name: o.attachment for o in record.officials}
    assert officials.get("周建国") == 0 and officials.get("孙海涛") == 1
    assert any(p.attachment == 0 and "校园安全" in p.text for p in record.priorities)


def test_doc_number_from_the_attachment_head_when_the_page_has_none(record):
    assert record.doc_number == "县教督〔2024〕7号" and record.attachments[0].doc_number == record.doc_number


def test_record_with_attachments_matches_the_schema_and_round_trips(record):
    d = record.to_dict()
    jsonschema.validate(d, json_schema())
    assert Announcement.from_dict(d) == record


def test_a_record_written_before_attachments_existed_still_loads():
    old = policytext.extract_html(page(""), url=URL).to_dict()
    assert old["dates"] and all("attachment" not in d for d in old["dates"])  # items of the text: no key
    del old["attachments"]
    loaded = Announcement.from_dict(old)
    assert loaded.attachments == [] and all(d.attachment is None for d in loaded.dates)


@pytest.mark.parametrize("suffix,make", [(".pdf", lambda: make_pdf([PLAN])), (".docx", lambda: make_docx(PLAN))])
def test_cli_extracts_a_local_document(tmp_path, capsys, suffix, make):
    import json

    from policytext.cli import main

    path = tmp_path / f"方案{suffix}"
    path.write_bytes(make())
    assert main(["extract", str(path), "--format", "jsonl"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["doc_number"] == "县教督〔2024〕7号" and record["warnings"][0] == f"read_from_{suffix[1:]}"
    assert {o["name"] for o in record["officials"]} == {"周建国", "刘芳"}
    assert "2024-03-08" in {d["value"] for d in record["dates"]}


def test_cli_on_a_scanned_or_locked_document_says_why_in_one_line(tmp_path, capsys):
    from policytext.cli import main

    from .docfiles import make_scanned_pdf

    for name, data in (("scan.pdf", make_scanned_pdf(1)), ("locked.docx", make_docx(PLAN, password="x"))):
        (tmp_path / name).write_bytes(data)
        assert main(["extract", str(tmp_path / name)]) == 3
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and ("no_text_layer" in err or "encrypted" in err)


def test_time_spent_fetching_attachments_does_not_count_against_the_page():
    import time

    def slow(link) -> bytes:
        time.sleep(0.3)
        return source(link)

    record = policytext.extract_html(HTML, url=URL, attachments=slow, time_budget=1.0)
    assert not [w for w in record.warnings if w.startswith("time_budget_exceeded")]
    assert record.attachments[0].text and record.dates
