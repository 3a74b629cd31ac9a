"""The worker process of ``parallel``: ``python -m finmodel.validate.worker``.

It reads a pickled (paths, Context) on stdin and writes one pickled WorkbookRead per
workbook to stdout, in the order given, each as soon as it is read.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from finmodel.validate.parallel import pack
from finmodel.validate.workbook import read_one


def main() -> None:
    paths, ctx = pickle.load(sys.stdin.buffer)
    for path in paths:
        pickle.dump(pack(read_one(Path(path), ctx)), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
        sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
