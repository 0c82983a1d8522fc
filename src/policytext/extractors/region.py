"""The administrative area of the issuing body: province, prefecture-level city, county and
the 6-digit division code, resolved against the shipped division table (data/divisions.tsv).

Evidence, in order of trust: the publisher (信息来源 / 发布机构), the headline, the site (the
URL host spelled in pinyin: jyj.yuncheng.gov.cn), the body text. The issuing body is read
from the publisher, else from the head of the headline ("临猗县召开…", "运城市教育局召开…"):

- a named body ("灌云县教育局", "金华教育") fixes the division; when the name exists in several
  places (朝阳区 in 北京 and 长春) the other evidence picks one, and if it cannot, only the
  levels all candidates share are returned;
- a relative body ("县教育局", "市督导组到兰陵县…", "省教育厅") fixes the level only; the place
  at that level comes from everything else on the page (a 兰陵县 mention makes "市" 临沂市);
- a national body (教育部, 国务院教育督导委员会办公室) gives a Region with every part null:
  known to be national, as opposed to ``None``, nothing known;
- a newspaper or portal (荆州日报, 人民网－湖北频道) is not the issuing body: its place name
  only counts as evidence.

Without an issuing body, the level comes from how the text speaks of itself (全县 / 我市 /
县教育局), else the most-mentioned place wins if it clearly dominates its parent.

Municipalities fill both ``province`` and ``city`` (北京市 / 北京市 / 朝阳区); county-level
cities directly under a province (仙桃市, 济源市) have no ``city``.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import NamedTuple
from urllib.parse import urlsplit

from ..errors import ResourceError
from ..record import Region

LEVELS = ("province", "prefecture", "county")
MUNICIPALITIES = ("110000", "120000", "310000", "500000")

# Evidence weights by where a place name is seen.
W_PUBLISHER = 8.0      # a place inside the publisher's name other than its head
W_TITLE_HEAD = 6.0
W_TITLE = 4.0
W_MEDIA = 4.0          # the place in a newspaper's or portal's name (荆州日报)
W_SITE = 2.0
W_TEXT_ORG = 2.0       # a place naming a body in the text (临猗县教育局)
W_TEXT = 1.0
DOMINANCE = 0.5        # without a known level, descend to a child holding this share of the evidence

SUFFIX_RE = re.compile(r"自治县|自治州|自治旗|自治区|特别行政区|地区|林区|特区|新区|县|区|市|州|旗|盟|省")
SUFFIX_LEVELS = {
    "省": ("province",), "自治区": ("province",), "特别行政区": ("province",),
    "市": ("prefecture", "county", "province"), "州": ("prefecture",), "自治州": ("prefecture",),
    "地区": ("prefecture",), "盟": ("prefecture",),
}
TARGET_BEFORE_RE = re.compile(r"(?:到|赴|对|深入|前往|走进|来到|莅临)$")
ORG_AFTER_RE = re.compile(r"(?:人民政府|政府|教育|教体|委员会|督导|党委|县委|市委|区委|融媒|发布)")
BARE_IN_TEXT_RE = re.compile(r"教育|教体|教科|籍")
PLACE_BEFORE = set("省市州盟县区旗、与和及在赴到至对于")
WORDLIKE_NAMES = {"老城区", "新城区", "城中区", "市中区", "城东区", "城西区", "城北区", "城关区"}
ORG_PREFIX_RE = re.compile(r"^\s*(?:(?:信息)?来源|发布(?:机构|单位|部门)|发文机关|稿源)?\s*[:：]?\s*(?:中共|中国共产党|共青团)?")
NATIONAL_RE = re.compile(r"^(?:中华人民共和国)?(?:教育部|国务院|国家(?:教育|督学|发展|卫生|体育|市场)|中共中央|中央|全国人大)")
MEDIA_RE = re.compile(r"日报|晚报|早报|晨报|时报|报社|新闻|电视|广播|融媒|传媒|频道|网$|网[－—\-]|在线|头条|客户端|杂志")
RELATIVE_RE = re.compile(r"^(?:全|我|本|该)?(自治区|自治州|特别行政区|省|市|县|区|州|盟|旗)(?![域级县市区省乡镇])")
RELATIVE_LEVEL = {"省": "province", "自治区": "province", "特别行政区": "province", "市": "prefecture",
                  "州": "prefecture", "自治州": "prefecture", "盟": "prefecture",
                  "县": "county", "区": "county", "旗": "county"}
TITLE_LEAD_RE = re.compile(r"^(?:\s|[【\[〔(（][^】\]〕)）]{0,16}[】\]〕)）]|[^｜|：:]{1,8}[｜|：:]|关于|转发|印发|"
                           r"[《“\"'‘]|(?:19|20)\d{2}\s*年度?|[-—–·•]+)+")
LEVEL_WORD_RE = re.compile(r"(?:(全|我|本)(省|市|县|区|州|旗)|(省|市|县|区|州|旗)"
                           r"(?=委|人民政府|政府|教育厅|教育局|教体局|教育和体育局|教育体育局|教育督导|督导室|教育工委))")
HOST_NOISE_RE = re.compile(r"^(?:www|edu|jy|jyj|jyt|jtj|jw|gov|zf|sq|bbs|news|mp|big5|fanti|m|wap)+|"
                           r"(?:jyj|jyt|jtj|jy|edu|rmt|sq|news|jyw|gov|zf|net)+$")
# Provincial portals that spell their province by initials (jyt.zj.gov.cn, edu.sc.gov.cn).
PROVINCE_HOSTS = {"zj": "330000", "sc": "510000", "gd": "440000", "ah": "340000", "jl": "220000",
                  "ln": "210000", "hlj": "230000", "nmg": "150000", "nx": "640000", "yn": "530000",
                  "tj": "120000", "cq": "500000", "sh": "310000", "bj": "110000", "xj": "650000",
                  "xz": "540000", "gxzf": "450000", "shaanxi": "610000"}
NATIONAL_HOSTS = ("moe.gov.cn", "www.gov.cn")


class Division(NamedTuple):
    """One row of the division table (a named tuple: some 3,000 are made on every start)."""

    code: str
    name: str
    level: str
    parent: str | None
    short: str
    wordlike: bool


@dataclass
class DivisionTable:
    by_code: dict[str, Division]
    children: dict[str | None, list[Division]]
    names: dict[str, tuple[tuple[Division, bool], ...]]     # surface -> (division, is a short name)
    sizes: dict[str, tuple[int, ...]]                        # first two characters -> name lengths, longest first
    spellings: dict[str, str]                                # code -> "yuncheng|yc": its pinyin column

    @cached_property
    def pinyin(self) -> dict[str, tuple[Division, ...]]:
        """spelling -> divisions; only a page's URL needs it, so it is built on first use."""
        found: dict[str, list[Division]] = defaultdict(list)
        for code, spellings in self.spellings.items():
            for spelling in filter(None, spellings.split("|")):
                found[spelling].append(self.by_code[code])
        return {k: tuple(v) for k, v in found.items()}

    def chain(self, div: Division) -> list[Division]:
        """``div`` and its ancestors, the province first."""
        out = [div]
        while out[0].parent:
            out.insert(0, self.by_code[out[0].parent])
        return out


