"""Long tables, the flat records view and the CSV / Excel exports, on a dataset written the crawl's way."""
import copy
import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import policytext
from policytext.cli import main
from policytext.crawl.state import State
from policytext.dataset import load_dataset, record_row, write_parts
from policytext.errors import PolicytextWarning
from policytext.labels import DATE_TYPE_NAMES_ZH, DOC_TYPE_NAMES_ZH, ROLE_NAMES_ZH, TOPIC_NAMES_ZH
from policytext.tables import admin_level, normalize_name

GOLD = Path(__file__).resolve().parents[1] / "corpora" / "gold"
# county (with staff), city, province, national, no officials, county (with staff)
GOLD_IDS = ("g1-01", "g1-02", "g1-03", "g2-05", "g1-19", "g1-06")


def gold_records() -> dict[str, dict]:
    """Records of a few gold texts, plus two edge cases made from copies of them.

    ``again``: the g1-01 announcement published again a month later, one official's name
    written with a space (as on pages that pad two-character names). ``undated``: g1-07
    without a publish date or region.
    """
    records = {gid: policytext.extract_text((GOLD / f"{gid}.txt").read_text("utf-8"), url=f"http://t/{gid}").to_dict()
               for gid in (*GOLD_IDS, "g1-07")}
    again = copy.deepcopy(records["g1-01"])
    again.update(url="http://t/again", publish_date="2024-03-25")
    again["officials"][0]["name"] = again["officials"][0]["name"][0] + " " + again["officials"][0]["name"][1:]
    undated = records.pop("g1-07")
    undated.update(url="http://t/undated", publish_date=None, region=None)
    return {**records, "again": again, "undated": undated}


def write_dataset(data_dir: Path, records: dict[str, dict]) -> None:
    """Write ``records`` (record id -> to_dict()) the way a crawl commits them."""
    state = State(data_dir / "state.sqlite3")
    state.begin()
    rows = []
    for rid, record in records.items():
        rows.append(record_row(record, record_id=rid, site="bureau", also_published_at=[], content_hash=rid,
                               first_seen="2025-01-01T00:00:00+00:00", fetched_at="2025-01-01T00:00:00+00:00"))
        state.db.execute("INSERT INTO records VALUES (?, ?, ?, NULL, ?, '2025-01-01')",
                         (rid, record["url"], rid, record.get("publish_date")))
    for rel, count in write_parts(data_dir, rows, run_id=1) if rows else []:
        state.add_part(rel, 1, count)
    state.commit()
    state.close()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """(data directory, record id -> record dict, the loaded frame)."""
    records = gold_records()
    data_dir = tmp_path_factory.mktemp("data")
    write_dataset(data_dir, records)
    return data_dir, records, load_dataset(data_dir)


@pytest.fixture
def empty_dataset(tmp_path):
    write_dataset(tmp_path, {})
    return tmp_path


def rows(frame: pd.DataFrame) -> set[tuple]:
    return {tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False, name=None)}


def span(item: dict) -> tuple:
    return tuple(item["span"]) if item.get("span") else (None, None)


# -- long tables ---------------------------------------------------------------------------------
def test_officials_table_has_one_row_per_official_with_titles_and_roles(dataset):
    _, records, df = dataset
    table = policytext.tables.officials(df)
    assert list(table.columns) == ["record_id", "name", "titles", "roles", "span_start", "span_end", "attachment"]
    want = {(rid, o["name"].replace(" ", ""), "；".join(o["titles"]), "；".join(o["roles"]), *span(o), o.get("attachment"))
            for rid, r in records.items() for o in r["officials"]}
    assert len(table) == sum(len(r["officials"]) for r in records.values()) == len(want)
    assert rows(table) == want
    # The joined titles split back into the record's lists.
    for rid, record in records.items():
        mine = table[table.record_id == rid]
        assert mine.titles.str.split("；").tolist() == [o["titles"] or [""] for o in record["officials"]]


def test_priorities_dates_staff_and_topics_tables_hold_every_item(dataset):
    _, records, df = dataset
    tables = policytext.tables
    assert rows(tables.priorities(df)) == {(rid, p["text"], p["topic"], *span(p), p.get("attachment"))
                                           for rid, r in records.items() for p in r["priorities"]}
    assert rows(tables.dates(df)) == {(rid, d["text"], d["value"], d["type"], d["granularity"], *span(d),
                                       d.get("attachment"))
                                      for rid, r in records.items() for d in r["dates"]}
    assert rows(tables.staff(df)) == {(rid, s["name"], s["role"], *span(s))
                                      for rid, r in records.items() for s in r["staff"]}
    topics = tables.topics(df)
    assert list(topics.columns) == ["record_id", "topic"]
    assert len(topics) == sum(len(r["topics"]) for r in records.values())
    assert rows(topics) == {(rid, t) for rid, r in records.items() for t in r["topics"]}


