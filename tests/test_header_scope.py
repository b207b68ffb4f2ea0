"""The header's 类别: a county's file says 县（市、区）, the city's own file or the roll-up of its
counties says 全市 (both are judged with the county scopes), an enterprise says 企业."""

import pytest

from cbcheck.model import Submission
from cbcheck.render.view import _scope


@pytest.mark.parametrize("entity,scope,want", [
    ("济宁市示例县", "county", "county"),
    ("济宁市任城区", "county", "county"),
    ("济宁市", "county", "region"),
    ("济宁市发展和改革委员会", "county", "region"),
    (None, "county", "county"),                    # no entity: nothing to say it is the city
    ("济宁市示例水泥有限公司", "enterprise", "enterprise"),
])
def test_scope_label(entity: str | None, scope: str, want: str) -> None:
    sub = Submission(path="x.xlsx", sha256="0" * 64, entity=entity, scope=scope, observations=())
    assert _scope(sub, "济宁市") == want