@cache
def division_table() -> DivisionTable:
    """The shipped division table, parsed once on first use."""
    try:
        raw = resources.files("policytext").joinpath("data/divisions.tsv").read_text("utf-8")
    except OSError as exc:
        raise ResourceError(f"division table missing: {exc}") from exc
    by_code: dict[str, Division] = {}
    children: dict[str | None, list[Division]] = defaultdict(list)
    names: dict[str, list[tuple[Division, bool]]] = defaultdict(list)
    spellings_by_code: dict[str, str] = {}
    rows = [ln.split("\t") for ln in raw.splitlines() if ln and not ln.startswith(("#", "code\t"))]
    for code, name, level, parent, short, aliases, spellings, flags in rows:
        div = Division(code, name, level, parent or None, short, "w" in flags)
        by_code[code] = div
        children[div.parent].append(div)
        names[name].append((div, False))
        if aliases:
            for alias in filter(None, aliases.split(",")):
                names[alias].append((div, False))
        if short and short != name:
            names[short].append((div, True))
        if spellings:
            spellings_by_code[code] = spellings
    if not by_code:
        raise ResourceError("division table is empty")
    sizes: dict[str, set[int]] = defaultdict(set)
    for surface in names:
        if len(surface) < 2:
            raise ResourceError(f"division table: one-character name {surface!r}")
        sizes[surface[:2]].add(len(surface))
    return DivisionTable(by_code, dict(children), {k: tuple(v) for k, v in names.items()},
                         {k: tuple(sorted(v, reverse=True)) for k, v in sizes.items()}, spellings_by_code)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    candidates: tuple[Division, ...]
    explicit: bool          # written as a full name, an alias or a short name with a suffix


