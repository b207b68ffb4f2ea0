"""The wording table (DOMAIN.md §3) as data: which words make a comparator, a strength, a
year; which units a target number may carry. Extraction code reads only these tables, so a
new phrase is one line here and one test case in tests/draft/cases.yaml."""

from __future__ import annotations

import re

# Units a target number may carry, longest first so 万千瓦时 wins over 万千瓦. Lengths (米,
# 公里) and voltages (千伏) are left out on purpose: in plans they qualify a facility
# (500千伏 line, 500米 radius, 运距500公里以上), they are not targets.
UNITS = (
    "克标准煤/千瓦时", "克标煤/千瓦时", "克/千瓦时", "千克标准煤/吨", "吨标准煤/万元", "万吨标准煤", "吨标准煤",
    "微克/立方米", "万吨/年", "吨/年", "吨/日", "亿千瓦时", "万千瓦时", "亿立方米", "万立方米", "万平方米",
    "万千瓦", "千瓦", "GWh", "GW", "MW", "万吨", "吨", "万亩", "公顷", "亿元", "万元", "个百分点", "%",
    "台(套)", "台套", "万辆", "辆", "座", "台", "套", "家", "个", "处", "项", "条", "所", "户", "万人", "倍",
)
# How a unit is written in the draft (the policy files' spelling).
UNIT_SPELLING = {"克/千瓦时": "克标准煤/千瓦时", "克标煤/千瓦时": "克标准煤/千瓦时", "台(套)": "台套"}

NUMBER = r"(\d+(?:\.\d+)?)"
RANGE_SEP = r"[-—–~～至到]"
_UNIT = "(?:" + "|".join(re.escape(u) for u in UNITS) + ")"
MENTION = re.compile(NUMBER + r"(?:" + RANGE_SEP + NUMBER + r")?\s*(" + _UNIT + ")")
# A threshold table: 1150(优质无烟块煤制)、1320(非优质无烟块煤、型煤制)…千克标准煤/吨, two items at least,
# the unit once after the last one.
_ITEM = r"\d+(?:\.\d+)?\s*[(（][^()（）\d]{1,20}[)）]"
CATEGORY_ITEM = re.compile(r"(\d+(?:\.\d+)?)\s*[(（]([^()（）\d]{1,20})[)）]")
CATEGORY_TABLE = re.compile(_ITEM + r"(?:[、,，]" + _ITEM + r")+\s*(?P<unit>" + _UNIT + ")")

# Words just before the number (in its clause) that make it an upper bound.
AT_MOST_BEFORE = ("降至", "降到", "降低到", "降低至", "下降到", "下降至", "减少至", "减少到", "减至", "控制在",
                  "不超过", "不高于", "低于", "少于", "压减至", "压减到", "压降至", "缩减至")
AT_LEAST_BEFORE = ("不低于", "不少于", "高于", "超过", "突破")
EXCLUSIVE_BEFORE = ("超过", "突破", "高于", "低于", "少于", "大于")
AT_MOST_AFTER = ("以下", "以内")
AT_LEAST_AFTER = ("以上",)
# A verb that makes a number a target when it comes before it in the clause.
TARGET_VERBS = (
    "达到", "达", "提高到", "提高至", "提升到", "提升至", "增加到", "增加至", "增长到", "突破", "超过", "不低于",
    "保持在", "稳定在", "控制在", "降至", "降到", "降低到", "降低至", "下降到", "下降至", "减少至", "减少到", "减至",
    "下降", "降低", "减少", "提高", "提升", "增长", "建成", "建设", "新增", "完成", "累计", "创建", "培育", "打造",
    "实施", "开发", "淘汰", "形成", "推广", "压减", "处理", "利用", "为", "不超过", "不高于", "低于", "占比",
)
# A verb after a share with no verb before it: 90%大型矿山达到…, 水质92%达到或优于Ⅲ类.
REACH_AFTER = ("达到", "优于")
# A quantity in tonnes of these is a yearly capacity (制氢能力达到20万吨, 20万吨…综合利用项目).
CAPACITY_WORDS = ("能力", "产能")
# Change against a base year.
REDUCTION_VERBS = ("下降", "降低", "减少", "压减")
INCREASE_VERBS = ("提高", "提升", "增加", "增长")
GROWTH = re.compile(r"年均(?:增长|增速|提高)")

APPROXIMATE = ("左右", "约")
# A standing rule: it holds for every purchase, project or year, it is not reached by a date.
STANDING = ("原则上", "应按照", "应按", "须按照")
ASPIRATIONAL = ("力争", "努力", "争取", "鼓励", "力求", "积极推动", "推动")
BINDING = ("确保", "必须", "严禁", "全部", "全面", "坚决")

# Year phrases. A target year: 到2025年, 2025年底, 2025年前, 至2030年, “十四五”末/期间.
TARGET_YEAR = re.compile(r"(?:到|至|截至|力争|在)?(20[2-6]\d)年(?:底|末|前|以前)?")
BASE_YEAR = re.compile(r"(?:比|较|相比|与|同)(20[0-2]\d)年")
PLAN_PERIOD = re.compile(r"[“\"]?(十四五|十五五)[”\"]?(?:末|期间|时期|期末)?")
PERIOD_END = {"十四五": (2025, 2020), "十五五": (2030, 2025)}
# 2025年底前, 2023年6月底前, 2024年10月前 (not 2030年前: that is the horizon of a peak, not a date).
DEADLINE = re.compile(r"(20[2-6]\d)年(?:(\d{1,2})月(?:底|末)?|底|末)(?:前|以前)")

# Targets without a digit: the wording sets 100 % or 0. Each entry: pattern, value, unit.
WORD_TARGETS = (
    (re.compile(r"全覆盖"), 100.0, "%"),
    (re.compile(r"全部(?:实施|实现|完成|纳入|执行|达到|使用|按)"), 100.0, "%"),
    (re.compile(r"全面执行"), 100.0, "%"),
    (re.compile(r"严禁新增[^,，。；]{0,12}产能"), 0.0, "万吨/年"),
    (re.compile(r"(?:清零|全面取缔)"), 0.0, None),
)
WORD_TARGET_WORDS = ("全覆盖", "全部", "全面执行", "严禁新增", "清零", "全面取缔", "消除")
# 消除 X → 0 X, when X is something counted (not 基本消除: largely, not wholly).
ELIMINATE = re.compile(r"(?<!基本)消除")
COUNTABLE_ELIMINATED = ("断面", "水体", "河段", "企业")
