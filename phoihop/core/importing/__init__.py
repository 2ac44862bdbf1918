"""Import real coordination plans: any supported file in, a ``phoihop.import/1`` dict out.

Plain Python (no Django): the CLI, the web upload and the benchmark all call these functions.
"""

from .errors import ImportFailure
from .plan import DEFAULT_MAX_BYTES, FORMAT, import_bytes, import_file, parse_text
from .summary import format_summary

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMAT",
    "ImportFailure",
    "format_summary",
    "import_bytes",
    "import_file",
    "parse_text",
]
