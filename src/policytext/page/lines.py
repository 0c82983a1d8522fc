"""Line-level knowledge shared by the HTML and plain-text readers.

Which lines are page furniture (toolbars, footers, reactions, breadcrumbs) and which
carry labelled metadata (发布时间：…, 索引号 | …). Rules work on normalised text.
"""
from __future__ import annotations

import re

from ..documents import ATTACHMENT_TYPES

# Bracketed or bare control words of article toolbars. A match never starts in the middle of a run of
# spaces, and no two runs of spaces touch, so a long run is scanned once, not once per way of splitting it.
TOOLBAR_TOKEN_RE = re.compile(
    r"[【\[〖(（]?(?:(?<!\s)|(?!\s))\s*(?:(?:字体|字号)[：:]?\s*|[：:]\s*)?(?:大\s*中\s*小|小\s*中\s*大|默认|超大)\s*[】\]〗)）]?"
    r"|[【\[〖]\s*(?:打印(?:本页|文章|此页)?|关闭(?:本页|窗口|本文)?|收藏(?:本页)?|纠错|我要纠错|返回顶部|"
    r"分享|保存|加入收藏|打印正文|回到顶部|TOP|top)\s*[】\]〗]"
)
# Every toolbar token holds one of these; lines without any skip the costlier pattern.
TOOLBAR_HINT_RE = re.compile(r"大\s*中|小\s*中|默认|超大|【|\[|〖")
FURNITURE_LINE_RE = re.compile(
    r"^(?:打印本页|打印|关闭窗口|关闭|关闭本页|我要打印|我要纠错|纠错|收藏|加入收藏|返回顶部|回到顶部|返回|"
    r"上一篇|下一篇|上一条|下一条|相关链接|相关文章|相关阅读|相关新闻|最新评论|热门推荐|社区推荐|推荐阅读|"
    r"分享到[:：]?.*|扫一扫在手机(?:上)?打开当前页|扫一扫|背景颜色.*|(?:点击)?右上角(?:[^，。]{0,12}(?:浏览器|分享).*)?|"
    r"(?:选择)?在(?:默认|系统)?浏览器中?打开|"
    r"路过|雷人|握手|鲜花|鸡蛋|(?:路过|雷人|握手|鲜花|鸡蛋)[\s0-9]*|"
    r"阅读原文|预览时标签不可点|微信扫一扫(?:关注该公众号|可打开此内容.*)?|"
    r"喜欢此内容的人还喜欢|写留言|留言|在看|赞|分享|收藏|听全文|"
    r"当前位置[:：].*|您的位置[:：].*|你的位置[:：].*|您现在的位置[:：].*|位置[:：].*首页.*|"
    r"(?:首页|网站首页)\s*(?:[>›»/]|&gt;).*|.*\s(?:[>›»]|&gt;)\s*(?:正文|查看内容|详情|内容)|"
    r"(?:浏览|阅读|点击|访问)(?:次数|量|数)[:：]?\s*[0-9]*|"
    r"(?:上一篇|下一篇|上一条|下一条)[:：].*|没有了|无)$",
    re.I,
)
# Searched in the lower-cased line: literal alternatives without re.I let the regex engine skip
# ahead to their first characters, which matters on every line of every page.
FOOTER_RE = re.compile(
    r"icp备|icp证|公网安备|网站标识码|网站识别码|主办单位|承办单位|协办单位|技术支持|版权所有|copyright|©|"
    r"produced\s+by|网站地图|联系我们|网站声明|隐私声明|无障碍|适老化|ipv6|建议使用.*浏览器|分辨率|"
    r"政府网站找错|网站纠错|举报中心|违法和不良信息|仅供参考.{0,20}不作为|禁止复制|建立镜像|转载.{0,20}注明出处"
)
COMMENT_AREA_RE = re.compile(r"^(?:最新评论|评论列表|网友评论|发表评论|全部评论|查看全部评论|\d+\s*条评论)")
SUMMARY_RE = re.compile(r"^(?:摘要|内容摘要|导读)\s*[:：]")
# A link to one of the document's attachments (附件2：报名表.doc): part of the document, not a link list.
# Besides the types policytext reads, a line may name files it cannot (.ofd, .rar).
ATTACHMENT_LINK_RE = re.compile(rf"^(?:相关)?附件\s*\d{{0,2}}\s*[：:.．、]|\.(?:{'|'.join((*ATTACHMENT_TYPES, 'ofd', 'rar'))})\s*$",
                                re.I)
