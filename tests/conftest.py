"""Suite-wide settings.

``KELM_TEST_CLOCK_SHIFT_DAYS=N`` runs every in-process test with kelm's clock (``kelm.clock``)
moved N days ahead, to prove that nothing in the suite depends on the day it runs.
"""

from __future__ import annotations

import os

_SHIFT = os.environ.get("KELM_TEST_CLOCK_SHIFT_DAYS")
if _SHIFT:
    from kelm import clock

    clock.shift(float(_SHIFT) * 86400)