@dataclass(frozen=True)
class Issuer:
    """What a publisher's name or a headline's head says about the issuing body."""

    kind: str                       # "national" | "named" | "relative"
    mention: Mention | None = None  # named: the body's place
    word: str | None = None         # relative: 省 / 市 / 县 ...


def find_region(publisher: str | None, title: str | None = None, text: str | None = None,
                url: str | None = None, site_name: str | None = None) -> Region | None:
    """Province / city / county / code of the body that issued the page; None when unknown.

    ``site_name`` is the site's own name (宁陵县教育体育局 from the page's <title>): its places
    weigh like the site address.
    """
    evidence = _Evidence(division_table())
    if site_name:
        for m in scan(site_name, "head", 0):
            evidence.add(m, W_SITE)
    issuer: Issuer | None = None
    if publisher:
        name = ORG_PREFIX_RE.sub("", publisher, count=1).strip()
        if MEDIA_RE.search(name):
            for m in scan(name, "head", 0):
                evidence.add(m, W_MEDIA)
        else:
            issuer = _issuer(name, scan(name, "head", 0), evidence, W_PUBLISHER)
    if title:
        lead = TITLE_LEAD_RE.match(title)
        head = lead.end() if lead else 0
        mentions = scan(title, "title", head)
        if head and mentions and mentions[0].start == 0:
            head = 0                                    # "灌云县：…" leads with its place
        if issuer is None:
            issuer = _issuer(title[head:], [_shift(m, -head) for m in mentions if m.start >= head],
                             evidence, W_TITLE)
            for m in mentions:
                if m.start < head:
                    evidence.add(m, W_TITLE, title)
        else:
            for m in mentions:
                evidence.add(m, W_TITLE_HEAD if m.start == head else W_TITLE, title)
    if issuer and issuer.kind == "national":
        return Region()
    national_site = _site(url, evidence)
    level_votes: list[tuple[str, float]] = []
    if text:
        mentions = scan(text, "text")
        for m in mentions:
            evidence.add(m, W_TEXT_ORG if ORG_AFTER_RE.match(text, m.end) else W_TEXT, text)
        level_votes = _level_words(text, mentions)

    if issuer and issuer.kind == "named":
        return _resolve_named(issuer.mention, evidence)
    if issuer and issuer.kind == "relative":
        return _descend(evidence, RELATIVE_LEVEL[issuer.word], city_word=issuer.word == "市")
    if national_site and not evidence.weights and not evidence.ambiguous:
        return Region()
    level = _level_hint(level_votes)
    return _descend(evidence, level, city_word=level == "prefecture")


TOWNSHIP_SUFFIXES = ("镇", "乡", "街道", "村", "社区")

def scan(s: str, mode: str, head: int | None = None) -> list[Mention]:
    """Place names in ``s``, longest first at each position.

    ``mode`` says where a short name written without its suffix (运城, 灌云) counts:
    "head" (an organisation name: anywhere), "title" (anywhere in a headline) or "text"
    (only before 教育 / 教体, or when three characters or longer). Short names that are also
    everyday words (通道, 资源, 比如) never count bare.
    """
    table = division_table()
    found: list[Mention] = []
    i, n = 0, len(s)
    while i < n:
        hit = None
        for size in table.sizes.get(s[i:i + 2], ()):
            entries = table.names.get(s[i:i + size]) if i + size <= n else None
            if entries:
                hit = size, entries
                break
        if hit is None:
            i += 1
            continue
        size, entries = hit
        end = i + size
        full = tuple(d for d, is_short in entries if not is_short)
        if full:
            surface = s[i:end]
            if not _stands_alone(s, found, i, end, full, head) or \
                    (surface[-1] == "区" and s.startswith("域", end)) or \
                    (surface[-1] == "市" and s.startswith("场", end)):
                i += 1
                continue
            found.append(Mention(i, end, full, True))
            i = end
            continue
        stems = tuple(d for d, _ in entries)
        if any(d.wordlike for d in stems) or not _bare_start_ok(s, i, mode, head) or \
                s.startswith(TOWNSHIP_SUFFIXES, end):  # 紫阳镇 is a township, not 紫阳县
            i += 1
            continue
        suffix = SUFFIX_RE.match(s, end)
        if suffix and not s.startswith(("区域", "市场", "县域", "市域"), end):
            allowed = SUFFIX_LEVELS.get(suffix.group(), ("county",))
            fitting = tuple(d for d in stems if d.level in allowed)
            found.append(Mention(i, suffix.end(), fitting or stems, True))
            i = suffix.end()
            continue
        if mode == "head" or mode == "title" or end - i >= 3 or BARE_IN_TEXT_RE.match(s, end):
            found.append(Mention(i, end, stems, False))
            i = end
            continue
        i += 1
    return found


