"""Template errors with Go's positions and message shapes.

``str(err)`` is exactly the text Go's text/template produces, so hosts (Helm's error
reformatting in :mod:`kelm.render`) can work on the same strings Helm does, while the
attributes give structured access.
"""

from __future__ import annotations


class TemplateError(Exception):
    """Base class for every error the template engine raises."""


class ParseError(TemplateError):
    """``template: NAME:LINE: MSG`` (Go's parse errors carry no column)."""

    def __init__(self, name: str, line: int, msg: str) -> None:
        self.name = name
        self.line = line
        self.msg = msg
        super().__init__(f"template: {name}:{line}: {msg}")


class ExecError(TemplateError):
    """``template: NAME:LINE:COL: executing "NAME" at <NODE>: MSG``.

    ``cause`` is the wrapped error when the message came from elsewhere: a function's
    :class:`~kelm.golang.value.GoError` (``msg`` then reads ``error calling F: ...``) or
    the :class:`ExecError` of a nested ``include``/``template`` execution.
    """

    def __init__(
        self,
        name: str,
        line: int,
        col: int,
        node: str,
        msg: str,
        cause: BaseException | None = None,
        file: str | None = None,
    ) -> None:
        self.name = name
        # Go prints the location against the file the node was parsed from (a template
        # defined in file F and executed as "N" reads `F:L:C: executing "N"`).
        self.file = file or name
        self.line = line
        self.col = col
        self.node = node
        self.msg = msg
        self.cause = cause
        self.tree: object = None  # the parse tree whose code raised it, if known
        super().__init__(self._text())

    def _text(self) -> str:
        return (f'template: {self.file}:{self.line}:{self.col}: executing "{self.name}" '
                f'at <{self.node}>: {self.msg}')

    def relabel(self, name: str, file: str, tree: object) -> None:
        """Name another template with the same text as the one that failed (templates
        with identical text share their compiled code, hence their raised errors)."""
        self.name, self.file, self.tree = name, file, tree
        self.args = (self._text(),)


class PlainExecError(TemplateError):
    """An execution error without position, as Go reports some (``template: no template
    "x" associated with template "y"``, ``exceeded maximum template depth (100000)``)."""
