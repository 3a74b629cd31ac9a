"""What reading one sheet in two parts would cost: the measurement behind docs/performance.md's
"one sheet in two parts" (issue #21). Nothing in finmodel reads a sheet this way.

    python benchmarks/split_mechanics.py [--rows 1000000] [--shape many_orgs] [--at 0.5]

python-calamine parses a whole sheet or nothing, so two cores can share one sheet only by
parsing two workbooks, each holding some of its rows. For the largest workbook of a cached
benchmark close this prints, in seconds:

- the sheet XML inflated, and the two part-workbooks written (stored, not deflated: each
  part's XML is the sheet's start, its rows, and the sheet's end);
- the whole sheet parsed (the original, deflated), then the two parts one after the other,
  then the two parts at once in two threads (calamine releases the GIL while it parses);
- how many rows each part holds, and the blank rows calamine pads the second part with
  (it places rows by number, so the second part starts at row 1).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import python_calamine

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scaled_ics import ensure_scaled_ics  # noqa: E402

BLOCK_ROWS = 100_000  # validate.table.BLOCK_ROWS: a part must start on the block grid


def _part(source: zipfile.ZipFile, member: str, pieces: list[bytes], folder: str) -> str:
    path = tempfile.mktemp(suffix=".xlsx", dir=folder)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as out:
        for info in source.infolist():
            if info.filename != member:
                out.writestr(info.filename, source.read(info.filename))
        with out.open(member, "w", force_zip64=True) as stream:
            for piece in pieces:
                stream.write(piece)
    return path


def _parse(path: str, into: list) -> None:
    book = python_calamine.CalamineWorkbook.from_path(path)
    into.append(book.get_sheet_by_name(book.sheet_names[0]))


def _timed(run) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--shape", default="many_orgs")
    parser.add_argument("--at", type=float, default=0.5, help="where the second part starts, as a share of the XML")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/finmodel-bench"))
    args = parser.parse_args()
    folder, _ = ensure_scaled_ics(args.cache, args.rows, shape=args.shape)
    workbook = max(folder.glob("*.xlsx"), key=lambda p: p.stat().st_size)
    source = zipfile.ZipFile(workbook)
    member = max(source.infolist(), key=lambda i: i.file_size).filename
    xml: bytes = b""

    def inflate() -> None:
        nonlocal xml
        xml = source.read(member)

    inflated = _timed(inflate)
    start, end = xml.index(b"<sheetData>") + len(b"<sheetData>"), xml.index(b"</sheetData>")
    near = xml.index(b"<row ", int(len(xml) * args.at))
    row = int(re.match(rb'<row r="(\d+)"', xml[near : near + 40]).group(1))  # type: ignore[union-attr]
    first = 1 + BLOCK_ROWS * -(-(row - 1) // BLOCK_ROWS)
    cut = xml.index(b'<row r="%d"' % first)
    with tempfile.TemporaryDirectory() as work:
        paths: list[str] = []
        written = _timed(lambda: paths.extend([_part(source, member, [xml[:cut], xml[end:]], work),
                                               _part(source, member, [xml[:start], xml[cut:end], xml[end:]], work)]))
        whole: list = []
        one_thread: list = []
        two_threads: list = []
        parsed_whole = _timed(lambda: _parse(str(workbook), whole))
        parsed_one = _timed(lambda: [_parse(p, one_thread) for p in paths])

        def both() -> None:
            second = threading.Thread(target=_parse, args=(paths[1], two_threads))
            second.start()
            _parse(paths[0], two_threads)
            second.join()

        parsed_two = _timed(both)
    head, tail = one_thread
    print(f"{workbook.name}: {len(xml) / 2**20:,.0f} MB of sheet XML, {whole[0].height:,} rows; the second part from row {first:,} ({cut / len(xml):.0%} of the XML)")
    print(f"inflate the sheet XML        {inflated:6.2f} s")
    print(f"write the two parts (stored) {written:6.2f} s")
    print(f"parse the whole sheet        {parsed_whole:6.2f} s")
    print(f"parse the parts, one thread  {parsed_one:6.2f} s  ({head.height:,} rows; then {tail.height:,} rows, after {tail.start[0]:,} blank rows iter_rows pads)")
    print(f"parse the parts, two threads {parsed_two:6.2f} s  (whole / two threads: {parsed_whole / parsed_two:.2f})")


if __name__ == "__main__":
    main()
