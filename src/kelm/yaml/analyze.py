"""libyaml's scalar analysis (yaml_emitter_analyze_scalar), reduced to the flags the block
emitter needs: may the string be written plain, single-quoted, or as a literal block?"""

from __future__ import annotations

import re

# go-yaml's is_printable: \n, 0x20-0x7E, U+00A0-U+D7FF, U+E000-U+FFFD except BOM. Everything
# else (tab, CR, DEL, C1 controls, astral code points) forces double quotes.
_SPECIAL = re.compile(r"[^\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
# go-yaml v3 treats tabs apart: no plain/single-quoted style, but a literal block is fine.
_SPECIAL_V3 = re.compile(r"[^\t\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
_BREAKS = "\n\r\x85\u2028\u2029"
_BREAK_RE = re.compile("[\n\r\x85\u2028\u2029]")
_SPACE_BREAK = re.compile(" [\n\r\x85\u2028\u2029]")
_BREAK_SPACE = re.compile("[\n\r\x85\u2028\u2029] ")
_FIRST_BOTH = frozenset("#,[]{}&*!|>'\"%@`")
_BLANKZ = frozenset(" \t\n\r\x85\u2028\u2029")
# Later characters: ": " / ":" at end is a block indicator, " #" too.
_BLOCK_IND = re.compile("[:][ \t\n\r\x85\u2028\u2029]|:\\Z|[ \t\n\r\x85\u2028\u2029]#")

PLAIN, SINGLE, DOUBLE, LITERAL = 0, 1, 2, 3


class Analysis:
    __slots__ = ("block_plain", "single", "block", "multiline", "flow_plain")

    def __init__(self, block_plain: bool, single: bool, block: bool, multiline: bool,
                 flow_plain: bool) -> None:
        self.block_plain = block_plain
        self.single = single
        self.block = block
        self.multiline = multiline
        self.flow_plain = flow_plain


_FLOW_ANY = re.compile(r"[,?\[\]{}]")


_cache: dict[tuple[str, bool], Analysis] = {}


def analyze(s: str, v3: bool = False) -> Analysis:
    key = (s, v3)
    hit = _cache.get(key)
    if hit is None:
        hit = _analyze(s, v3)
        if len(_cache) > 100_000:
            _cache.clear()
        _cache[key] = hit
    return hit


def _analyze(s: str, v3: bool) -> Analysis:
    if not s:
        return Analysis(True, True, False, False, False)
    tabs = v3 and "\t" in s
    special = (_SPECIAL_V3 if v3 else _SPECIAL).search(s) is not None
    line_breaks = _BREAK_RE.search(s) is not None
    first = s[0]
    followed_ws = len(s) == 1 or s[1] in _BLANKZ
    block_ind = flow_ind = False
    if s.startswith(("---", "...")):
        block_ind = flow_ind = True
    if first in _FIRST_BOTH:
        block_ind = flow_ind = True
    elif first in "?:":
        flow_ind = True
        if followed_ws:
            block_ind = True
    elif first == "-" and followed_ws:
        block_ind = flow_ind = True
    rest = s[1:]
    if not block_ind and rest and _BLOCK_IND.search(rest):
        block_ind = True
    if not flow_ind and rest and (_FLOW_ANY.search(rest) or ":" in rest or
                                  _BLOCK_IND.search(rest)):
        flow_ind = True
    leading = first == " " or first in _BREAKS
    last = s[-1]
    trailing_space = last == " "
    trailing = trailing_space or last in _BREAKS
    break_space = line_breaks and _BREAK_SPACE.search(s) is not None
    space_break = line_breaks and _SPACE_BREAK.search(s) is not None
    plain = not (leading or trailing or break_space or space_break or special or line_breaks
                 or tabs)
    flow_plain = plain and not flow_ind
    block_plain = plain and not block_ind
    single = not (break_space or space_break or special or tabs)
    block = not (trailing_space or space_break or special)
    return Analysis(block_plain, single, block, line_breaks, flow_plain)
