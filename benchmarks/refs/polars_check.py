import json, sys, polars as pl
df = pl.read_csv(sys.argv[1], infer_schema_length=100_000, schema_overrides={"关停退出时间": pl.Utf8})
t = pl.col("设施类型")
limit = pl.col("原料路线").replace_strict({"优质无烟块煤": 1150.0, "粉煤": 1500.0, "天然气": 1050.0}, default=None)
closed = pl.col("关停退出时间")
oven = t == "焦炉"
out = df.select(
    ((t == "燃煤发电机组") & (pl.col("机组类型") == "抽凝") & (pl.col("容量") <= 20)
     & (pl.col("供电煤耗(克标准煤/千瓦时)") > 300 + 1e-9 * 301)).sum().alias("B-CHP-SUPPLY-COAL"),
    ((t == "水泥熟料生产线") & (pl.col("可比熟料综合能耗(千克标准煤/吨)") > 110 + 1e-9 * 111)).sum().alias("B-CLINKER"),
    ((t == "合成氨装置") & (pl.col("合成氨单位产品综合能耗(千克标准煤/吨)") > limit * (1 + 1e-9) + 1e-9)).sum()
    .alias("B-AMMONIA"),
    (oven & (pl.col("炭化室高度(米)") <= 4.3)
     & ((closed.str.to_date("%Y-%m-%d", strict=False) > pl.date(2023, 10, 31)) | closed.is_in(["未关停", "否", "未完成"])))
    .sum().alias("B-OVEN-43"),
    (pl.col("容量").filter(oven & (pl.col("炭化室高度(米)") >= 5.5)).sum() / pl.col("容量").filter(oven).sum() * 100)
    .alias("share"),
).row(0, named=True)
share = out.pop("share")
print(json.dumps({"counts": {k: int(v) for k, v in out.items()}, "share": round(float(share), 6)}))
