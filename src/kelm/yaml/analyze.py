"""libyaml's scalar analysis (yaml_emitter_analyze_scalar), reduced to the flags the block
emitter needs: may the string be written plain, single-quoted, or as a literal block?"""

from __future__ import annotations

from kelm import recache

# go-yaml's is_printable: \n, 0x20-0x7E, U+00A0-U+D7FF, U+E000-U+FFFD except BOM. Everything
# else (tab, CR, DEL, C1 controls, astral code points) forces double quotes.
# (spelled as the complement: negated Unicode classes take ~40 ms to compile)
_SPECIAL = recache.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff]"
)
# go-yaml v3 treats tabs apart: no plain/single-quoted style, but a literal block is fine.
_SPECIAL_V3 = recache.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff]"
)
_SPACE_BREAK = recache.compile(" [\n\r\x85\u2028\u2029]")
_BREAK_SPACE = recache.compile("[\n\r\x85\u2028\u2029] ")
_FIRST_BOTH = frozenset("#,[]{}&*!|>'\"%@`")
_BLANKZ = frozenset(" \t\n\r\x85\u2028\u2029")

PLAIN, SINGLE, DOUBLE, LITERAL = 0, 1, 2, 3


class Analysis:
    """Which styles libyaml allows for a scalar in block context."""

    __slots__ = ("block_plain", "single", "block", "multiline", "flow_plain")

    def __init__(self, block_plain: bool, single: bool, block: bool, multiline: bool,
                 flow_plain: bool) -> None:
        self.block_plain = block_plain
        self.single = single
        self.block = block
        self.multiline = multiline
        self.flow_plain = flow_plain


_RARE_BREAKS = recache.compile("[\r\x85\u2028\u2029]")
_cache: dict[tuple[str, bool], Analysis] = {}


def analyze(s: str, v3: bool = False) -> Analysis:
    if len(s) > 256:
        return _analyze(s, v3)
    key = (s, v3)
    hit = _cache.get(key)
    if hit is None:
        hit = _analyze(s, v3)
        if len(_cache) > 100_000:
            _cache.clear()
        _cache[key] = hit
    return hit


def _analyze(s: str, v3: bool) -> Analysis:
    """Flags for block context (flow-context plainness is never needed: output is block)."""
    if not s:
        return Analysis(True, True, False, False, False)
    tabs = v3 and "\t" in s
    if s.isascii():  # C-speed path: ASCII is printable exactly for 0x20-0x7E
        t = s.replace("\n", " ")
        if tabs:
            t = t.replace("\t", " ")
        special = not t.isprintable()
        rare = "\r" in s
    else:
        special = (_SPECIAL_V3 if v3 else _SPECIAL).search(s) is not None
        rare = _RARE_BREAKS.search(s) is not None
    nl = "\n" in s
    line_breaks = nl or rare
    if rare:
        break_space = _BREAK_SPACE.search(s) is not None
        space_break = _SPACE_BREAK.search(s) is not None
    else:
        break_space = nl and "\n " in s
        space_break = nl and " \n" in s
    last = s[-1]
    trailing_space = last == " "
    single = not (break_space or space_break or special or tabs)
    block = not (trailing_space or space_break or special)
    if line_breaks or special or tabs or trailing_space or s[0] == " ":
        return Analysis(False, single, block, line_breaks, False)
    first = s[0]
    block_ind = s.startswith(("---", "...")) or first in _FIRST_BOTH
    if not block_ind:
        if first in "?:-":
            block_ind = len(s) == 1 or s[1] in _BLANKZ
        if not block_ind and len(s) > 1:
            block_ind = (": " in s or ":\t" in s or " #" in s or "\t#" in s
                         or (last == ":"))
    return Analysis(not block_ind, single, block, False, not block_ind)
