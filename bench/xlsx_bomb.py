"""Benchmark: an XLSX "row bomb" (about 3 million rows in under 1 MB) is refused fast and small.

Builds the file (a ZIP of XML parts, as a spreadsheet program writes it), then times
``imports.parse`` in a child process and reports its wall time and peak memory (ru_maxrss).
Goal from the security review: refused in under 5 s and under 300 MiB. Also runs a variant
whose sheet unpacks below the size cap (tiny rows) so the row count is what refuses it.
"""
from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>',
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '</Relationships>',
}


def bomb(rows: int, row_xml: bytes) -> bytes:
    """An XLSX whose one sheet has a header row and ``rows`` copies of ``row_xml``, streamed into the ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        b'<sheetData><row><c t="inlineStr"><is><t>namn</t></is></c><c t="inlineStr"><is><t>land</t></is>'
                        b'</c></row>')
            block = row_xml * 10_000
            for _ in range(rows // 10_000):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def measure(data: bytes) -> None:
    """In a child process: parse, print the outcome, time and peak memory."""
    from vetting.db import connect, upgrade
    from vetting.domain import imports

    import tempfile

    db = connect(os.path.join(tempfile.mkdtemp(), "bench.sqlite3"))
    upgrade(db)
    start = time.perf_counter()
    try:
        imports.parse(db, "organisations", data, "bomb.xlsx")
        outcome = "ACCEPTED (should have been refused)"
    except imports.ImportFileError as exc:
        outcome = f"refused: {exc.message}"
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {outcome}\n  {elapsed:.2f} s, peak {peak:.0f} MiB (whole process)  goal: < 5 s, < 300 MiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--quick", action="store_true", help="same figures (the bench is already short)")
    args = parser.parse_args(argv)
    cases = [
        ("rows with a cell each (unpacks past the size cap)",
         b'<row><c t="inlineStr"><is><t>Bolag AB</t></is></c><c t="inlineStr"><is><t>SE</t></is></c></row>'),
        ("empty rows (unpack below the cap: the row count refuses)", b"<row/>"),
    ]
    for label, row in cases:
        data = bomb(args.rows, row)
        print(f"{args.rows:,} {label}: {len(data) / 1024:.0f} KB")
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            measure(data)
            sys.stdout.flush()
            os._exit(0)
        os.waitpid(pid, 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