SENTENCE_END_RE = re.compile(r"[。！？；…”]$")

# Labelled metadata. Keys are labels with inner spaces removed.
LABEL_FIELDS = {
    "标题": "title", "名称": "title", "文件名称": "title", "信息名称": "title",
    "发布机构": "publisher", "发文机关": "publisher", "发文单位": "publisher", "发布单位": "publisher",
    "发文机构": "publisher", "公开单位": "publisher", "信息来源": "source", "来源": "source",
    "文章来源": "source", "稿件来源": "source", "来源单位": "source", "发布部门": "publisher",
    "来自": "source", "来源于": "source", "本文来源": "source",
    "发布日期": "publish_date", "发文日期": "publish_date", "发布时间": "publish_date",
    "信息发布时间": "publish_date", "信息发布日期": "publish_date", "文章发布时间": "publish_date",
    "公开日期": "publish_date", "公开时间": "publish_date", "发表时间": "publish_date", "发表日期": "publish_date",
    "时间": "date", "日期": "date", "更新时间": "updated",
    "成文日期": "written_date", "成文时间": "written_date", "印发日期": "written_date",
    "文号": "doc_number", "发文字号": "doc_number", "文件编号": "doc_number", "发文号": "doc_number",
    "索引号": "index_number", "信息索引号": "index_number", "信息索引": "index_number", "索取号": "index_number",
    "主题词": "subject_terms", "主题分类": "subject_terms", "分类": "subject_terms", "信息分类": "subject_terms",
    "时效": "validity", "有效性": "validity", "时效性": "validity", "效力状况": "validity",
    "作者": "author", "撰稿": "author", "撰稿人": "author", "记者": "reporter", "通讯员": "reporter",
    "责任编辑": "editor", "编辑": "editor", "责编": "editor", "审核": "reviewer", "校对": "reviewer",
    "审校": "reviewer", "终审": "reviewer", "摄影": "photographer", "图片": "photographer",
    "发布者": "poster", "发布人": "poster",
    "浏览次数": "ignore", "阅读次数": "ignore", "点击数": "ignore", "访问次数": "ignore", "查看": "ignore",
    "评论": "ignore", "内容概述": "ignore", "字号": "ignore", "字体": "ignore", "浏览量": "ignore",
    "阅读量": "ignore", "点击量": "ignore", "生成日期": "ignore", "体裁分类": "ignore", "组配分类": "ignore",
    "公开方式": "ignore", "公开范围": "ignore", "公开形式": "ignore", "内容分类": "ignore", "服务对象": "ignore",
}
_LABEL_ALTERNATION = "|".join(
    sorted(("\\s*".join(map(re.escape, label)) for label in LABEL_FIELDS), key=len, reverse=True)
)
LABELLED_RE = re.compile(rf"(?:^|(?<=[\s|【\[(（0-9]))({_LABEL_ALTERNATION})\s*[:：]\s*")
DISCUZ_STRIP_RE = re.compile(r"^\s*((?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s*\|")


def label_key(text: str) -> str:
    """'索 引 号：' -> '索引号'."""
    return re.sub(r"[\s:：]", "", text)


PAGER_LINE_RE = re.compile(r"上一篇|下一篇|上一条|下一条|上一页|下一页")


def is_furniture(line: str) -> bool:
    """Toolbars, navigation, reactions, counters: never body text."""
    if len(line) < 40 and PAGER_LINE_RE.search(line):
        return True
    stripped = drop_toolbar(line, "").strip(" \t|｜·•-—/")
    if not stripped:
        return True
    return bool(FURNITURE_LINE_RE.match(stripped))


