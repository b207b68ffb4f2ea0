import json, sys, pandas as pd, pandera.pandas as pa
df = pd.read_csv(sys.argv[1], engine="pyarrow")
coal = (df["设施类型"] == "燃煤发电机组") & (df["机组类型"] == "抽凝") & (df["容量"] <= 20)
clinker = df["设施类型"] == "水泥熟料生产线"
nh3 = df["设施类型"] == "合成氨装置"
nh3_limit = df["原料路线"].map({"优质无烟块煤": 1150, "粉煤": 1500, "天然气": 1050})
old_oven = (df["设施类型"] == "焦炉") & (df["炭化室高度(米)"] <= 4.3)
SLACK = 1e-9
def le(limit):  # cbcheck's comparison: value <= limit with a relative slack of 1e-9 for float noise
    return limit + SLACK * (1 + abs(limit))
def oven_ok(s):
    # Nullable columns hand a check the column without its blanks: index back into the frame.
    sel = old_oven[s.index]
    text = s.astype(str)
    dates = pd.to_datetime(text, errors="coerce", format="%Y-%m-%d")
    late = dates > pd.Timestamp("2023-10-31")
    overdue = text.isin(["未关停", "否", "未完成"])
    return ~sel | ~(late | overdue)
schema = pa.DataFrameSchema({
    "供电煤耗(克标准煤/千瓦时)": pa.Column(float, nullable=True, checks=pa.Check(
        lambda s: ~coal[s.index] | (s <= le(300)), element_wise=False, name="B-CHP-SUPPLY-COAL")),
    "可比熟料综合能耗(千克标准煤/吨)": pa.Column(float, nullable=True, checks=pa.Check(
        lambda s: ~clinker[s.index] | (s <= le(110)), element_wise=False, name="B-CLINKER")),
    "合成氨单位产品综合能耗(千克标准煤/吨)": pa.Column(float, nullable=True, checks=pa.Check(
        lambda s: ~nh3[s.index] | (s <= le(nh3_limit[s.index])), element_wise=False, name="B-AMMONIA")),
    "关停退出时间": pa.Column(nullable=True, checks=pa.Check(oven_ok, element_wise=False, name="B-OVEN-43")),
})
counts = dict.fromkeys(["B-CHP-SUPPLY-COAL", "B-CLINKER", "B-AMMONIA", "B-OVEN-43"], 0)
try:
    schema.validate(df, lazy=True)
except pa.errors.SchemaErrors as exc:
    fc = exc.failure_cases
    bad = fc[~fc["check"].isin(counts)]
    assert bad.empty, bad.head()       # a check that raised is not a breach: fail loudly
    counts.update({k: int(v) for k, v in fc["check"].value_counts().items()})
print(json.dumps({"counts": counts}))
