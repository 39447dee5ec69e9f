"""Direct tests of kelm.funcs.uuid."""

from __future__ import annotations

import re

from kelm.funcs.uuid import FUNCS, uuidv4

V4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_uuidv4_shape_and_uniqueness() -> None:
    seen = {uuidv4() for _ in range(200)}
    assert len(seen) == 200
    assert all(V4.match(u) for u in seen)


def test_uuidv4_signature() -> None:
    f = FUNCS["uuidv4"]
    assert f.params == () and f.result == "string" and not f.returns_error
