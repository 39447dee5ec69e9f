"""Endless ``tpl`` recursion: Helm dies with Go's fatal stack overflow (nothing to record);
kelm must stop with a one-line error, quickly, instead of exhausting the C stack."""

import time

from tests.funcs.golden import render_case


def test_endless_tpl_recursion_is_an_error() -> None:
    case = {
        "id": "tpl-loop",
        "template": "{{ tpl .Values.loop . }}",
        "values": "loop: '{{ tpl .Values.loop . }}'\n",
    }
    t0 = time.monotonic()
    out, err = render_case(case)
    assert out is None
    assert err is not None and "\n" not in err.strip()
    assert time.monotonic() - t0 < 30
