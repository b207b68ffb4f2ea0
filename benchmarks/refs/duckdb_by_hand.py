import json, sys, duckdb
con = duckdb.connect()
row = con.execute("""
WITH t AS (SELECT * FROM read_csv(?, header=true, all_varchar=false))
SELECT
  count(*) FILTER (WHERE 设施类型 = '燃煤发电机组' AND 机组类型 = '抽凝' AND 容量 <= 20
                   AND "供电煤耗(克标准煤/千瓦时)" > 300 + 1e-9 * 301),
  count(*) FILTER (WHERE 设施类型 = '水泥熟料生产线' AND "可比熟料综合能耗(千克标准煤/吨)" > 110 + 1e-9 * 111),
  count(*) FILTER (WHERE 设施类型 = '合成氨装置' AND "合成氨单位产品综合能耗(千克标准煤/吨)" >
                   CASE 原料路线 WHEN '优质无烟块煤' THEN 1150 WHEN '粉煤' THEN 1500 WHEN '天然气' THEN 1050 END
                   * (1 + 1e-9) + 1e-9),
  count(*) FILTER (WHERE 设施类型 = '焦炉' AND "炭化室高度(米)" <= 4.3 AND
                   (try_cast(关停退出时间 AS DATE) > DATE '2023-10-31' OR 关停退出时间 IN ('未关停', '否', '未完成'))),
  sum(容量) FILTER (WHERE 设施类型 = '焦炉' AND "炭化室高度(米)" >= 5.5) / sum(容量) FILTER (WHERE 设施类型 = '焦炉') * 100
FROM t""", [sys.argv[1]]).fetchone()
names = ["B-CHP-SUPPLY-COAL", "B-CLINKER", "B-AMMONIA", "B-OVEN-43"]
print(json.dumps({"counts": dict(zip(names, map(int, row[:4]))), "share": round(float(row[4]), 6)}))