def drop_toolbar(line: str, replacement: str) -> str:
    """``line`` with toolbar tokens (【打印】, 字号：大 中 小) replaced."""
    return TOOLBAR_TOKEN_RE.sub(replacement, line) if TOOLBAR_HINT_RE.search(line) else line


def is_footer(line: str) -> bool:
    return len(line) < 200 and bool(FOOTER_RE.search(line.lower()))


def looks_like_nav(line: str) -> bool:
    """Space-separated menu words: 首页 新闻中心 通知公告 ... with no sentence punctuation."""
    tokens = line.split()
    if len(tokens) < 3 or re.search(r"[，。；：！？,;:!?]", line):
        return False
    return all(len(t) <= 8 for t in tokens)


def labelled_pairs(line: str) -> list[tuple[str, str]]:
    """(field, value) pairs written as 'label：value' in an info strip.

    Values run to the next label; toolbar tokens are cut off.
    """
    matches = list(LABELLED_RE.finditer(line))
    pairs = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        value = drop_toolbar(line[m.end():end], " ")
        value = re.split(r"[|｜]|\s{2,}|【|\[", value)[0].strip(" ：:，,")
        pairs.append((LABEL_FIELDS[label_key(m.group(1))], value))
    return pairs


def is_info_strip(line: str) -> bool:
    """A short line of labelled metadata (发布时间：… 来源：… 【打印】), not a body sentence."""
    if DISCUZ_STRIP_RE.match(line):
        return True
    if len(line) > 220 or line.endswith("。"):
        return False
    matches = list(LABELLED_RE.finditer(line))
    if not matches or matches[0].start() > 1:
        return False
    if len(matches) >= 2:
        return True
    field = LABEL_FIELDS[label_key(matches[0].group(1))]
    return field != "date" and len(line) < 80


def label_row(header: list[str], values: list[str]) -> list[str] | None:
    """A metadata table written as a row of labels over a row of values (| 索取号 | 发布机构 | 文件编号 |
    over | 0764…/2024-00112 | 上海市… | 沪卫基层〔2024〕5号 |), as one row of label, value cells."""
    labels = [c for c in header if c.strip()]
    known = sum(label_key(c) in LABEL_FIELDS for c in labels)
    if len(header) != len(values) or known < 2 or known < 0.6 * len(labels) or \
            any(label_key(v) in LABEL_FIELDS for v in values if v.strip()):
        return None
    return [cell for pair in zip(header, values) for cell in pair]


def cell_pairs(cells: list[str]) -> list[tuple[str, str]]:
    """(field, value) pairs from a metadata table row: | 索引号 | 0142/2023-00125 | 发文日期 | … |."""
    pairs = []
    cells = [c.strip() for c in cells]
    i = 0
    while i < len(cells):
        key = label_key(cells[i])
        if key in LABEL_FIELDS:
            value = cells[i + 1] if i + 1 < len(cells) else ""
            if label_key(value) in LABEL_FIELDS:
                i += 1
                continue
            pairs.append((LABEL_FIELDS[key], value))
            i += 2
            continue
        inline = labelled_pairs(cells[i])
        if inline and LABELLED_RE.match(cells[i]):
            pairs.extend(inline)
        i += 1
    return pairs


# The frame around an article inside its container. Each pattern is a line shape, not a site.
ORIGINAL_TITLE_RE = re.compile(r"^[（(【\[]?\s*(?:本文)?原(?:标)?题(?:为)?\s*[:：《]")
BYLINE_RE = re.compile(r"^[【\[(（]?\s*(?:文|图|图文|作者|执笔|撰文|撰稿|编译|原创|记者|通讯员|文字|摄影|视频)"
                       r"\s*[/｜|：:]\s*\S")
REPORTER_LINE_RE = re.compile(r"^(?:《[^》]{1,12}》)?[\u4e00-\u9fffA-Za-z]{0,10}(?:记者|通讯员|实习生|特约撰稿人?|作者)\s*"
                              r"[\u4e00-\u9fff·]{2,4}(?:\s*[、,，\s]\s*[\u4e00-\u9fff·]{2,4})*$")
