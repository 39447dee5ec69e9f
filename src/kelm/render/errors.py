"""Helm's rewriting of template errors into the messages ``helm template`` prints.

* parse errors: ``parse error at (FILE:LINE): MSG`` (last ``": "``-separated piece of Go's text);
* ``required``/``fail``: ``execution error at (FILE:LINE:COL): MSG`` (the message travels
  between ``HELM_ERR_START``/``HELM_ERR_END`` markers);
* other execution errors: the wrapped-error chain is walked; if every link is a
  ``template: ...`` error the multi-line form is printed (one block per include level),
  otherwise Go's original single line is kept.
"""

from __future__ import annotations

import re

from kelm._slots import ValueRecord
from kelm.funcs.helm import WARN_END, WARN_START
from kelm.lazyre import lazy_compile

_WARN = lazy_compile(WARN_START + r"(.*)" + WARN_END, re.S)  # error paths only


class RenderError(Exception):
    """A render failure whose ``str()`` is Helm's message."""


def cleanup_parse_error(filename: str, text: str) -> str:
    tokens = text.split(": ")
    if len(tokens) == 1:
        return f"parse error in ({filename}): {text}"
    return f"parse error at ({tokens[1]}): {tokens[-1]}"


class _Traceable(ValueRecord):
    """One link of Helm's error chain (``location``, ``executed`` call, ``message``)."""

    __slots__ = ("location", "message", "executed")

    def __init__(self, location: str = "", message: str = "", executed: str = "") -> None:
        self.location = location
        self.message = message
        self.executed = executed

    def render(self) -> str:
        out = ""
        if self.location:
            out += f"{self.location}\n  "
        if self.executed:
            out += f"{self.executed}\n    "
        if self.message:
            out += f"{self.message}\n"
        return out


def _parse_exec_text(s: str) -> _Traceable | None:
    prefix = "template: "
    if not s.startswith(prefix):
        return None
    rest = s[len(prefix) :]
    if rest.startswith("no template "):
        return _Traceable(message=s)
    idx = rest.find(": executing ")
    if idx != -1:
        name = rest[:idx]
        after = rest[idx + len(": executing ") :]
        if after.startswith('"'):
            end = after.find('"', 1)
            if end != -1:
                func = after[1:end]
                after_func = after[end + 1 :]
                if after_func.startswith(" at <"):
                    after_at = after_func[len(" at <") :]
                    end_loc = after_at.find(">: ")
                    if end_loc != -1:
                        loc = after_at[:end_loc]
                        msg = after_at[end_loc + 3 :]
                        cut = msg.find(" template:")
                        if cut != -1:
                            msg = msg[:cut]
                        return _Traceable(name, msg, f'executing "{func}" at <{loc}>:')
    sep = rest.rfind(": ")
    if sep != -1:
        msg = rest[sep + 2 :]
        cut = msg.find(" template:")
        if cut != -1:
            msg = msg[:cut]
        return _Traceable(rest[:sep], msg)
    return None


def error_chain(err: BaseException) -> list[str]:
    """The texts of Go's wrapped-error chain for an engine error."""
    from kelm.gotemplate.errors import ExecError

    texts: list[str] = []
    cur: BaseException | None = err
    seen = 0
    while cur is not None and seen < 10000:
        seen += 1
        texts.append(str(cur))
        if isinstance(cur, ExecError):
            nxt = cur.cause
            if nxt is None:
                texts.append(str(cur))  # the fmt.Errorf text behind ExecError, same text
                break
            texts.append(str(cur))  # the "%w" wrapper: same text as the ExecError
            cur = nxt
            continue
        nxt = getattr(cur, "cause", None) or cur.__cause__
        cur = nxt
    return texts


def reformat_exec_error(filename: str, err: BaseException) -> str:
    """``reformatExecErrorMsg``: Helm's text for an execution error of ``filename``."""
    from kelm.gotemplate.errors import ExecError

    text = str(err)
    if not isinstance(err, ExecError):
        return text
    tokens = text.split(": ", 2)
    if len(tokens) != 3:
        return f"execution error in ({filename}): {text}"
    m = _WARN.search(tokens[2])
    if m:
        return f"execution error at ({tokens[1]}): {m.group(1)}"
    locations: list[_Traceable] = []
    for link in error_chain(err):
        tr = _parse_exec_text(link)
        if tr is None:
            return text
        if not locations or locations[-1] != tr:
            locations.append(tr)
    return "".join(t.render() for t in locations).strip(" \t\n\r\v\f")
