"""Metadata of a page from its evidence, strongest first: CMS <meta> tags, the labelled
table or info strip, well-known elements, then the URL."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from ..datestr import from_timestamp, iso, parse_compact_date, parse_date
from ..docnumber import DOC_NUMBER_RE, clean_doc_number
from . import lines as L
from .byline import read_byline

META_DATE_KEYS = ("pubdate", "publishdate", "pubtime", "firstpublishedtime", "article:published_time",
                  "og:release_date", "dc.date", "dc.date.issued", "publish_date", "datepublished")
# Dates a page carries for machines rather than readers: used when nothing visible gives one.
WEAK_DATE_KEYS = ("ld:datepublished", "script:pubtime", "og:time", "apub:time", "publishtime", "dateupdate",
                  "datemodified", "lastmodifiedtime", "article:modified_time")
META_SOURCE_KEYS = ("contentsource", "source", "dc.publisher")
ORG_SPLIT_RE = re.compile(r"\s*[、，,；;]\s*|\s{2,}|\s+(?=[\u4e00-\u9fff]{2,}(?:局|厅|委|部|会|办|室|府|院|署|处|中心)\b)")
URL_DATE_RES = (
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),
    re.compile(r"/n\d?/((?:19|20)\d{2})/(\d{2})(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})/(\d{2})/(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})/(\d{2})/"),
)
SIGNATURE_DATE_RE = re.compile(r"^\s*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇○零一二三四五六七八九]{4}年[〇○一二三四五六七八九十]{1,3}月[〇○一二三四五六七八九十]{1,3}日)\s*$")
STAFF_ROLES = {"author": "author", "reporter": "reporter", "editor": "editor", "reviewer": "reviewer",
               "photographer": "photographer", "poster": "poster"}
STAFF_SUBLABELS = {"记者": "reporter", "本报记者": "reporter", "通讯员": "reporter", "摄影": "photographer",
                   "编辑": "editor", "责任编辑": "editor"}
NOT_A_NAME_RE = re.compile(r"^各|[组局室厅委办站部]$|中心$")  # 图片：各督导小组 credits a group
NAME_SPLIT_RE = re.compile(r"[\s、，,；;/]+")
PUBLISHER_LABEL_RE = re.compile(r"^\s*(?:信息)?(?:来源|发布机构|发布单位|发文机关)\s*[:：]\s*")
# A trailing word or note after the name (举报, 原创稿, 某某网收集); each run of spaces is taken whole.
TRAILING_FURNITURE_RE = re.compile(r"(?:(?<!\s)\s++(?:举报|纠错|分享|收藏|打印|关注|订阅|评论|原创稿|原创|转载|\d+|"
                                   r"\S{0,8}(?:收集|整理|转载|提供)))+$")
# Never from the middle of a run of spaces: from there every position would scan the rest of the run.
PUBLISHER_TAIL_RE = re.compile(r"(?:(?<!\s)|(?!\s))(?:\s*(?:记者|通讯员|录入|编辑|责任编辑|作者|发布时间|时间|浏览|点击|阅读)"
                               r"(?:[:：]|\s|$)|\s*(?:19|20)\d{2}[-/.年])")


def _clean_publisher(value: str | None) -> str | None:
    """'来源：新华网' -> '新华网'; '县政府教育督导室 录入：王丽' -> '县政府教育督导室'."""
    if not value:
        return value
    value = PUBLISHER_LABEL_RE.sub("", value)
    tail = PUBLISHER_TAIL_RE.search(value)
    if tail and tail.start() > 0:
        value = value[:tail.start()]
    return TRAILING_FURNITURE_RE.sub("", value.strip()).strip() or None


SELF_SOURCE_RE = re.compile(r"^(?:本站|本网|原创|网络|互联网|admin|管理员)$", re.I)
# A body named without its place (县教育局督导室, 来源：督导室): the signature says whose it is.
BARE_UNIT_RE = re.compile(r"^(?:本|县|市|区|省|局|(?:教育)?(?:督导室|督导科|办公室|综合科|宣传科|信息中心|政务公开办|督导办)$)")
SIGNATURE_ORG_RE = re.compile(r"^\s*([\u4e00-\u9fff（）()]{2,30}?(?:局|厅|委员会|委|办公室|督导室|督导站|工作站|中心|"
                              r"人民政府|政府|学校|学区))\s*$")


@dataclass
class Metadata:
    title: str | None = None
    publisher: str | None = None
    publishers: list[str] = field(default_factory=list)
    publish_date: str | None = None
    written_date: str | None = None
    doc_number: str | None = None
    index_number: str | None = None
    subject_terms: list[str] = field(default_factory=list)
    validity: str | None = None
    staff: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def collect_metadata(lines, meta: dict[str, str], special: dict[str, str], url: str | None,
                     zone: list | None = None) -> Metadata:
    """Metadata from every source of evidence; ``zone`` holds the byline lines under the headline."""
    fields = _labelled_fields(lines)
    zone = zone or []
    in_zone = _labelled_fields(zone, strict=False)
    weak_dates = [d for d in (parse_date(meta.get(k) or "") for k in WEAK_DATE_KEYS) if d]
    url_date = date_from_url(url) if url else None
    year_hint = next((int(d[:4]) for d in (*weak_dates, url_date) if d), None)
    byline = read_byline(zone, year_hint)

    md = Metadata()
    md.title = _first(fields, "title")
    md.index_number = _first(fields, "index_number")
    md.validity = _first(fields, "validity")
    md.doc_number = clean_doc_number(_first(fields, "doc_number"))
    if md.doc_number is None and "doc_number" not in fields:
        md.doc_number = _doc_number_line(lines)
    terms = _first(fields, "subject_terms")
    md.subject_terms = [t for t in re.split(r"[、，,；;\s]+", terms) if t] if terms else []

    # A WeChat article is published by its account, whatever office it credits at the bottom.
    candidates = [special.get("account"), _first_of(meta, META_SOURCE_KEYS), _first(in_zone, "publisher"),
                  _first(fields, "publisher"), _first(in_zone, "source"), _first(fields, "source"),
                  special.get("source"), byline.hinted, byline.source, meta.get("ld:publisher")]
    publisher = next((p for p in map(_clean_publisher, filter(None, candidates))
                      if p and not SELF_SOURCE_RE.match(p)), None)
    if publisher:
        orgs = [o for o in ORG_SPLIT_RE.split(publisher) if o]
        md.publishers = orgs
        md.publisher = orgs[0] if orgs else publisher
    if md.publisher is None or BARE_UNIT_RE.match(md.publisher):
        signed = _signature_org([ln.text for ln in lines if ln.in_content])
        if signed:
            md.publisher, md.publishers = signed, [signed]

    # What the page shows under its headline comes first: a CMS regenerating a page rewrites its
    # PubDate meta tag, never the date it prints.
    md.publish_date = (_first_date([*in_zone.get("publish_date", []), *in_zone.get("date", [])])
                       or _first_date(meta.get(k) for k in META_DATE_KEYS)
                       or _first_date([*fields.get("publish_date", []), special.get("publish_date")])
                       or byline.date or _first_date(fields.get("date", [])) or next(iter(weak_dates), None)
                       or (from_timestamp(special["ct"]) if special.get("ct") else None))
    if md.publish_date is None and url_date:
        md.publish_date = url_date
        md.warnings.append("publish_date_from_url")

    md.written_date = parse_date(_first(fields, "written_date") or "")
    if md.written_date is None:
        md.written_date = _signature_date([ln.text for ln in lines if ln.in_content])

    for key, role in STAFF_ROLES.items():
        for value in fields.get(key, []):
            current = role
            for name in NAME_SPLIT_RE.split(value):
                name = name.strip("（）()【】[]")
                if name in STAFF_SUBLABELS:  # 作者：记者 郑晓阳 通讯员 孔令辉
                    current = STAFF_SUBLABELS[name]
                elif 2 <= len(name) <= 12 and not NOT_A_NAME_RE.search(name) and (name, current) not in md.staff:
                    md.staff.append((name, current))
    return md


def _labelled_fields(lines, strict: bool = True) -> dict[str, list[str]]:
    """label：value pairs of table rows and info strips; ``strict=False`` reads every short line."""
    fields: dict[str, list[str]] = {}
    for ln in lines:
        if ln.cells is not None:
            pairs = L.cell_pairs(ln.cells)
        elif L.is_info_strip(ln.text) or ((not strict or not ln.in_content) and len(ln.text) < 120):
            pairs = L.labelled_pairs(ln.text)
            m = L.DISCUZ_STRIP_RE.match(ln.text)
            if m:
                pairs.append(("date", m.group(1)))
        else:
            pairs = []
        for key, value in pairs:
            if value:
                fields.setdefault(key, []).append(value)
    return fields


def _first_date(values) -> str | None:
    return next((d for d in map(parse_date, filter(None, values)) if d), None)


def date_from_url(url: str) -> str | None:
    """The posting date CMSs put in article URLs (t20230315_…, /art/2024/3/5/, /2023-03/15/ …)."""
    path = unquote(url)
    for rx in URL_DATE_RES:
        m = rx.search(path)
        if m:
            value = iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if value:
                return value
    m = re.search(r"/t((?:19|20)\d{6})_\d+", path)
    return parse_compact_date(m.group(1)) if m else None


def _signature_date(body: list[str]) -> str | None:
    """The date line under a notice's signature, among the last lines of the body."""
    for text in reversed(body[-6:]):
        m = SIGNATURE_DATE_RE.match(text)
        if m:
            return parse_date(m.group(1))
    return None


def _signature_org(body: list[str]) -> str | None:
    """The issuing body signed under the body (a line that is only an organisation name), if any."""
    for text in reversed(body[-4:]):
        m = SIGNATURE_ORG_RE.match(text)
        if m:
            return m.group(1)
    return None


def _doc_number_line(lines) -> str | None:
    """A short line consisting only of a 文号, near the top of the body."""
    for ln in [ln for ln in lines if ln.in_content][:8]:
        if len(ln.text) <= 30:
            m = DOC_NUMBER_RE.fullmatch(ln.text.strip())
            if m:
                return m.group(0)
    return None


def _first(fields: dict[str, list[str]], key: str) -> str | None:
    for value in fields.get(key, []):
        value = value.strip()
        if value:
            return value
    return None


def _first_of(meta: dict[str, str], keys) -> str | None:
    for k in keys:
        if meta.get(k):
            return meta[k]
    return None