PROMO_RE = re.compile(r"(?:下载|安装)[^，。！]{0,12}(?:客户端|APP|App|app)|扫描[^，。]{0,12}二维码|"
                      r"关注[^，。]{0,15}(?:公众号|微信|微博|头条号)|【\s*(?:点击|下载|立即)[^】]{0,8}】|"
                      r"点击(?:进入|投票|查看|阅读|收听|关注)|点【在看】|请关注\s*[:：]|返回\S{0,10}首页|"
                      r"右上角[^，。]{0,12}(?:浏览器|分享)")
# Credits of several people in one short line: 药剂科供稿 摄影/张艳 编辑/苏芳.
CREDIT_WORD_RE = re.compile(r"供稿|撰稿|摄影|编辑|责编|审核|校对|初审|复审|终审|记者|通讯员|作者")
# The note under a law's or resolution's title: （2007年6月29日第十届…会议通过）.
ADOPTION_NOTE_RE = re.compile(r"^[（(][^（）()]{4,80}(?:通过|发布|公布|印发|修正|修订|施行)[）)]$")
MEDIA_WIDGET_RE = re.compile(r"^(?:图集|视频|自动播放|播放|音频)(?:\s|$)")
# A dateline of its own at the top of the text, alone or with the office that wrote it.
DATE_ONLY_RE = re.compile(r"^(?:(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
                          r"|[〇○零一二三四五六七八九]{4}年[〇○一二三四五六七八九十]{1,3}月[〇○一二三四五六七八九十]{1,3}日)"
                          r"(?:\s*\d{1,2}[:：]\d{2}(?::\d{2})?)?(?:\s+[\u4e00-\u9fff]{2,20})?$")
SUMMARY_HEADING_RE = re.compile(r"^(?:划重点|核心提示|内容提要|要点速览|导读|摘要)\s*[:：]?\s*$")
RELATED_HEADING_RE = re.compile(r"^(?:延伸阅读|相关阅读|相关新闻|相关文章|相关链接|相关报道|推荐阅读|延伸\s*[·•]?\s*推荐|猜你喜欢|"
                                r"热门推荐|热点推荐|更多精彩|往期回顾|往期推荐|相关专题|点击进入专题)\s*[:：>》]*\s*$")
CAPTION_RE = re.compile(r"^(?:图为|▲|△|图\s*[：:/|]|图片来源|图源|配图)|"
                        r"(?:摄|供图|资料图|资料|截图|图片来自\S*)\s*[)）]?\s*$|[（(][^（）()]{0,24}摄[)）]\s*$")
CLOSING_CREDIT_RE = re.compile(r"^[（(【\[]?\s*(?:本文来源|文章来源|稿件来源|信息来源|来源|责任编辑|编辑|责编|审核|校对|"
                               r"采写|采编|撰稿|供稿|编审|终审|初审|复审|监制|出品|文字|摄影)\s*[:：/|｜\s]")
DISCLAIMER_RE = re.compile(r"^[【\[]?(?:免责声明|郑重声明|版权声明|风险提示)|不代表[^。]{0,20}(?:观点|立场)|仅代表作者|"
                           r"未经[^。]{0,10}(?:允许|授权|许可)[^。]{0,10}(?:转载|复制|使用)|投资有风险|"
                           r"(?:信息|图片|内容|文章)?(?:均)?(?:来自|来源于|源于)网络|如有侵权|版权归原作者")
KEYWORD_LINE_RE = re.compile(r"^(?:关键字|关键词|文章关键词|标签|tags?)\s*[:：]?", re.I)
COUNTER_LINE_RE = re.compile(r"^(?:(?:阅读|浏览|点赞|在看|评论)\s*\d*|A\s*[+-]|\+\s*\d+)$")
SOURCE_NOTE_RE = re.compile(r"^[（(【\[]\s*(?:综合|资料来源|来源|编译|整理|据|本文来自|本文转自|转自|原文)"
                            r"[^）)】\]]{0,80}[）)】\]]$|对此文(?:亦)?有(?:所)?贡献|^(?:图文|图片|文图)来源\s*[:：]")
