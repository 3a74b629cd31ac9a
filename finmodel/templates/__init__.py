"""The input workbooks finance staff fill, written as templates.

- ``book``: one workbook of the contract: a bold frozen header row, a drop-down on every
  coded column from system.yaml's codes, an instructions sheet, and rows when carried;
- ``starter``: what `finmodel init` writes: a starter system.yaml and empty M01 workbooks;
- ``carry``: the previous close's validated frames as the rows of a new month's workbooks
  (pure: `finmodel templates --carry-forward` reads and writes through jobs/templates.py).
"""

from finmodel.templates.book import TEMPLATE_ROWS, workbook_bytes, write_workbook_template
from finmodel.templates.carry import Carried, carry_forward
from finmodel.templates.drop_downs import DropDown, drop_down
from finmodel.templates.instructions import INSTRUCTIONS, instruction_rows
from finmodel.templates.starter import FIRST_CLOSE, TemplateExists, template_paths, write_templates

__all__ = [
    "Carried", "DropDown", "FIRST_CLOSE", "INSTRUCTIONS", "TEMPLATE_ROWS", "TemplateExists", "carry_forward", "drop_down",
    "instruction_rows", "template_paths", "workbook_bytes", "write_templates", "write_workbook_template",
]
