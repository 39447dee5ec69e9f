"""Values: loading values files, the ``--set`` family, and Helm's coalescing rules.

Public API: :class:`ValueOptions` (``merge_values()``), :func:`coalesce_values`,
:func:`merge_values`, :func:`load_values`, :mod:`kelm.values.strvals`.
"""

from kelm.values.coalesce import coalesce_tables, coalesce_values, merge_tables, merge_values
from kelm.values.options import ValueOptions, ValuesError, read_file
from kelm.values.yamlload import YAMLError, load_values

__all__ = [
    "ValueOptions",
    "ValuesError",
    "YAMLError",
    "coalesce_tables",
    "coalesce_values",
    "load_values",
    "merge_tables",
    "merge_values",
    "read_file",
]