# Spaces are taken whole (possessive, and never from the middle of a run): a line of ten
# thousand spaces is one step, not one search from each of them.
END_MARK_RE = re.compile(r"(?<!\s)\s*+(?:[（(【\[]\s*+完\s*+[）)】\]]|-?\s*+END\s*+-?)\s*+$", re.I)
TRAILING_CREDIT_RE = re.compile(r"(?<=[。！？”」』!?.…])\s*[（(][^（）()，。,、：:；;！？]{2,16}[)）]\s*$")
TRAILING_PROMO_RE = re.compile(r"(?<=[。！？”」』!?.…])[^。！？]{0,40}?(?:返回\S{0,10}首页\s*[>》]*|点【在看】.*)$")
GALLERY_COUNTER_RE = re.compile(r"^\d{1,3}\s*/\s*\d{1,3}\s+(?=\S)")


def is_head_frame(line: str) -> bool:
    """Lines that come before an article's first paragraph without being part of it."""
    if len(line) > 160:
        return False
    return bool(ORIGINAL_TITLE_RE.match(line) or (len(line) <= 50 and BYLINE_RE.match(line))
                or REPORTER_LINE_RE.match(line) or PROMO_RE.search(line) or MEDIA_WIDGET_RE.match(line)
                or DATE_ONLY_RE.match(line) or RELATED_HEADING_RE.match(line) or ADOPTION_NOTE_RE.match(line))


def is_credit(line: str) -> bool:
    """A line that names the article's writers, photographers or editors."""
    return bool(is_closing_credit(line) or (len(line) <= 50 and BYLINE_RE.match(line))
                or REPORTER_LINE_RE.match(line))


def is_closing_credit(line: str) -> bool:
    """Editor, source and reporter credits under an article: nothing after them is the article."""
    line = drop_toolbar(line, "").strip()
    if len(line) > 60:
        return False
    return bool(CLOSING_CREDIT_RE.match(line) or REPORTER_LINE_RE.match(line)
                or (len(CREDIT_WORD_RE.findall(line)) >= 2 and not re.search(r"[，。；！？]", line)))


def ends_article(line: str) -> bool:
    """A line after which nothing is the article: credits, keywords, disclaimers, related lists."""
    return (is_closing_credit(line) or (len(line) <= 200 and DISCLAIMER_RE.search(line) is not None)
            or KEYWORD_LINE_RE.match(line) is not None or RELATED_HEADING_RE.match(line) is not None
            or END_MARK_RE.fullmatch(line) is not None)


def is_tail_frame(line: str) -> bool:
    """Lines that come after an article's last paragraph without being part of it."""
    if len(line) > 200:
        return False
    return bool(DISCLAIMER_RE.search(line) or KEYWORD_LINE_RE.match(line) or COUNTER_LINE_RE.match(line)
                or SOURCE_NOTE_RE.search(line) or ORIGINAL_TITLE_RE.match(line)
                or (len(line) <= 80 and PROMO_RE.search(line)) or is_closing_credit(line)
                or END_MARK_RE.fullmatch(line) is not None)


def strip_tail_credit(line: str) -> str:
    """The last paragraph without what trails its last sentence: （完）, (张三), 返回…首页>>."""
    previous = None
    while previous != line:
        previous = line
        line = END_MARK_RE.sub("", line)
        line = TRAILING_PROMO_RE.sub("", line)
        line = TRAILING_CREDIT_RE.sub("", line).rstrip()
    return line


def strip_counter(line: str) -> str:
    """'1/10 当全世界…' (a gallery's slide counter) -> '当全世界…'."""
    return GALLERY_COUNTER_RE.sub("", line)


def is_boilerplate(line: str) -> bool:
    """Site-wide text that is never an article: footers, disclaimers."""
    return is_footer(line) or (len(line) <= 200 and DISCLAIMER_RE.search(line) is not None)
