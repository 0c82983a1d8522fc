"""Responsible officials: one entry per person, with titles in written order and roles.

The rules follow how Chinese announcements write about officials: a title chain joined
by 、 and ， ends in the name (市教育局党组书记、局长，…常务副主任李明出席会议并讲话),
a name is followed by what the person did (主持 / 讲话 / 指出 / 带队 …), a title may
follow in brackets (李明（市教育局局长）), a later 李局长 refers back to 李明, and a name
with a title but no action (刘志宏书记“…”要求) is only mentioned.
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache

from ..labels import ROLES
from ..record import Official, Staff
from ..text.lexicon import jieba_dict_path, jieba_dict_stamp, lexicon

SURNAMES = (
    "习 欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 夏侯 端木 呼延 "
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 傅 方 白 邹 孟 熊 秦 邱 江 尹 薛 闫 阎 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 向 汤 常 温 康 施 文 牛 樊 葛 邢 安 齐 易 乔 伍 庞 颜 倪 庄 聂 章 鲁 岳 翟 殷 詹 申 欧 耿 关 兰 焦 俞 左 柳 甘 祝 包 宁 尚 符 舒 阮 柯 纪 梅 童 凌 毕 单 季 裴 霍 涂 成 苗 谷 盛 曲 翁 冉 骆 蓝 路 游 辛 靳 管 柴 蒙 鲍 华 喻 祁 蒲 房 滕 屈 饶 解 牟 艾 尤 阳 时 穆 农 司 卓 古 吉 缪 简 车 项 连 芦 麦 褚 娄 窦 戚 岑 景 党 宫 费 卜 冷 晏 席 卫 米 柏 宗 瞿 桂 全 佟 应 臧 闵 苟 邬 边 卞 姬 师 仇 栾 隋 商 刁 沙 荣 巫 寇 桑 郎 甄 丛 仲 虞 敖 巩 明 佘 池 查 麻 苑 迟 邝 官 封 谈 匡 鞠 惠 荆 乐 冀 郁 胥 南 班 储 原 栗 燕 楚 鄢 劳 谌 奚 皮 粟 冼 蔺 楼 盘 满 闻 位 厉 伊 仝 区 郜 海 阚 花 权 强 帅 屠 豆 朴 盖 练 廉 禹 井 祖 漆 巴 丰 支 卿 国 狄 平 计 索 宣 晋 相 初 门 云 容 敬 来 扈 晁 芮 都 普 阙 浦 戈 伏 鹿 薄 邸 雍 辜 羊 阿 乌 母 裘 亓 修 邰 赫 杭 况 那 宿 鲜 印 逯 隆 茹 诸 战 慎 危 玉 银 亢 嵇 公 哈 湛 宾 戎 勾 茅 利 於 呼 居 揭 干 但 尉 冶 斯 元 束 檀 衣 信 展 阴 昝 智 幸 奉 植 衡 富 尧 闭 由 赖 凤 扶 郦 萧 禤 招 蔚 牧 逄 禄 肇 郗 乜 丘 操 粘 旷 竺 库 拓 雒 濮 靖 逢 钮 仉 佀 郇 蓟 缑 訾 隗 钭 开"
).split()
_COMPOUND = tuple(s for s in SURNAMES if len(s) == 2)
_SINGLE = "".join(s for s in SURNAMES if len(s) == 1)

# Heads of title words: a title ends in one of these.
TITLE_HEADS = (
    "常务副主任 副主任 主任 副书记 书记 党组书记 党委书记 副局长 局长 副厅长 厅长 副部长 部长 副省长 省长 副市长 市长 "
    "副县长 县长 副区长 区长 副镇长 镇长 副乡长 乡长 副校长 校长 副院长 院长 副处长 处长 副科长 科长 副股长 股长 "
    "副主席 主席 副秘书长 秘书长 总督学 副总督学 督学 督导员 副组长 组长 组员 成员 委员 常委 副总监 总监 调研员 巡视员 "
    "专员 干事 主任督学 副园长 园长 副所长 所长 负责人 总督导 副馆长 馆长 副会长 会长 副理事长 理事长 教研员 主任科员 教授 "
    # Offices of every branch and level, at home and abroad, as news writes them.
    "总理 副总理 总统 副总统 首相 副首相 委员长 副委员长 主任委员 副主任委员 国务委员 国务卿 署长 副署长 司长 副司长 "
    "代理司长 发言人 新闻发言人 大使 公使 总领事 副总领事 领事 副领事 参赞 议员 参议员 众议员 议长 副议长 检察长 副检察长 "
    "庭长 副庭长 审判长 行政长官 特首 州长 副州长 旗长 副旗长 政委 司令员 司令 外长 外相 防长 财长 总督 市委书记 县委书记 "
    "区委书记 省委书记 常务副市长 常务副县长 常务副省长 常务副区长 常务副主席 常务副部长 特派员 巡视员 督察长 "
    "帮办 助理 部长助理 局长助理 主任助理 上将 中将 少将 大校 上校 中校 少校 执法人员 党魁 领导干部 领导"
).split()
TITLE_HEAD_RE = "|".join(sorted(map(re.escape, TITLE_HEADS), key=len, reverse=True))
# A title may carry a short qualifier in brackets: 副县长（援疆）, 副局长（挂职）.
TITLE_QUALIFIER = r"(?:[（(][\u4e00-\u9fff]{1,6}[）)])?"
TITLE_END_RE = re.compile(rf"(?:{TITLE_HEAD_RE}){TITLE_QUALIFIER}(?:同志)?")
ENDS_IN_TITLE_RE = re.compile(rf"(?:{TITLE_HEAD_RE}){TITLE_QUALIFIER}$")
# What a person does after the name, mapped to a role. Order is the order roles are listed in.
ROLE_CUES = (
    ("presided", r"主持"),
    ("led_inspection", r"带队|率队|(?:带领|率领|率)[^，。；]{0,20}?(?:督导组|检查组|调研组|工作组|专家组|评估组|督学|人员)|"
                       r"(?:担|(?<!主))任[^，。；、]{0,16}?(?<!副)组长|一行|的(?:带领|率领)下"),
    ("reported", r"汇报(?!会)|(?:就[^，。；]{1,24}?)?(?:作|做)了?[^，。；]{0,16}?(?:安排|部署|报告|说明|解读)|通报|"
                 r"介绍了?[^，。；]{0,12}情况|解读"),
    ("spoke", r"讲话|指出|强调|要求|表示|提出|致辞|发言|说|总结|点评|寄语|希望|动员|讲|交流|回答|介绍|叮嘱|"
              r"(?:作|做)了?[^，。；]{0,30}?(?:辅导|讲座|授课|培训|党课)|"
              r"发表|宣布|透露|称|认为|披露|坦言|回应|证实|警告|呼吁|承认|否认|提醒|建议|重申|谈到|谈及|告诉|"
              r"接受[^，。；]{0,12}?采访|答记者问|致函|致信"),
    ("attended", r"出席|参加|陪同|列席|参会|到会|参与"),
)
ACTION_RE = re.compile("|".join(f"(?P<{role}>{rx})" for role, rx in ROLE_CUES))
# Phrases whose verbs are not the person's own act: 听取…汇报, 受到通报表扬.
NOT_OWN_ACT_RE = re.compile(r"听取[^，。；]{0,20}?(?:汇报|报告|意见|介绍)|受到[^，。；]{0,12}|予以[^，。；]{0,8}|"
                            r"在[^，。；]{1,16}?(?:中|上|时|后|期间|之际)")
# What else an office-holder does in the news, named right after the name: the person, no role.
DEED_RE = re.compile(r"(?:担|(?<!主))任[^，。；、]{0,16}?(?:副组长|成员|组员)|签署|签发|批示|会见|会晤|接见|看望|慰问|视察|考察|调研|访问|出访|抵达|率团|主张|访华|公布|指挥|"
                     r"暗示|负有|被免职|免职|被撤职|撤职|落马|被查|辞职|上任|卸任|当选|访[华美日印俄欧韩朝英法德港台]")
# Time words and adverbs between a name and its verb: 温家宝9日主持, 冀岩上月曾表示.
BETWEEN_RE = re.compile(r"(?:(?:\d{1,2}月)?\d{1,2}日|日前|近日|昨日|今日|昨天|今天|前天|当天|当日|上午|下午|晚上|晚间|明确|"
                        r"前几天|几天前|近几天|既|(?:向|对|跟)[^，。；！？“”]{1,12}?|"
                        r"早前|此前|此间|近期|日内|上月|本月|上周|本周|上旬|中旬|下旬|曾经|曾|也|还|则|就|又|均|都|已|再|亦|"
                        r"即|随即|随后|首先|最后|特意|特别|专门|多次|一再|再次|公开|当场|现场|亲自|在会上|在会议上)+")
STRONG_AFTER_RE = re.compile(rf"[，。；、,;（(）)“”]|同志|先生|女士|博士|(?:{BETWEEN_RE.pattern})?(?:在[^，。；]{{1,10}}?)?"
                             rf"(?:{ACTION_RE.pattern}|{DEED_RE.pattern})")
BETWEEN_BEFORE_RE = re.compile(rf"(?:{BETWEEN_RE.pattern})$")
BRACKET_TITLE_RE = re.compile(rf"(?:同志)?[（(]([^）)]{{2,60}}?(?:{TITLE_HEAD_RE}))[）)]")
# The characters a cue can start with: a cheap lookahead lets the search skip every other
# position instead of trying each alternative there (tests check it matches the unguarded form).
CUE_FIRST_CHARS = "同主带率任担一汇就作做通介解讲指强要表提致发说总点寄希动交回出参陪列到叮（(宣透称认披坦证警呼承否建重谈告接答签批会看慰视考调访抵公暗负被免撤落辞上卸当"
CUE_PATTERN = rf"(?:同志)?(?:{ACTION_RE.pattern}|{DEED_RE.pattern})|{BRACKET_TITLE_RE.pattern}|同志"
CUE_RE = re.compile(rf"(?=[{CUE_FIRST_CHARS}])(?:{CUE_PATTERN})")
NAME_CORE = rf"(?:{'|'.join(_COMPOUND)}|[{_SINGLE}])[\u4e00-\u9fff]{{1,2}}"
LEFT_BOUNDARY = set("。；！？\n，,、：:“”\"'（(）) \t|")
LEFT_FUNCTION_WORDS = set("由请经据向对与和及同暨")
LEFT_OF_NAME = LEFT_BOUNDARY | LEFT_FUNCTION_WORDS
# Name followed by a title (刘志宏书记, 习近平总书记): a mention.
NAME_TITLE_RE = re.compile(
    rf"(?P<name>{NAME_CORE}?)(?P<title>总书记|(?:副)?(?:书记|局长|厅长|主任|县长|市长|省长|部长|区长|州长|司长|署长|处长|"
    rf"主席|总理|总统|委员长|秘书长|检察长|大使|议员|议长)|督学|校长|园长|发言人)"
    rf"(?![\u4e00-\u9fff]?(?:{TITLE_HEAD_RE}))")
# A name opening a clause, then (曾任, 现任, 系) its office up to the clause's end or a comma.
CLAUSE_OPENING_RE = re.compile(r"(?:^|(?<=[。；！？\n：:]))\s*(?:而|但|并|据|随后|其中|此外|同时)?")
# A speaker's name at the start of a line: 徐东华：大家下午好！
SPEAKER_COLON_RE = re.compile(r"[:：]")
SPEAKER_RE = re.compile(r"\s*[:：][^\n]{0,30}?(?:我|大家|各位|您|你们|谢谢|尊敬)")
OFFICE_AFTER_RE = re.compile(rf"[，,\s]*(?:曾任|现任|系|任|作为)?(?P<chain>[^，。；！？\n,:：]{{2,40}}?(?:{TITLE_HEAD_RE}))"
                             rf"(?=[，。；、,;\s]|$)")
# A transliterated name before the office it holds: 奥巴马总统要求…
FOREIGN_TITLE_RE = re.compile(r"副?(?:总统|总理|首相)|国务卿|参议员|众议员|议员|大使|外长|外相|防长|部长|发言人|主席|国王|女王|王储|亲王")
SURNAME_TITLE_RE = re.compile(
    rf"(?P<surname>{'|'.join(_COMPOUND)}|[{_SINGLE}])(?P<head>局长|厅长|主任|书记|县长|市长|校长|督学|组长|部长|处长|科长)")
CONTACT_RE = re.compile(r"联系人[:：]\s*(?:[^\s；;，,：:]{2,30}?[\s ]+)?")
LIST_JOIN_RE = re.compile(r"[、和及]")
# Characters of names transliterated from other languages (the Xinhua conventions): a run of them
# after an office is a name: 俄罗斯总统梅德韦杰夫, 国务卿希拉里, 发言人梅赫曼帕拉斯特.
TRANSLITERATION_CHARS = frozenset(
    "阿埃艾爱安昂奥澳巴拜班邦包保鲍贝本比彼毕边宾波伯勃博布蔡查柴昌达戴丹道德登迪蒂丁东杜敦多厄恩尔"
    "法凡范菲费芬丰冯佛夫弗福伏盖甘冈高戈哥格根贡古瓜圭哈海汉豪合赫黑亨洪侯胡华怀霍基吉加贾坚杰金卡凯久翰丁卜吕"
    "坎康考柯科克肯孔库夸奎昆拉莱赖兰朗劳勒雷蕾里利丽莉连列林琳铃柳卢鲁路伦罗洛玛马迈麦曼芒毛梅门蒙米"
    "敏明缪莫默姆穆纳娜奈南内尼涅宁纽努诺欧帕派潘庞佩彭皮珀普奇齐恰乔切钦琼丘屈让热容若瑞萨塞赛桑瑟森"
    "沙莎山尚绍舍申什施史士舒斯松苏索塔泰坦汤唐特滕提廷图托瓦万旺威韦维温文沃乌伍西希锡夏谢辛休雅亚"
    "扬耶叶伊依因英尤于约泽扎詹兹佐左茨胥茹逊")
FOREIGN_NAME_ENDERS = set("和与及等的在也还就曾则却既")  # 财政部长保尔森和…, 检察长布朗的办公室
# A name in Latin letters after an office: 部长BrendanO'Connor近日声明.
LATIN_NAME_RE = re.compile(r"[A-Z][A-Za-z.'’\-]{2,30}|[a-z]{3,20}(?=先生|女士|[，,。（(])")
TRANSLITERATED_RE = re.compile(r"[\u4e00-\u9fff]{2,}(?:[·•・\-][\u4e00-\u9fff]{2,}){0,2}")
# Names transliterated from Uyghur, Tibetan and other languages: 阿依古丽·买买提.
DOTTED_NAME_HEAD_RE = re.compile(r"[\u4e00-\u9fff]{2,6}[·•・‧](?=[\u4e00-\u9fff]{2})")
# After a list of names, others join them before the verb: …苏丽华，县政府办、县教育局负责同志参加会议.
# After a comma the clause goes on with the same subject: …出席会议，并讲话.
SAME_SUBJECT_RE = re.compile(r"[，,]\s*(?:并|并且|同时|还|随后|又|要求|强调|指出|表示|希望|提出)")
JOINED_BY_OTHERS_RE = re.compile(r"[，,]\s*(?:以及|及|和)?[^。；！？\n]{0,60}?(?:负责同志|负责人|同志|代表|干部)"
                                 r"(?:等[^，。；]{0,10}?)?(?:参加|出席|列席|陪同)")
CLAUSE_BREAK = "。；！？\n"
CLAUSE_BREAK_RE = re.compile(f"[{CLAUSE_BREAK}]")
CLAUSE_STOP_RE = re.compile(f"[{CLAUSE_BREAK}，,]")  # where the clause after a name may end
CHAIN_SPLIT_RE = re.compile(r"[、，,]")
# Bounds on reading a title chain: real chains hold at most a few titles of at most 40 characters.
MAX_CHAIN_TITLES = 8
MAX_TITLE_PART = 100
MAX_TITLE_CHARS = 40  # 天津宝坻石桥工业园区管理委员会主任: an organisation's full name and an office
# 出席会议的有…, 参加督导的人员还有…: a list of people follows.
LIST_OPENER = r"的(?:领导|嘉宾|同志|人员|专家|成员|代表)?还?有(?![关限])"
# A title part starts after these: 督导组由…, 会议议程：…, 会上，…, 出席会议的有….
CHAIN_CUTS = (r"(?<![自理])由(?!于)|[：:]|会上|期间|(?:带队|率队)(?:的|领导)?(?:是|为)|(?:担|(?<!主))任[^，。；、]{0,16}?组长|"
              + LIST_OPENER)
CHAIN_CUT_RE = re.compile(rf"^.*(?:{CHAIN_CUTS})")
# 在…的带领下 / 的陪同下 / 的主持下: the title chain starts after 在.
IN_CARE_OF_RE = re.compile(r"的[^，。；、]{0,6}?下")
CHAIN_CUT_AT_ZAI_RE = re.compile(rf"^.*(?:{CHAIN_CUTS}|在)")
# Roles a label gives the people listed after it: 带队领导：…, 组长：…, 带队的是…, 成员：….
LABEL_ROLES = (
    ("led_inspection", re.compile(r"(?:带队领导|带队人|带队|率队|(?<!副)组长)\s*(?:[：:]|的?是|为)\s*$")),
    ("attended", re.compile(r"(?:成员|组员|副组长)\s*[：:]\s*$")),
)
# 出席会议的有…, 参加活动的领导还有…: everyone the sentence then lists attended, unless a verb of
# their own says what they did.
ATTENDANCE_LIST_RE = re.compile(r"(?:出席|参加|参与|列席|到会|参会|陪同)[^，,。；！？：:\n]{0,10}?" + LIST_OPENER)
SENTENCE_BREAK_RE = re.compile(r"[。；！？\n]")
MAX_ATTENDANCE_LIST = 150  # characters from the label to the last person listed
# Time words that open a sentence before its title chain: 周三(25日)英国首相…, 9日上午县长….
LEADING_TIME_RE = re.compile(r"^(?:[(（]?(?:(?:\d{4}年)?\d{1,2}月)?\d{1,2}日[)）]?|[(（]?(?:周|星期)[一二三四五六日天][)）]?|"
                             r"[昨今前]天|当[天日]|日前|近日|上午|下午|晚上|\s)*")
LEADING_WORDS_RE = re.compile(r"^[^\u4e00-\u9fffA-Za-z0-9]*(?:随后|最后|同时|此外|其中|并|以及|和|及|而|但|另外|据|经|请|了|向|与|同|由|被|将|把)?")
NOT_TITLE_RE = re.compile(r"对|了|邀请|开展|召开|进行|举行|参加|出席|听取|的|是|在|他|她|你|像|决心|有请")
# Officials are holders of public office (see ``_public_office``): a person is kept when one of their
# titles may be one, or when a label names them (联系人：, a speaker's colon); a name with no title
# is not kept.
SCHOOL_RE = re.compile(r"学校|中学|小学|幼儿园|附中|附小|中心校|完小|教学点")
NOT_PUBLIC_BODY_RE = re.compile(r"大学|学院|医院|卫生院|诊所|公司|集团|企业|银行|证券|"
                                r"基金会|协会|学会|商会|研究会|研究院|研究所|实验室|事务所|报社|杂志|电视台|出版社|俱乐部|"
                                r"工作室")
NOT_PUBLIC_POST_RE = re.compile(r"(?:教授|研究员|讲师|导师|总监|总裁|董事长|董事|总经理|经理|CEO|创始人|主编|医师|医生|"
                                r"护士长|教练|球员|老师|教师|律师|分析师|工程师|设计师|主持人|校长|园长|专家)(?:助理)?$")
CIVIL_SERVICE_RE = re.compile(r"巡视员|调研员|人民政府|政府|人大|政协|督学|督导|教育局|教体局|教育厅|教育部|教委")
LEADERSHIP_POST_RE = re.compile(r"(?:主任|书记|秘书长|主席|委员|部长|司长|局长|厅长|处长|科长|署长|常委|发言人)(?:助理)?$")
# Surname + form of address: 付小姐, 冯警官 — a person, but not named.
ADDRESS_FORMS = ("先生", "女士", "小姐", "阿姨", "阿婆", "老师", "师傅", "经理", "警官", "同学", "大爷", "大妈", "老板",
                 "老人", "医生", "律师", "记者", "家长", "博士", "总", "工", "姐", "哥", "叔", "伯", "婆", "爷", "某", "某某")
NOT_NAME_CHARS = set("的了在与及于对是将把被从到等各本我你他她它这那也都就并又所议上下要们员体"
                     "去样说让给像使着过很最曾已次些么什此而但却因"
                     "部组委区县市省镇乡村级者校局处科股队团社司厅府院室办班副总务")
COMMON_WORD_FREQ = 100
EVERYDAY_WORD_FREQ = 1000
FUNCTION_TAGS = frozenset("v d c p r u ad".split())
CONJUNCTION_SURNAMES = set("同由")
CONJUNCTIONS = set("和与及跟同")
STAFF_LABELS = r"记者|通讯员|摄影|摄像|图片|责任编辑|编辑|责编|撰稿|供稿|审核|审校|校对|初审|复审|终审|发布者|作者|文字|文/图"
STAFF_NAME = r"[\u4e00-\u9fff]{2,6}[·•・][\u4e00-\u9fff]{2,6}|[\u4e00-\u9fff]{2,4}"
STAFF_RE = re.compile(
    rf"(?P<label>{STAFF_LABELS})\s*(?:(?P<colon>[:：])\s*)?"
    rf"(?P<names>(?:(?!{STAFF_LABELS})(?:{STAFF_NAME})(?:[\s、，,]+)?){{1,4}})"
)
# A byline in brackets at the end of the body: （县教育局 宋佳琪）.
BRACKET_BYLINE_RE = re.compile(r"(?m)^[（(](?P<org>[\u4e00-\u9fff]{2,20}?(?:局|厅|室|中心|学校|站|委|办))\s+"
                               r"(?P<names>[\u4e00-\u9fff]{2,4}(?:[\s、]+[\u4e00-\u9fff]{2,4}){0,3})[）)]\s*$")
STAFF_ROLE = {"记者": "reporter", "通讯员": "reporter", "撰稿": "author", "供稿": "author", "作者": "author",
              "摄影": "photographer", "摄像": "photographer", "图片": "photographer", "责任编辑": "editor",
              "编辑": "editor", "责编": "editor", "审核": "reviewer", "审校": "reviewer", "校对": "reviewer",
              "终审": "reviewer", "初审": "reviewer", "复审": "reviewer", "发布者": "poster", "文字": "author",
              "文/图": "author"}
ORG_HINT_RE = re.compile(r"(?:省|市|县|区|州|盟|旗|镇|乡|局|厅|部|委|办|室|院|校|园|所|组|会|处|科|中心|政府)")
# Function words that given names also use (王为民, 于有斌, 周荫如, 李得胜): allowed only in a name that
# stands between a title and punctuation, 先生 or a verb of office.
FUNCTION_NAME_CHARS = set("为有如得再无不多更会")
# What a given name cannot contain: a character outside the CJK block, a function word, an organisation hint.
NOT_GIVEN_NAME_RE = re.compile(rf"[^\u4e00-\u9fff]|[{''.join(sorted(NOT_NAME_CHARS | FUNCTION_NAME_CHARS))}]|"
                               rf"{ORG_HINT_RE.pattern}")
# 会 both ends organisations (学会) and is common in given names (黄会云): in context, the name wins.
NOT_GIVEN_NAME_IN_CONTEXT_RE = re.compile(rf"[^\u4e00-\u9fff]|[{''.join(sorted(NOT_NAME_CHARS))}]|"
                                          rf"{ORG_HINT_RE.pattern.replace('|会|', '|')}")


@dataclass
class _Mention:
    """One place a person is named, with what the text says there."""

    name: str
    start: int
    end: int  # end of the name and of any bracketed title after it
    titles: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    chain_start: int = -1
    labelled: bool = False  # named by a label: a notice's 联系人, a speaker's colon in a transcript


def find_officials(text: str, boundaries: set[int] | None = None) -> tuple[list[Official], list[Staff]]:
    """Officials named in ``text`` and, separately, credited reporters/editors.

    ``boundaries`` are word starts from the segmenter: a name must begin at one.
    """
    staff, staff_spans = _find_staff(text)
    finder = _Finder(text, boundaries, staff_spans)
    mentions = finder.titled() + finder.cued() + finder.contacts() + finder.appositions()
    mentions = finder.with_list_members(mentions)
    _share_roles_along_lists(text, mentions)
    mentions += finder.name_title_mentions()
    people = _merge(mentions)
    finder.add_later_mentions(people)
    finder.add_surname_references(people)
    people = [p for p in people if p.labelled or any(map(_public_office, p.titles))]
    officials = [Official(name=p.name, titles=p.titles,
                          roles=[r for r in ROLES if r in p.roles] or ["mentioned"],
                          span=(p.start, p.start + len(p.name)))
                 for p in people]
    officials.sort(key=lambda o: o.span[0])
    return officials, staff


class _Finder:
    """The mention rules over one text. Where clauses and chain parts start is looked up in sorted
    positions, so that a long paragraph is not walked again for every name in it."""

    def __init__(self, text: str, boundaries: set[int] | None, excluded: list[tuple[int, int]]):
        self.text = text
        self.boundaries = boundaries
        self.excluded_starts, self.excluded_ends = _merged(excluded)
        self.clause_breaks = [m.start() for m in CLAUSE_BREAK_RE.finditer(text)]
        self.chain_splits = [m.start() for m in CHAIN_SPLIT_RE.finditer(text)]
        self.line_starts = {0, *(m.end() for m in re.finditer("\n", text))}

    def titled(self) -> list[_Mention]:
        """Names right after a title chain: 县教育局党组书记、局长高振宇…"""
        out = []
        for m in TITLE_END_RE.finditer(self.text):
            span = self._name_at(m.end())
            if span and not STRONG_AFTER_RE.match(self.text, span[1]) and self._inside_content_word(m.end()):
                continue  # 社科院长江流域, 万州长江二桥: the title's last character begins a place name
            if span is None and self.text.startswith("的", m.end()):  # 时任国家总理的邓小平访问日本
                span = self._name_at(m.end() + 1)
                span = span if span and STRONG_AFTER_RE.match(self.text, span[1]) else None
            if span is None:
                continue
            titles, chain_start = self._titles_before((m.end(), span[1]))
            if titles:
                out.append(self._mention(span, titles, chain_start))
        return out

    def cued(self) -> list[_Mention]:
        """Names right before what the person did or a bracketed title: 李明指出, 李明（局长）."""
        out = []
        for m in CUE_RE.finditer(self.text):
            cue = m.start()
            between = BETWEEN_BEFORE_RE.search(self.text, max(0, cue - 12), cue)
            if between and self.boundaries is not None and between.start() not in self.boundaries:
                between = None  # 向监察对象…提出: the 对 of 对象 starts no phrase
            span = _name_before(self.text, between.start() if between else cue, self.boundaries)
            if span is None:
                continue
            titles, chain_start = self._titles_before(span)
            mention = self._mention(span, titles, chain_start)
            if mention.titles or mention.roles:
                out.append(mention)
        return out

    def appositions(self) -> list[_Mention]:
        """A name opening a clause with its office after it: 冯志明，县建设局局长; 周光全曾任…委员."""
        out = []
        for m in CLAUSE_OPENING_RE.finditer(self.text):
            pos = m.end()
            head = self.text[pos:pos + 2]
            if not head or (head[0] not in _SINGLE and head not in _COMPOUND):
                continue
            if not (TITLE_END_RE.search(self.text, pos + 2, pos + 4 + MAX_TITLE_CHARS)
                    or SPEAKER_COLON_RE.search(self.text, pos + 2, pos + 7)):
                continue
            span = self._name_at(pos)
            if span is None or not _plausible_name(self.text[span[0]:span[1]], titled=False):
                continue
            name = self.text[span[0]:span[1]]
            if m.start() in self.line_starts and SPEAKER_RE.match(self.text, span[1]):
                out.append(_Mention(name, span[0], span[1], roles=["spoke"], labelled=True))  # 徐东华：大家下午好！
                continue
            chain = OFFICE_AFTER_RE.match(self.text, span[1])
            if chain is None or NOT_TITLE_RE.search(chain.group("chain")):
                continue
            titles = [t for t in CHAIN_SPLIT_RE.split(chain.group("chain")) if t]
            out.append(_Mention(name, span[0], span[1], titles))
        return out

    def contacts(self) -> list[_Mention]:
        """联系人：县人民政府教育督导室 牛卫平."""
        out = []
        for m in CONTACT_RE.finditer(self.text):
            span = self._name_at(m.end())
            if span:
                out.append(_Mention(self.text[span[0]:span[1]], span[0], span[1], labelled=True))
        return out

    def with_list_members(self, mentions: list[_Mention]) -> list[_Mention]:
        """Names listed after a titled name share its titles: 督学刘春燕、王建参加…"""
        out = []
        for mention in sorted(mentions, key=lambda m: m.start):
            out.append(mention)
            current = mention
            while True:
                join = LIST_JOIN_RE.match(self.text, current.end)
                span = self._name_at(join.end()) if join else None
                if span is None or self.text.startswith(("（", "("), span[1]) or self._opens_title(span[0]):
                    break
                current = self._mention(span, list(mention.titles), join.start())
                _extend(current.roles, _label_roles(self.text, mention.chain_start))
                if not current.roles and _in_attendance_list(self.text, mention.chain_start):
                    current.roles.append("attended")
                out.append(current)
        return out

    def _opens_title(self, start: int) -> bool:
        """The list item at ``start`` is a title chain of its own (王勇、区文化委副主任李爱武): what
        looks like a name there (区文化) begins an organisation."""
        end = start + MAX_TITLE_CHARS
        for stops in (self.chain_splits, self.clause_breaks):
            i = bisect_left(stops, start)
            if i < len(stops):
                end = min(end, stops[i])
        return TITLE_END_RE.search(self.text, start, end) is not None

    def name_title_mentions(self) -> list[_Mention]:
        """刘志宏书记 / 习近平总书记: a name with a title word, no chain (merged with the person's other
        mentions, so that 习近平对… found first still gets the title)."""
        out = []
        for m in NAME_TITLE_RE.finditer(self.text):
            name, start = m.group("name"), m.start("name")
            if self._excluded(start) or not _plausible_name(name):
                continue
            if self.boundaries is not None:
                if start not in self.boundaries or m.end("name") not in self.boundaries:
                    continue
            elif start and self.text[start - 1] not in LEFT_OF_NAME:
                continue
            if start and self.text[start - 1].isdigit():
                continue
            if self._name_at(m.end()):
                continue  # 全经联副秘书长陈宝存: the name comes after the title; before it stands the body
            mention = _Mention(name, start, start + len(name), [m.group("title")])
            mention.roles = _roles_after(self.text, m.end(), immediate=True)
            out.append(mention)
        for m in FOREIGN_TITLE_RE.finditer(self.text):
            start = m.start()
            while start > max(0, m.start() - 12) and (self.text[start - 1] in TRANSLITERATION_CHARS
                                                      or self.text[start - 1] in "·•・"):
                start -= 1
            name = self.text[start:m.start()]
            if self._excluded(start) or len(name.strip("·•・")) < 2:
                continue
            if (start and self.text[start - 1] not in LEFT_OF_NAME) or \
                    (self.boundaries is not None and start not in self.boundaries):
                continue
            if lexicon().count(name) > COMMON_WORD_FREQ and name not in _dictionary_names():
                continue
            mention = _Mention(name, start, start + len(name), [m.group(0)])
            mention.roles = _roles_after(self.text, m.end(), immediate=True)
            out.append(mention)
        return out

    def add_later_mentions(self, people: list[_Mention]) -> None:
        """李明指出 … 李明强调: every place the full name recurs adds what the person did there.

        A place where a longer name begins (李明华 for 李明) belongs to that name. All names are
        looked for in one pass over the text, however many people there are.
        """
        by_name = {p.name: p for p in people}
        if not by_name:
            return
        lengths = sorted({len(name) for name in by_name}, reverse=True)
        first_chars = re.compile(f"[{re.escape(''.join({name[0] for name in by_name}))}]")
        free_from: dict[str, int] = {}  # occurrences of one name do not overlap (as re.finditer finds them)
        for m in first_chars.finditer(self.text):
            start = m.start()
            here = [name for name in (self.text[start:start + n] for n in lengths) if name in by_name]
            free = [name for name in here if free_from.get(name, 0) <= start]
            for name in free:
                free_from[name] = start + len(name)
            if not free or free[0] != here[0]:
                continue  # no name here, or the longest one here overlaps its own last occurrence
            person = by_name[here[0]]
            if start == person.start or self._excluded(start):
                continue
            after, end = _titles_after(self.text, start + len(person.name))
            _extend(person.titles, after)
            _extend(person.roles, _roles_after(self.text, end))

    def add_surname_references(self, people: list[_Mention]) -> None:
        """李局长指出 refers back to the one 李 whose title ends in 局长."""
        titled: dict[tuple[str, str], list[_Mention]] = {}  # (surname, title head) -> people it may mean
        heads = {m.group("head") for m in SURNAME_TITLE_RE.finditer(self.text)}
        for p in people:
            for head in heads:
                if any(t.endswith(head) for t in p.titles):
                    for surname in {p.name[:1], p.name[:2]}:
                        titled.setdefault((surname, head), []).append(p)
        for m in SURNAME_TITLE_RE.finditer(self.text):
            candidates = titled.get((m.group("surname"), m.group("head")), [])
            if len(candidates) <= 2:
                candidates = [p for p in candidates if p.name != m.group(0)]
            if len(candidates) == 1:
                _extend(candidates[0].roles, _roles_after(self.text, m.end()))

    def _mention(self, span: tuple[int, int], titles: list[str], chain_start: int) -> _Mention:
        start, end = span
        after, after_end = _titles_after(self.text, end)
        mention = _Mention(self.text[start:end], start, after_end, titles + after, chain_start=chain_start)
        mention.roles = _roles_after(self.text, after_end)
        _extend(mention.roles, _label_roles(self.text, chain_start))
        if not mention.roles and _in_attendance_list(self.text, chain_start):
            mention.roles.append("attended")
        if re.search(r"组长由$", self.text[max(0, chain_start - 3):chain_start]) and \
                self.text.startswith("担任", after_end):
            _extend(mention.roles, ["led_inspection"])
        return mention

    def _name_at(self, start: int) -> tuple[int, int] | None:
        """The most plausible name beginning at ``start``, judged by what follows it.

        A name followed by punctuation or a verb of office stands on its own; otherwise the
        segmenter must also end a word where the name ends (督导室主任何志强对…).
        """
        if self._excluded(start):
            return None
        dotted = DOTTED_NAME_HEAD_RE.match(self.text, start)
        if dotted:  # the name ends where punctuation, a verb of office or a rank follows
            for end in range(dotted.end() + 2, min(dotted.end() + 6, len(self.text)) + 1):
                if self._foreign_name_ends(end):
                    return start, end
        latin = LATIN_NAME_RE.match(self.text, start)
        if latin and self._foreign_name_ends(latin.end()):  # 部长BrendanO'Connor近日声明
            return start, latin.end()
        best, best_rank = None, None
        for length in (2, 3, 4):
            end = start + length
            if end > len(self.text):
                break
            name = self.text[start:end]
            word_end = self.boundaries is None or end in self.boundaries or end == len(self.text)
            colon = self.text.startswith(("：", ":"), end)  # 秘书长周荫如：…, but 负责人普法：…
            line_end = end == len(self.text) or self.text[end] in "\r\n"  # 秘书长周荫如 at the end of a line
            is_strong = colon or line_end or bool(STRONG_AFTER_RE.match(self.text, end))
            if not (is_strong or word_end) or not _plausible_name(name, in_context=is_strong):
                continue
            if (not is_strong or colon) and lexicon().count(name) > EVERYDAY_WORD_FREQ:
                continue  # an everyday word the dictionary also calls a name (荣誉, 高峰) needs a verb after it
            if name[-1] in CONJUNCTIONS and not is_strong:
                continue  # 姚刚和国家外汇管理局…: the name ends before the conjunction
            rank = (is_strong, word_end, length == 3)
            if best_rank is None or rank > best_rank:
                best, best_rank = (start, end), rank
        foreign = self._transliterated_at(start)
        # 俄罗斯总统梅德韦杰夫当天…: a longer transliterated name up to a verb beats a Chinese-looking head.
        if foreign and (best is None or (not best_rank[0] and foreign[1] > best[1] and foreign[1] - start >= 4)):
            return foreign
        return best

    def _inside_content_word(self, pos: int) -> bool:
        """The segmenter reads ``pos`` inside a word that is not a function word (长江 in 院长江流域;
        but 任何 in 主任何志强对… is the segmenter's mistake)."""
        if self.boundaries is None or pos in self.boundaries:
            return False
        start = next((i for i in range(pos - 1, max(-1, pos - 5), -1) if i in self.boundaries), None)
        end = next((i for i in range(pos + 1, min(len(self.text), pos + 5) + 1) if i in self.boundaries), None)
        return start is None or end is None or self.text[start:end] not in _function_words()

    def _transliterated_at(self, start: int) -> tuple[int, int] | None:
        """A foreign name at ``start``: transliteration characters up to a verb or punctuation."""
        if start >= len(self.text) or self.text[start] not in TRANSLITERATION_CHARS:
            return None
        m = TRANSLITERATED_RE.match(self.text, start, start + 24)
        if not m:
            return None
        for end in range(m.end(), start + 1, -1):
            run = self.text[start:end]
            if all(ch in TRANSLITERATION_CHARS or ch in "·•・-" for ch in run) and \
                    (self._foreign_name_ends(end) or end - start >= 3 and self._ends_transliteration(end)):
                return start, end
        return None

    def _ends_transliteration(self, end: int) -> bool:
        """The segmenter ends a word at ``end`` and the next word is not spelled in transliteration
        characters (美国总统奥巴马最初…, 总统梅德韦杰夫特意…)."""
        if self.boundaries is None or end not in self.boundaries:
            return False
        next_end = next((i for i in range(end + 1, min(end + 5, len(self.text)) + 1) if i in self.boundaries), end + 1)
        return any(ch not in TRANSLITERATION_CHARS for ch in self.text[end:next_end])

    def _foreign_name_ends(self, end: int) -> bool:
        """Where a foreign name may end: punctuation, a verb, a conjunction, a rank or title after it."""
        return (end >= len(self.text) or self.text[end] in FOREIGN_NAME_ENDERS
                or STRONG_AFTER_RE.match(self.text, end) is not None or TITLE_END_RE.match(self.text, end) is not None)

    def _excluded(self, pos: int) -> bool:
        i = bisect_right(self.excluded_starts, pos) - 1
        return i >= 0 and pos < self.excluded_ends[i]

    def _titles_before(self, span: tuple[int, int]) -> tuple[list[str], int]:
        """The title chain that ends right before the name, split on 、 and ，, and where it starts.

        The chain is read part by part backwards from the name; a part is read from its last
        ``MAX_TITLE_PART`` characters, and at most ``MAX_CHAIN_TITLES`` parts are taken.
        """
        text = self.text
        start, end = span
        chain_cut = CHAIN_CUT_AT_ZAI_RE if IN_CARE_OF_RE.match(text, end) else CHAIN_CUT_RE
        breaks = self.clause_breaks
        clause_start = breaks[bisect_left(breaks, start) - 1] + 1 if bisect_left(breaks, start) else 0
        chain: list[str] = []
        chain_start = start
        pos = start  # the end of the part being read
        while len(chain) < MAX_CHAIN_TITLES:
            i = bisect_left(self.chain_splits, pos)
            split = self.chain_splits[i - 1] if i else -1
            part_start = max(split + 1, clause_start)
            stripped = text[max(part_start, pos - MAX_TITLE_PART):pos].strip()
            if not stripped or not ENDS_IN_TITLE_RE.search(stripped):
                break
            cut = chain_cut.match(stripped)
            title = stripped[cut.end():] if cut else stripped
            # A verb phrase the title reaches back over (获取对原中国足协副主席, 分管…工作的副局长): the title
            # starts after its last word.
            reach = None
            for reach in NOT_TITLE_RE.finditer(title):
                pass
            if reach is not None:
                title, cut = title[reach.end():], cut or reach
            title = title[LEADING_TIME_RE.match(title).end():]
            title = title[LEADING_WORDS_RE.match(title).end():]
            if len(title) < 2 or len(title) > MAX_TITLE_CHARS or not ENDS_IN_TITLE_RE.search(title):
                break
            chain.append(title)
            chain_start = pos - len(title)
            if cut or part_start == clause_start:
                break
            pos = part_start - 1
        chain.reverse()
        return chain, chain_start


def _merge(mentions: list[_Mention]) -> list[_Mention]:
    """One entry per name, at its first mention, with titles and roles gathered in order."""
    people: dict[str, _Mention] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        person = people.setdefault(m.name, _Mention(m.name, m.start, m.end))
        _extend(person.titles, m.titles)
        _extend(person.roles, m.roles)
        person.labelled |= m.labelled
    return list(people.values())


def _public_office(title: str) -> bool:
    """Whether a title may name a public office.

    A profession is none (清华大学教授, 市场总监, 学军中学校长), nor is any post in a school, whose
    staff are the ones inspected; nor a post in a university, hospital, company or association
    (安徽师范大学副校长, 中国地理学会副理事长), unless it is a leadership post that bodies close to
    government also have (银行业监督管理委员会副主席, 行业协会秘书长). A civil-service rank always is one
    (科学技术协会副巡视员).
    """
    if CIVIL_SERVICE_RE.search(title):
        return True
    if NOT_PUBLIC_POST_RE.search(title) or SCHOOL_RE.search(title):
        return False
    return not (NOT_PUBLIC_BODY_RE.search(title) and not LEADERSHIP_POST_RE.search(title))


def _share_roles_along_lists(text: str, mentions: list[_Mention]) -> None:
    """县教育局党组书记、局长覃志远，副局长莫丽华分别带队: the verb at the end is everyone's."""
    ordered = sorted(mentions, key=lambda m: m.start)
    for left, right in zip(reversed(ordered[:-1]), reversed(ordered[1:])):
        gap_start = right.chain_start if right.chain_start >= 0 else right.start
        if not left.roles and left.end <= gap_start and re.fullmatch(r"[，,、和及与\s]*", text[left.end:gap_start]):
            left.roles = list(right.roles)


def _plausible_name(name: str, titled: bool = True, in_context: bool = False) -> bool:
    """Name-shaped and not an ordinary dictionary word (高质量, 强化), unless the dictionary calls it a name.

    A surname-like character before an adverb, a conjunction or a preposition (教授都难以) is no
    name; before a verb it is one only after a title (局长李振兴, 市长陈必胜, but 原告诉称).
    """
    if not _name_shape(name, in_context) or ENDS_IN_TITLE_RE.search(name) or name.endswith(ADDRESS_FORMS):
        return False
    if len(name) > 2 and name[0] in CONJUNCTION_SURNAMES and lexicon().count(name[1:]) > COMMON_WORD_FREQ:
        return False  # 由相关…: a function word, not the surname
    given = name[2:] if name[:2] in _COMPOUND else name[1:]
    if len(given) == 2 and _function_words().get(given, "v" if titled else "") != ("v" if titled else ""):
        return False
    if not titled and lexicon().count(name) > COMMON_WORD_FREQ:
        return False  # 温馨提醒: without a title, a word of the dictionary is that word
    return lexicon().count(name) <= COMMON_WORD_FREQ or name in _dictionary_names()


@cache
def _dictionary_names() -> frozenset[str]:
    """Frequent words jieba's dictionary tags as person names (杨建华), cached beside the segmenter's dictionary."""
    from ..cache import cached_text

    def build() -> str:
        names = []
        with open(jieba_dict_path(), encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) == 3 and parts[2].startswith("nr") and int(parts[1]) > COMMON_WORD_FREQ:
                    names.append(parts[0])
        return "\n".join(names)

    key = hashlib.sha1(jieba_dict_stamp().encode()).hexdigest()[:12]
    return frozenset(cached_text("names", key, build).split())


@cache
def _function_words() -> dict[str, str]:
    """Two-character verbs ("v") and adverbs, conjunctions, prepositions, pronouns and particles
    ("f") of jieba's dictionary common enough never to be a given name (告诉, 难以, 能够).

    Cached beside the segmenter's dictionary: reading jieba's whole dictionary for them took
    0.3–0.4 s of every cold ``policytext extract``."""
    from ..cache import cached_text

    def build() -> str:
        words = []
        with open(jieba_dict_path(), encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) == 3 and len(parts[0]) == 2 and parts[2] in FUNCTION_TAGS and \
                        int(parts[1]) > COMMON_WORD_FREQ:
                    words.append(f"{parts[0]}\t{'v' if parts[2] == 'v' else 'f'}")
        return "\n".join(words)

    key = hashlib.sha1("\0".join([jieba_dict_stamp(), str(COMMON_WORD_FREQ), *sorted(FUNCTION_TAGS)])
                       .encode()).hexdigest()[:12]
    return dict(line.split("\t", 1) for line in cached_text("function-words", key, build).split("\n") if "\t" in line)


def _name_shape(name: str, in_context: bool = False) -> bool:
    """Surname first, then one or two characters that do not look like an ordinary word
    (``in_context``: the name stands between a title and punctuation or a verb)."""
    if len(name) < 2 or len(name) > 4:
        return False
    given = name[2:] if name[:2] in _COMPOUND else name[1:]
    if name[0] not in _SINGLE and name[:2] not in _COMPOUND:
        return False
    not_given = NOT_GIVEN_NAME_IN_CONTEXT_RE if in_context else NOT_GIVEN_NAME_RE
    return 0 < len(given) <= 2 and not not_given.search(given)


def _name_before(text: str, cue: int, boundaries: set[int] | None = None) -> tuple[int, int] | None:
    """The name that ends at ``cue``: its left edge must be a boundary or end a title, and the
    segmenter must start a word at ``cue`` (原告诉称 is no 原告诉 saying anything)."""
    if boundaries is not None and cue not in boundaries:
        return None
    best = None
    for length in (2, 3, 4):
        start = cue - length
        if start < 0:
            break
        if boundaries is not None and start not in boundaries:
            continue
        before = text[start - 1] if start else "\n"
        if before.isdigit():
            continue
        titled = bool(ENDS_IN_TITLE_RE.search(text[max(0, start - 8):start]))
        if (before in LEFT_OF_NAME or titled) and _plausible_name(text[start:cue], titled):
            best = (start, cue)
    return best or _foreign_name_before(text, cue, boundaries)


def _foreign_name_before(text: str, cue: int, boundaries: set[int] | None) -> tuple[int, int] | None:
    """A transliterated name of at least three characters ending at ``cue``: 布林克还称."""
    start = cue
    while start > max(0, cue - 12) and (text[start - 1] in TRANSLITERATION_CHARS or text[start - 1] in "·•・"):
        start -= 1
    name = text[start:cue].strip("·•・")
    start = cue - len(name)
    if len(name.replace("·", "")) < 3 or (boundaries is not None and start not in boundaries):
        return None
    before = text[start - 1] if start else "\n"
    if before not in LEFT_OF_NAME and not ENDS_IN_TITLE_RE.search(text[max(0, start - 8):start]):
        return None
    if lexicon().count(name) > COMMON_WORD_FREQ and name not in _dictionary_names():
        return None
    return start, cue


def _label_roles(text: str, chain_start: int) -> list[str]:
    """Roles from a label right before the title chain (带队领导：县教育局副局长…)."""
    if chain_start < 0:
        return []
    before = text[max(0, chain_start - 10):chain_start]
    return [role for role, rx in LABEL_ROLES if rx.search(before)]


def _in_attendance_list(text: str, chain_start: int) -> bool:
    """The title chain stands in a list that 出席会议的有… opens, within the same sentence."""
    if chain_start < 0:
        return False
    sentence = text[max(0, chain_start - MAX_ATTENDANCE_LIST):chain_start]
    listed = None
    for listed in ATTENDANCE_LIST_RE.finditer(sentence):
        pass
    return listed is not None and not SENTENCE_BREAK_RE.search(sentence, listed.end())


def _titles_after(text: str, end: int) -> tuple[list[str], int]:
    """Titles in brackets right after the name: 李明（市教育局局长）, and 同志."""
    m = BRACKET_TITLE_RE.match(text, end)
    if m:
        return [t.strip() for t in CHAIN_SPLIT_RE.split(m.group(1)) if t.strip()], m.end()
    if text.startswith("同志", end):
        return [], end + 2
    return [], end


def _roles_after(text: str, end: int, immediate: bool = False) -> list[str]:
    """Roles named by the verbs of the clause that follows the name.

    The clause ends at a full stop, or at a comma unless what follows goes on with
    the same subject (…出席会议，并讲话). With ``immediate`` the clause must open with
    the verb (刘志宏书记“四个领先”要求: 要求 is a noun there).
    """
    stop, joined, limit = end, False, min(len(text), end + 60)
    while not text.startswith("、", end):
        found = CLAUSE_STOP_RE.search(text, stop, limit)
        if found is None:
            stop = limit
            break
        stop = found.start()
        if text[stop] in CLAUSE_BREAK:
            break
        if JOINED_BY_OTHERS_RE.match(text, stop) and not ACTION_RE.search(text, end, stop):
            joined = True
            break
        # The sentence goes on with the same subject: …出席会议，并讲话; 对照标准，通报了….
        if not (SAME_SUBJECT_RE.match(text, stop)
                or (not ACTION_RE.search(text, end, stop) and ACTION_RE.match(text, stop + 1))):
            break
        stop += 1
    clause = NOT_OWN_ACT_RE.sub(lambda m: "　" * len(m.group(0)), text[end:stop])
    if immediate and not ACTION_RE.match(clause.lstrip("　")):
        return []
    roles = list(dict.fromkeys(m.lastgroup for m in ACTION_RE.finditer(clause) if m.start() <= 30))
    return roles + ["attended"] if joined and "attended" not in roles else roles


def find_staff(text: str) -> list[Staff]:
    """Reporters, photographers and editors credited in ``text`` (a byline or credit line)."""
    return _find_staff(text)[0]


def _find_staff(text: str) -> tuple[list[Staff], list[tuple[int, int]]]:
    staff, spans = [], []
    for m in STAFF_RE.finditer(text):
        role = STAFF_ROLE[m.group("label")]
        # A byline (文字：…, （记者 …）) may credit names without a Han surname (其其格); in prose
        # ("记者从会上了解到") only surname-first names count.
        byline = bool(m.group("colon")) or m.start() == 0 or text[m.start() - 1] in "\n（( "
        names_text = m.group("names")
        offset = m.start("names")
        for nm in re.finditer(STAFF_NAME, names_text):
            name = nm.group(0)
            surname_first = name[0] in _SINGLE or name[:2] in _COMPOUND
            if any(ch in NOT_NAME_CHARS or ch in FUNCTION_NAME_CHARS for ch in name[0 if not surname_first else 1:]) or \
                    not (surname_first or byline and not ORG_HINT_RE.search(name)):
                break
            staff.append(Staff(name=name, role=role, span=(offset + nm.start(), offset + nm.end())))
        spans.append((m.start(), m.end()))
    for m in BRACKET_BYLINE_RE.finditer(text):
        for nm in re.finditer(r"[\u4e00-\u9fff]{2,4}", m.group("names")):
            if re.fullmatch(STAFF_LABELS, nm.group(0)):
                continue  # （县教育局 供稿）: credits the office, names nobody
            start = m.start("names") + nm.start()
            staff.append(Staff(name=nm.group(0), role="author", span=(start, start + len(nm.group(0)))))
        spans.append((m.start(), m.end()))
    return staff, spans


def _merged(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Starts and ends of ``spans`` with overlapping ones joined, for lookups by bisection."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(spans):
        if starts and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _extend(items: list[str], new: list[str]) -> None:
    for item in new:
        if item and item not in items:
            items.append(item)