def test_long_tables_join_back_to_the_records_and_spans_point_into_the_text(dataset):
    _, records, df = dataset
    tables = policytext.tables
    joined = tables.priorities(df).merge(tables.records(df), on="record_id", how="left", validate="many_to_one")
    assert joined["title"].notna().all()
    assert "text" in joined.columns and "priority" in joined.columns  # no suffixes needed
    for row in joined.dropna(subset=["span_start"]).itertuples():
        assert row.text[row.span_start:row.span_end] == row.priority
    people = tables.officials(df).merge(df[["record_id", "publish_date"]], on="record_id")
    assert set(people.loc[people.record_id == "again", "publish_date"]) == {"2024-03-25"}


def test_records_view_splits_the_region_and_names_the_level(dataset):
    _, records, df = dataset
    flat = policytext.tables.records(df)
    assert flat.columns[0] == "record_id" and len(flat) == len(records)
    assert not {"officials", "priorities", "dates", "staff", "scores", "region"} & set(flat.columns)
    by_id = flat.set_index("record_id")
    for rid, record in records.items():
        region = record["region"] or {}
        for part in ("province", "city", "county", "code"):
            assert by_id.at[rid, part] == region.get(part) or (pd.isna(by_id.at[rid, part]) and not region.get(part))
        assert by_id.at[rid, "topics"] == "；".join(record["topics"])
        assert by_id.at[rid, "title"] == record["title"]
    levels = by_id["level"].to_dict()
    assert levels["g1-01"] == "county" and levels["g1-02"] == "city" and levels["g1-03"] == "province"
    assert levels["g2-05"] == "national" and pd.isna(levels["undated"])


@pytest.mark.parametrize(("region", "level"), [
    ({"province": "江苏省", "city": "连云港市", "county": "灌云县", "code": "320723"}, "county"),
    ({"province": "江苏省", "city": "连云港市", "county": None, "code": "320700"}, "city"),
    ({"province": "北京市", "city": "北京市", "county": None, "code": "110000"}, "province"),
    ({"province": "北京市", "city": "北京市", "county": "海淀区", "code": "110108"}, "county"),
    ({"province": "湖北省", "city": None, "county": "仙桃市", "code": "429004"}, "county"),
    ({"province": None, "city": None, "county": None, "code": None}, "national"),
    ({"province": None, "city": None, "county": None, "code": "320700"}, "city"),
    (None, None),
])
def test_admin_level(region, level):
    assert admin_level(region) == level


def test_normalize_name():
    assert normalize_name("王  伟") == "王伟"
    assert normalize_name("阿依古丽•买买提") == normalize_name("阿依古丽・买买提") == "阿依古丽·买买提"
    assert normalize_name("　李明 ") == "李明"
    assert normalize_name(None) is None and normalize_name("  ") is None


def test_empty_dataset_and_missing_fields_give_empty_tables_with_their_columns(empty_dataset, dataset):
    tables = policytext.tables
    columns = {"officials": ["record_id", "name", "titles", "roles", "span_start", "span_end", "attachment"],
               "priorities": ["record_id", "priority", "topic", "span_start", "span_end", "attachment"],
               "dates": ["record_id", "mention", "value", "type", "granularity", "span_start", "span_end",
                         "attachment"],
               "staff": ["record_id", "name", "role", "span_start", "span_end"],
               "topics": ["record_id", "topic"]}
    _, _, full = dataset
    stripped = full.drop(columns=["officials", "priorities", "dates", "staff", "topics", "region"])
    for df in (load_dataset(empty_dataset), pd.DataFrame(), stripped):
        for name, want in columns.items():
            table = getattr(tables, name)(df)
            assert list(table.columns) == want and len(table) == 0, name
        flat = tables.records(df)
        assert flat.columns[0] == "record_id" and len(flat) == len(df)
        assert {"province", "city", "county", "code", "level"} <= set(flat.columns)
    assert tables.records(stripped)["level"].isna().all()


