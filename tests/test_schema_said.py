"""Schema violations are catalogue sentences built from jsonschema's fields (the validator, its value,
the instance), so a policy author reads them in Chinese; the English keeps jsonschema's wording
where it is known ("… is a required property", "… is not one of …")."""

from __future__ import annotations

from typing import Any

import pytest

from cbcheck.schemas import schema_errors

WAIVER = {"rule": "JN-X", "entity": "济宁市兖州区", "reason": "测试", "document": "济发改〔2025〕1号",
          "approved_by": "济宁市发展和改革委员会", "expires": "2026-06-30"}


def _waivers(**changes: Any) -> dict[str, Any]:
    return {"schema_version": 1, "policy": "jining-carbon-peak", "waivers": [{**WAIVER, **changes}]}


# (schema, document, field, Chinese, English)
CASES = [
    ("waivers", {**_waivers(), "foo": 1, "bar": 2}, "(top)", "不允许的字段：'foo'、'bar'",
     "Additional properties are not allowed: 'foo', 'bar'"),
    ("waivers", {"schema_version": 1, "policy": "jining-carbon-peak"}, "(top)", "缺少必填字段 'waivers'",
     "'waivers' is a required property"),
    ("waivers", {**_waivers(), "schema_version": 2}, "schema_version", "应为 1", "1 was expected"),
    ("waivers", _waivers(reason=""), "waivers.0.reason", "'' 不能为空", "'' should be non-empty"),
    ("waivers", _waivers(reason=3), "waivers.0.reason", "3 的类型应为文本", "3 is not of type 'string'"),
    ("waivers", [1, 2], "(top)", "[1, 2] 的类型应为映射（键：值）", "[1, 2] is not of type 'object'"),
    ("waivers", _waivers(expires="明年"), "waivers.0.expires", "'明年' 的写法不符合要求",
     "'明年' does not match"),
]


@pytest.mark.parametrize("schema,data,field,zh,en", CASES, ids=[c[3][:20] for c in CASES])
def test_a_violation_in_both_languages(schema: str, data: Any, field: str, zh: str, en: str) -> None:
    found = {where: msg for where, msg in schema_errors(schema, data)}
    assert field in found, found
    assert zh in found[field].text("zh")
    assert en in str(found[field])


def test_a_long_value_is_cut_in_the_message() -> None:
    [(where, msg)] = list(schema_errors("waivers", ["x" * 500]))
    assert where == "(top)" and len(msg.text("zh")) < 100 and "…" in msg.text("zh")
