"""The administrative area of the issuing body, read from its name.

This version reads place names with their administrative suffix (省 / 市 / 县 / 区 / 旗)
from the publisher, then the headline; resolving short names and division codes needs
a division table.
"""
from __future__ import annotations

import re

from ..record import Region

MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
PROVINCE_RE = re.compile(r"([\u4e00-\u9fff]{2,3}?省|[\u4e00-\u9fff]{2,6}?自治区)")
CITY_RE = re.compile(r"([\u4e00-\u9fff]{2,4}?(?:市|自治州|地区|盟|州))(?!场|民|委|政府|教育局|直)")
COUNTY_RE = re.compile(r"([\u4e00-\u9fff]{1,4}?(?:县|区|旗))(?!委|政府|教育|级|域|内|市)")
ORG_PREFIX_RE = re.compile(r"^(?:中共|共青团)")


def find_region(publisher: str | None, title: str | None = None) -> Region | None:
    """Province / city / county named at the head of the publisher (else the headline)."""
    for source in (publisher, title):
        if not source:
            continue
        name = ORG_PREFIX_RE.sub("", source)
        region = _parse_head(name)
        if region:
            return region
    return None


def _parse_head(name: str) -> Region | None:
    region = Region()
    pos = 0
    for muni in MUNICIPALITIES:
        if name.startswith(muni):
            region.province, region.city, pos = muni, muni, len(muni)
            break
    if region.province is None:
        m = PROVINCE_RE.match(name)
        if m:
            region.province, pos = m.group(1), m.end()
    m = CITY_RE.match(name, pos)
    if m and region.city is None:
        region.city, pos = m.group(1), m.end()
    m = COUNTY_RE.match(name, pos)
    if m and not m.group(1).startswith(("市", "县", "区")):
        region.county = m.group(1)
    if region.province or region.city or region.county:
        return region
    return None
