"""Untrusted files: each fault gets one clear, located finding and never a traceback.

Every case damages pay.xlsx of the valid tiny close; the other workbooks must still be
read (one bad file does not hide the others), so no other workbook may be reported.
"""

from __future__ import annotations

import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest

import finmodel.read as read
from finmodel.read import OLE_MAGIC, read_workbook
from finmodel.validate import validate_close
from tests.malformed import SHEET1, calamine_never_opened, located, rewrite_member, tiny, write_close, write_tiny_close

PAY = "pay.xlsx"


def _pay_findings(folder: Path):  # type: ignore[no-untyped-def]
    inputs, findings = validate_close(folder)
    assert inputs is None
    assert {f.workbook for f in findings if f.severity == "error"} == {PAY}, findings
    return findings


def _file_fault(folder: Path, kind: str) -> None:
    findings = _pay_findings(folder)
    assert located(findings) == {(PAY, "", None, "", kind)}


def test_zip_bomb_is_refused_before_reading_with_little_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = write_tiny_close(tmp_path)
    bomb = folder / PAY
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(SHEET1, "w", force_zip64=True) as member:
            block = b" " * 2**20
            for _ in range(300):  # 300 MB of spaces: about 300 KB on disk
                member.write(block)
    assert bomb.stat().st_size < 2**20
    calamine_never_opened(monkeypatch)
    tracemalloc.start()
    raw, findings = read_workbook(bomb, ["pay"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert raw is None and located(findings) == {(PAY, "", None, "", "zip_bomb")}
    assert peak < 20 * 2**20  # inflated a block at a time, never held whole
    assert "unpacks" in findings[0].value and SHEET1 in findings[0].value


# The limits are lowered for these three: the tiny workbooks are far below the real ones.
@pytest.mark.parametrize(
    ("limit", "kind"),
    [("MAX_UNCOMPRESSED_BYTES", "zip_bomb"), ("MAX_MEMBERS", "zip_bomb"), ("MAX_FILE_BYTES", "too_large")],
)
def test_limits_are_checked_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str, kind: str):
    folder = write_tiny_close(tmp_path)
    monkeypatch.setattr(read, limit, 5)
    raw, findings = read_workbook(folder / PAY, ["pay"])
    assert raw is None and located(findings) == {(PAY, "", None, "", kind)}


def test_password_protected_workbook_is_encrypted(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    (folder / PAY).write_bytes(OLE_MAGIC + bytes(1000) + "EncryptedPackage".encode("utf-16-le") + bytes(1000))
    _file_fault(folder, "encrypted")


def test_old_xls_file_is_not_a_workbook(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    (folder / PAY).write_bytes(OLE_MAGIC + bytes(4000))
    _file_fault(folder, "not_a_workbook")


@pytest.mark.parametrize("content", [b"org,month,plan\nACUTE1,1,100\n", b""], ids=["csv", "empty"])
def test_a_file_that_is_not_a_zip_is_not_a_workbook(tmp_path: Path, content: bytes):
    folder = write_tiny_close(tmp_path)
    (folder / PAY).write_bytes(content)
    _file_fault(folder, "not_a_workbook")


def test_a_truncated_workbook_is_corrupt(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    data = (folder / PAY).read_bytes()
    (folder / PAY).write_bytes(data[: len(data) // 2])
    _file_fault(folder, "corrupt")


def test_a_zip_without_a_workbook_is_not_a_workbook(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    with zipfile.ZipFile(folder / PAY, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    _file_fault(folder, "not_a_workbook")


ENTITY_BOMB = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def test_entity_declarations_in_a_sheet_are_refused(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    rewrite_member(folder / PAY, SHEET1, lambda xml: ENTITY_BOMB + xml)
    _file_fault(folder, "xml_entities")


def test_external_entities_in_the_workbook_part_are_refused(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    rewrite_member(folder / PAY, "xl/workbook.xml", lambda xml: EXTERNAL + xml)
    _file_fault(folder, "xml_entities")


def test_a_doctype_after_a_long_comment_is_still_found(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    padding = b"<!--" + b"x" * 10_000 + b"-->"
    rewrite_member(folder / PAY, "xl/styles.xml", lambda xml: b'<?xml version="1.0"?>' + padding + EXTERNAL[21:] + xml)
    _file_fault(folder, "xml_entities")


def _shrink_declared_size(path: Path, member: str, size: int) -> None:
    """Make the zip headers under-declare a member's size, as a crafted bomb would."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(member).header_offset
    struct.pack_into("<I", data, local + 22, size)
    central = data.find(b"PK\x01\x02" + bytes(0), 0)
    while central >= 0:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == name:
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def test_a_member_larger_than_its_header_declares_is_corrupt(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    _shrink_declared_size(folder / PAY, SHEET1, 100)
    _file_fault(folder, "corrupt")


def test_an_unexpected_failure_is_reported_against_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = write_tiny_close(tmp_path)
    real = read.read_workbook

    def failing(path: Path, sheets):  # type: ignore[no-untyped-def]
        if path.name == PAY:
            raise MemoryError("simulated")
        return real(path, sheets)

    monkeypatch.setattr("finmodel.validate.workbook.read_workbook", failing)
    findings = _pay_findings(folder)
    assert located(findings) == {(PAY, "", None, "", "unreadable")}
    assert "MemoryError: simulated" in findings[0].value


# --- cells calamine would read as blank ---------------------------------------------------


def test_formula_error_cells_are_located(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    rewrite_member(
        folder / PAY, SHEET1,
        lambda xml: xml.replace(b'<c r="E3" t="n"><v>50</v></c>', b'<c r="E3" t="e"><f>#REF!*2</f><v>#REF!</v></c>')
        .replace(b'<c r="F2" t="n"><v>620</v></c>', b'<c r="F2" t="e"><v>#N/A</v></c>'),
    )
    findings = _pay_findings(folder)
    assert located(findings) == {(PAY, "pay", 3, "plan", "formula_error"), (PAY, "pay", 2, "actual", "formula_error")}
    assert sorted(f.value for f in findings) == ["#N/A", "#REF!"]


def test_formulas_without_a_cached_value_are_located(tmp_path: Path):
    books = tiny()
    books["pay"]["pay"][3][4] = "=E2*2"  # row 4, plan: openpyxl saves formulas uncalculated
    findings = _pay_findings(write_close(tmp_path, books))
    assert located(findings) == {(PAY, "pay", 4, "plan", "formula_no_value")}


def test_a_formula_cached_as_empty_text_is_a_blank(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    rewrite_member(folder / PAY, SHEET1, lambda xml: xml.replace(b"</row><row r=\"3\">", b'<c r="H2" t="str"><f>""</f><v></v></c></row><row r="3">'))
    inputs, findings = validate_close(folder)
    assert findings == [] and inputs is not None


def test_malformed_sheet_xml_is_corrupt(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    rewrite_member(folder / PAY, SHEET1, lambda xml: xml.replace(b"</sheetData>", b"<row r='9'><c r='A9'></sheetData>"))
    _file_fault(folder, "corrupt")


def test_a_renamed_xml_part_is_still_checked_for_entities(tmp_path: Path):
    folder = write_tiny_close(tmp_path)
    with zipfile.ZipFile(folder / PAY, "a") as archive:
        archive.writestr("xl/custom/data.bin", EXTERNAL + b"<root>&xxe;</root>")
    _file_fault(folder, "xml_entities")
