"""The worker process of ``parallel``.

Started as ``python -P -c <wire.BOOT>``: ``-P`` keeps the working directory off ``sys.path`` (a
``pandas.py`` or ``finmodel/`` lying there must not be imported), and the first thing read
from stdin is this process's ``sys.path``, so the worker imports exactly what its parent
imported. Then a pickled (paths, Context, decimal context) follows; one pickled
WorkbookRead per workbook is written back, in the order given, each as soon as it is read.

The answers go to a private copy of stdout's descriptor and stdout itself is pointed at
stderr (discarded), so nothing a library prints can land in the answer stream.
"""

from __future__ import annotations

import decimal
import os
import pickle
import sys
from pathlib import Path

def main() -> None:
    from finmodel.validate.wire import pack
    from finmodel.validate.workbook import read_one

    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    paths, ctx, numbers = pickle.load(sys.stdin.buffer)
    decimal.setcontext(numbers)  # parse amounts and shares exactly as the parent would
    with answers:
        for path in paths:
            pickle.dump(pack(read_one(Path(path), ctx)), answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()
