"""The board pack opens in LibreOffice: converted to PDF headless (skipped where LibreOffice
is not installed, except in CI, which installs it: there a missing LibreOffice fails)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from finmodel.report import write_board_pack
from tests import report_fixture

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None and not os.environ.get("CI"), reason="LibreOffice (soffice) is not installed")
def test_converts_to_pdf(tmp_path: Path) -> None:
    assert SOFFICE is not None, "LibreOffice is needed in CI (.ci/run installs it)"
    write_board_pack(report_fixture.pack(), tmp_path)
    # A private profile, so a LibreOffice already running on the machine is not disturbed.
    profile = (tmp_path / "profile").as_uri()
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), str(tmp_path / "board-pack.xlsx")],
        capture_output=True, text=True, timeout=180, check=False,
    )
    pdf = tmp_path / "pdf" / "board-pack.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stdout + done.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