def test_submodules_load_on_first_use_from_the_package():
    code = ("import sys, policytext; assert 'pandas' not in sys.modules; "
            "import pandas as pd; print(list(policytext.tables.topics(pd.DataFrame()).columns), "
            "callable(policytext.analysis.label_counts))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["['record_id',", "'topic']", "True"]


# -- CSV and Excel ------------------------------------------------------------------------------------
def test_csv_has_a_bom_chinese_headers_and_readable_cells(dataset, tmp_path):
    _, records, df = dataset
    path = tmp_path / "officials.csv"
    policytext.tables.to_csv(policytext.tables.officials(df), path, chinese_headers=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == ["记录编号", "姓名", "职务", "角色", "起始位置", "结束位置", "附件序号"]
    first = records["g1-01"]["officials"][0]
    row = back[(back["记录编号"] == "g1-01") & (back["姓名"] == first["name"])].iloc[0]
    assert row["职务"] == "；".join(first["titles"])
    assert row["角色"] == "；".join(ROLE_NAMES_ZH[r] for r in first["roles"])  # label values in Chinese too
    assert (row["起始位置"], row["结束位置"]) == tuple(str(i) for i in first["span"])
    policytext.tables.to_csv(df, tmp_path / "all.csv")
    back = pd.read_csv(tmp_path / "all.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    got = back.set_index("record_id").loc["g1-01"]
    assert got["title"] == records["g1-01"]["title"]
    assert got["topics"] == "；".join(records["g1-01"]["topics"])
    assert json.loads(got["officials"]) == records["g1-01"]["officials"]


def test_xlsx_round_trip_with_chinese_headers_and_sheet_names(dataset, tmp_path):
    from openpyxl import load_workbook

    _, records, df = dataset
    path = tmp_path / "tables.xlsx"
    policytext.tables.to_excel(policytext.tables.all_tables(df), path, chinese_headers=True)
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["公告", "官员", "督导重点", "日期", "采编人员", "督导主题"]
    sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    main_sheet = sheets["公告"].set_index("记录编号")
    assert {"标题", "发布机构", "发布日期", "文号", "索引号", "文种", "督导主题", "省", "市", "县", "行政层级"} \
        <= set(main_sheet.columns)
    for rid, record in records.items():
        assert main_sheet.at[rid, "标题"] == record["title"]
        assert main_sheet.at[rid, "发布日期"] == (record["publish_date"] or "")
        assert main_sheet.at[rid, "督导主题"] == "；".join(TOPIC_NAMES_ZH[t] for t in record["topics"])
        assert main_sheet.at[rid, "文种"] == DOC_TYPE_NAMES_ZH[record["doc_type"]]
        assert main_sheet.at[rid, "是否督导相关"] == ("是" if record["is_relevant"] else "否")
        assert main_sheet.at[rid, "县"] == ((record["region"] or {}).get("county") or "")
        assert main_sheet.at[rid, "正文"] == record["text"]
    officials = sheets["官员"]
    assert list(officials.columns) == ["记录编号", "姓名", "职务", "角色", "起始位置", "结束位置", "附件序号"]
    assert len(officials) == sum(len(r["officials"]) for r in records.values())
    assert len(sheets["督导主题"]) == sum(len(r["topics"]) for r in records.values())
    assert set(sheets["日期"]["日期类型"]) <= set(DATE_TYPE_NAMES_ZH.values())
    assert set(sheets["督导主题"]["督导主题"]) <= set(TOPIC_NAMES_ZH.values())
    english = tmp_path / "english.xlsx"
    policytext.tables.to_excel(policytext.tables.all_tables(df), english)
    roles = pd.read_excel(english, sheet_name="officials", dtype=str, keep_default_na=False)["roles"]
    assert set(roles.str.split("；").explode()) <= set(ROLE_NAMES_ZH)  # English keys stay the default


def test_xlsx_keeps_the_english_headers_by_default_and_takes_a_single_frame(dataset, tmp_path):
    from openpyxl import load_workbook

    _, records, df = dataset
    path = tmp_path / "one.xlsx"
    policytext.tables.to_excel(df, path)
    sheet = load_workbook(path, read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == list(df.columns) and len(values) == len(df) + 1
    row = dict(zip(values[0], values[1]))
    record = records[row["record_id"]]
    assert row["publishers"] == "；".join(record["publishers"])
    assert json.loads(row["officials"]) == record["officials"]


def test_xlsx_cuts_overlong_cells_with_a_warning_and_stores_awkward_text_as_text(tmp_path):
    from openpyxl import load_workbook

    long_text = "督导" * 20_000
    frame = pd.DataFrame({"record_id": ["a", "b"], "title": ["=SUM(A1:A2)", "第一行\x0b第二行"],
                          "text": [long_text, "短"]})
    with pytest.warns(PolicytextWarning, match="1 cell was longer than Excel's"):
        policytext.tables.to_excel({"announcements": frame}, tmp_path / "long.xlsx")
    sheet = load_workbook(tmp_path / "long.xlsx").worksheets[0]
    text = sheet["C2"].value
    assert len(text) == 32_767 and text.endswith("…") and long_text.startswith(text[:-1])
    assert sheet["B2"].value == "=SUM(A1:A2)" and sheet["B2"].data_type == "s"
    assert sheet["B3"].value == "第一行第二行"


def test_cli_exports_xlsx_with_every_table_and_csv_with_chinese_headers(dataset, tmp_path, capsys):
    from openpyxl import load_workbook

    data_dir, records, _ = dataset
    out = tmp_path / "out.xlsx"
    assert main(["export", str(data_dir), "--format", "xlsx", "--chinese-headers", "--out", str(out)]) == 0
    assert f"wrote {len(records)} announcements" in capsys.readouterr().err
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["公告", "官员", "督导重点", "日期", "采编人员", "督导主题"]
    assert sum(1 for _ in book["公告"].iter_rows()) == len(records) + 1
    out = tmp_path / "out.csv"
    assert main(["export", str(data_dir), "--format", "csv", "--chinese-headers", "--out", str(out)]) == 0
    back = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert {"记录编号", "标题", "发布机构", "发布日期", "文号", "索引号", "督导主题"} <= set(back.columns)
    assert json.loads(back.set_index("记录编号").at["g1-01", "官员"]) == records["g1-01"]["officials"]
    assert back.set_index("记录编号").at["g1-01", "文种"] == DOC_TYPE_NAMES_ZH[records["g1-01"]["doc_type"]]
    assert json.loads(back.set_index("记录编号").at["g1-01", "督导主题"]) == [
        TOPIC_NAMES_ZH[t] for t in records["g1-01"]["topics"]]
    assert main(["export", str(data_dir), "--format", "jsonl", "--chinese-headers"]) == 1
    assert "csv and xlsx" in capsys.readouterr().err


def test_cli_xlsx_export_of_an_empty_dataset(empty_dataset, capsys):
    from openpyxl import load_workbook

    assert main(["export", str(empty_dataset), "--format", "xlsx"]) == 0
    book = load_workbook(empty_dataset / "exports" / "announcements.xlsx", read_only=True)
    header = next(book["officials"].iter_rows(values_only=True))
    assert list(header) == ["record_id", "name", "titles", "roles", "span_start", "span_end", "attachment"]
    assert sum(1 for _ in book["announcements"].iter_rows()) == 1


def test_cli_reports_overlong_cells_as_a_warning_line(tmp_path, capsys):
    record = policytext.extract_text((GOLD / "g1-01.txt").read_text("utf-8"), url="http://t/long").to_dict()
    record["text"] = record["text"] + "。" + "开学检查" * 9_000
    write_dataset(tmp_path, {"long": record})
    assert main(["export", str(tmp_path), "--format", "xlsx"]) == 0
    err = capsys.readouterr().err
    assert "policytext: warning: 1 cell was longer than Excel's" in err and "wrote 1 announcements" in err


def test_csv_exports_store_formula_like_text_as_text(tmp_path, capsys):
    record = policytext.extract_text((GOLD / "g1-01.txt").read_text("utf-8"), url="http://t/f").to_dict()
    hostile = {"title": '=HYPERLINK("http://evil.example/","点我")', "publisher": "+86 教育局",
               "doc_number": "-1+1", "index_number": "@SUM(A1)"}
    write_dataset(tmp_path, {"f": {**record, **hostile}})
    out = tmp_path / "out.csv"
    assert main(["export", str(tmp_path), "--format", "csv", "--out", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert {key: row[key] for key in hostile} == {key: "'" + value for key, value in hostile.items()}
    policytext.tables.to_csv(policytext.tables.records(policytext.load_dataset(tmp_path)), tmp_path / "t.csv")
    with open(tmp_path / "t.csv", encoding="utf-8-sig", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert {key: row[key] for key in hostile} == {key: "'" + value for key, value in hostile.items()}
    assert row["text"] == record["text"]  # ordinary text is left alone