def _stands_alone(s: str, found: list[Mention], start: int, end: int, full: tuple[Division, ...],
                  head: int | None) -> bool:
    """Whether a full name that may sit inside ordinary words is used as a place.

    Names that are words themselves (城区, 郊区, 和县, 老城区) count only at the head or right
    after their parent (阳泉市郊区). Two-character names (范县 in 示范县, 成县 in 组成县级) and
    names of divisions whose short name is a word (会同县 in 会同县公安局, 海城市 in 沿海城市)
    count at the head, after another place, or after a character that cannot end a word with
    them (、 市 在 赴 …)."""
    name = s[start:end]
    strict = name in WORDLIKE_NAMES or any(d.wordlike and not d.short for d in full)
    loose = len(name) == 2 or any(d.wordlike for d in full)
    if not (strict or loose) or start == head:
        return True
    if found and found[-1].end == start:
        parents = {d.code for d in found[-1].candidates}
        return not strict or any(d.parent in parents for d in full)
    return not strict and (not _is_cjk(s[start - 1]) or s[start - 1] in PLACE_BEFORE)


def _bare_start_ok(s: str, start: int, mode: str, head: int | None) -> bool:
    """A short name written alone must not be the tail of a longer word (农民丰收 has 民丰)."""
    if mode == "head" or start == head or start == 0:
        return True
    return not _is_cjk(s[start - 1]) or s[start - 1] in PLACE_BEFORE


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _shift(m: Mention, by: int) -> Mention:
    return Mention(m.start + by, m.end + by, m.candidates, m.explicit)


def _issuer(name: str, mentions: list[Mention], evidence: "_Evidence", weight: float) -> Issuer | None:
    """The issuing body an organisation name (or a headline's head) names; other places are evidence."""
    if not name:
        return None
    if NATIONAL_RE.match(name) and not (mentions and mentions[0].start == 0):
        return Issuer("national")
    if mentions and mentions[0].start == 0:
        chain = [mentions[0]]
        for m in mentions[1:]:
            if m.start != chain[-1].end:
                break
            chain.append(m)
        for m in mentions[len(chain):]:
            evidence.add(m, weight, name)
        return Issuer("named", mention=_narrow(chain))
    for m in mentions:
        evidence.add(m, weight, name)
    rel = RELATIVE_RE.match(name)
    return Issuer("relative", word=rel.group(1)) if rel else None


def _narrow(chain: list[Mention]) -> Mention:
    """The last mention of a run (江苏省连云港市灌云县), keeping candidates inside the earlier ones."""
    table = division_table()
    last = chain[-1]
    outer = {d.code for m in chain[:-1] for d in m.candidates}
    if outer:
        inside = tuple(d for d in last.candidates if any(a.code in outer for a in table.chain(d)[:-1]))
        if inside:
            return Mention(chain[0].start, last.end, inside, last.explicit)
    return last


