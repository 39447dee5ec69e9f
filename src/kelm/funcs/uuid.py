"""Sprig's ``uuidv4``: a random (version 4, RFC 4122 variant) UUID in canonical form."""

from __future__ import annotations

import uuid as _uuid

from kelm.golang.value import GoFunc, gofunc


@gofunc("func() string")
def uuidv4() -> str:
    return str(_uuid.uuid4())


FUNCS: dict[str, GoFunc] = {"uuidv4": uuidv4}