def _site(url: str | None, evidence: "_Evidence") -> bool:
    """Add the places a URL's host names in pinyin; True for a national portal."""
    if not url:
        return False
    table = division_table()
    try:
        parts = urlsplit(url if "//" in url else "//" + url)
        hosts = [parts.hostname or ""] + re.findall(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+\.(?:gov\.)?cn", parts.path)
    except ValueError:
        return False
    national = False
    for host in filter(None, hosts):
        host = host.lower()
        national |= any(host == h or host.endswith("." + h) for h in NATIONAL_HOSTS)
        labels = host.split(".")
        for i, label in enumerate(labels):
            if label in ("gov", "cn", "com", "net", "org"):
                continue
            if label in PROVINCE_HOSTS and labels[i + 1:i + 3] == ["gov", "cn"]:
                evidence.add_divisions((table.by_code[PROVINCE_HOSTS[label]],), W_SITE)
                continue
            spelled = _spelled(label)
            if spelled:
                evidence.add_divisions(spelled, W_SITE)
                if len(spelled) == 1:
                    evidence.bodies[spelled[0].code] += W_SITE
    return national


def _spelled(label: str) -> tuple[Division, ...]:
    """Divisions a host label spells: yuncheng, sihongrmt, jyj-guanyun, ahhuoshan (安徽 霍山)."""
    pinyin = division_table().pinyin
    bare = HOST_NOISE_RE.sub("", label.replace("-", ""))
    found = pinyin.get(label) or pinyin.get(bare)
    if found:
        return found
    for prefix, province in PROVINCE_HOSTS.items():
        if bare.startswith(prefix) and len(bare) > len(prefix) + 3:
            inside = tuple(d for d in pinyin.get(bare[len(prefix):], ()) if d.code[:2] == province[:2])
            if inside:
                return inside
    return ()


def _level_words(text: str, mentions: list[Mention]) -> list[tuple[str, float]]:
    """(level, weight) each time the text speaks as a 县 / 市 / 省 (全县, 我市, 县教育局) outside
    place names, in order; the opening sentence, which usually names the acting body, counts
    double, and so does the first body named with its place (河北省人民政府教育督导委员会督导组)."""
    covered = set()
    for m in mentions:
        covered.update(range(m.start, m.end))
    first_stop = min((i for i in (text.find("。"), text.find("\n", 1)) if i > 0), default=len(text))
    votes = []
    for m in LEVEL_WORD_RE.finditer(text):
        word = m.group(2) or m.group(3)
        pos = m.start(2) if m.group(2) else m.start(3)
        if pos not in covered and pos - 1 not in covered:
            votes.append((pos, RELATIVE_LEVEL[word], 2.0 if pos < first_stop else 1.0))
    first_body = next((m for m in mentions if ORG_AFTER_RE.match(text, m.end)), None)
    if first_body and len({d.level for d in first_body.candidates}) == 1:
        votes.append((first_body.start, first_body.candidates[0].level, 2.0))
    return [(level, weight) for _, level, weight in sorted(votes)]


def _level_hint(votes: list[tuple[str, float]]) -> str | None:
    """The level the text speaks as: the clear majority, else the first of two close ones."""
    totals: dict[str, float] = defaultdict(float)
    for level, weight in votes:
        totals[level] += weight
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 2:
        return None
    if len(ranked) > 1 and ranked[0][1] < 1.5 * ranked[1][1]:
        close = {level for level, total in ranked if total >= ranked[0][1] / 1.5}
        return next(level for level, _ in votes if level in close)
    return ranked[0][0]


class _Evidence:
    """Weighted place mentions; a name shared by several divisions is settled by the others."""

    def __init__(self, table: DivisionTable):
        self.table = table
        self.weights: dict[str, float] = defaultdict(float)
        self.bodies: dict[str, float] = defaultdict(float)     # weight of mentions naming a body
        self.visited: dict[str, float] = defaultdict(float)    # weight of mentions of a place visited
        self.ambiguous: list[tuple[tuple[Division, ...], float]] = []

    def add(self, mention: Mention, weight: float, source: str | None = None) -> None:
        """Count a mention seen in ``source``, noting whether it names a body (瑞安市教育局)
        or a place visited (督导组到瑞安市)."""
        self.add_divisions(mention.candidates, weight if mention.explicit else weight * 0.75)
        if source is None or len(mention.candidates) != 1:
            return
        code = mention.candidates[0].code
        if ORG_AFTER_RE.match(source, mention.end):
            self.bodies[code] += weight
        if TARGET_BEFORE_RE.search(source, max(0, mention.start - 2), mention.start):
            self.visited[code] += weight

    def add_divisions(self, candidates: tuple[Division, ...], weight: float) -> None:
        if len(candidates) == 1:
            self.weights[candidates[0].code] += weight
        else:
            self.ambiguous.append((candidates, weight))

    def settled(self, prefer: str | None = None) -> tuple[dict[str, float], dict[str, float]]:
        """(own weight, subtree weight) per division code, ambiguous mentions given to the
        candidate the unambiguous ones support (else to those at level ``prefer``, else shared)."""
        base = dict(self.weights)
        subtree = self._subtree(base)
        own = defaultdict(float, base)
        for candidates, weight in self.ambiguous:
            support = [self.context(d, base, subtree) for d in candidates]
            best = max(support)
            if best > 0:
                chosen = [d for d, s in zip(candidates, support) if s == best]
            else:
                chosen = [d for d in candidates if d.level == prefer] or list(candidates)
            for d in chosen:
                own[d.code] += weight / len(chosen)
        return dict(own), self._subtree(own)

    def context(self, div: Division, own: dict[str, float], subtree: dict[str, float]) -> float:
        """Support for ``div`` from mentions of itself, its ancestors and its descendants."""
        return subtree.get(div.code, 0.0) + sum(own.get(a.code, 0.0) for a in self.table.chain(div)[:-1])

    def _subtree(self, own: dict[str, float]) -> dict[str, float]:
        total: dict[str, float] = defaultdict(float)
        for code, weight in own.items():
            div = self.table.by_code[code]
            while div is not None:
                total[div.code] += weight
                div = self.table.by_code.get(div.parent) if div.parent else None
        return total


def _resolve_named(mention: Mention, evidence: _Evidence) -> Region | None:
    """The named issuing body's division; candidates sharing one name are told apart by context."""
    own, subtree = evidence.settled()
    if len(mention.candidates) == 1:
        return _region([mention.candidates[0]])
    support = {d.code: evidence.context(d, own, subtree) for d in mention.candidates}
    best = max(support.values())
    leaders = [d for d in mention.candidates if support[d.code] == best]
    if not mention.explicit:
        # A bare short name shared by levels (吉林, 海南) means the larger division.
        top = min(LEVELS.index(d.level) for d in leaders)
        leaders = [d for d in leaders if LEVELS.index(d.level) == top]
    return _region(leaders)


def _descend(evidence: _Evidence, level: str | None, city_word: bool) -> Region | None:
    """Follow the best-supported division down from the provinces, to ``level`` when it is known."""
    table = evidence.table
    own, subtree = evidence.settled(prefer=level)
    if not subtree:
        return None
    target = LEVELS.index(level) if level else None
    node: Division | None = None
    while target is None or node is None or LEVELS.index(node.level) < target:
        kids = [k for k in table.children.get(node.code if node else None, ()) if subtree.get(k.code, 0) > 0]
        if target is not None:
            kids = [k for k in kids if LEVELS.index(k.level) <= target
                    or (city_word and node is not None and k.name.endswith("市"))]
        if not kids:
            break
        best = max(subtree[k.code] for k in kids)
        leaders = [k for k in kids if subtree[k.code] > best - 1e-9]
        if len(leaders) > 1:
            break
        if target is None and node is not None and best < DOMINANCE * subtree[node.code]:
            break
        node = leaders[0]
    if node is None:
        return None
    if city_word and node.level == "prefecture":
        node = _county_level_city(evidence, node, own)
    return _region([node])


def _county_level_city(evidence: _Evidence, prefecture: Division, own: dict[str, float]) -> Division:
    """The county-level city (瑞安市) a "市" body belongs to, when the page speaks for it rather
    than for its prefecture: it names the city's bodies, or names the city and never as a place
    visited (市督导组到瑞安市 is the prefecture's)."""
    towns = [k for k in evidence.table.children.get(prefecture.code, ()) if k.name.endswith("市")]
    if not towns:
        return prefecture
    bodies, visited = evidence.bodies, evidence.visited
    town = max(towns, key=lambda k: (bodies.get(k.code, 0.0), own.get(k.code, 0.0)))
    if bodies.get(town.code, 0.0) > bodies.get(prefecture.code, 0.0):
        return town
    if not visited.get(town.code) and own.get(town.code, 0.0) > own.get(prefecture.code, 0.0):
        return town
    return prefecture


def _region(candidates: list[Division]) -> Region | None:
    """The Region of one division, or the parts several candidates agree on."""
    table = division_table()
    regions = [_parts(table.chain(d)) for d in candidates]
    keys = ("province", "city", "county")
    agreed = {k: regions[0][k] if all(r[k] == regions[0][k] for r in regions) else None for k in keys}
    codes = [set(d.code for d in table.chain(c)) for c in candidates]
    shared = set.intersection(*codes)
    code = max(shared, key=lambda c: LEVELS.index(table.by_code[c].level), default=None)
    if not any(agreed.values()):
        return None
    return Region(province=agreed["province"], city=agreed["city"], county=agreed["county"], code=code)


def _parts(chain: list[Division]) -> dict[str, str | None]:
    province = chain[0]
    by_level = {d.level: d.name for d in chain}
    city = by_level.get("prefecture")
    if city is None and province.code in MUNICIPALITIES:
        city = province.name
    return {"province": province.name, "city": city, "county": by_level.get("county")}
