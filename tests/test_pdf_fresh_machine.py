"""PDF reports on a fresh Debian machine: Pango present, libharfbuzz-subset0 absent.

WeasyPrint then warns at import; where warnings are errors (our test run) that used to break every
PDF route. The missing library is simulated in a child process, since WeasyPrint loads its
libraries once per process: the child refuses to load harfbuzz-subset and treats warnings as errors.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_pdf_tools

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import sys, warnings
from pathlib import Path

import cffi

real_dlopen = cffi.FFI.dlopen

def without_subset(self, name, *args, **kwargs):
    # As on a machine without libharfbuzz-subset0: every name WeasyPrint tries fails to load.
    if "harfbuzz-subset" in str(name):
        raise OSError(f"cannot load library {name!r}: No such file or directory")
    return real_dlopen(self, name, *args, **kwargs)

cffi.FFI.dlopen = without_subset
warnings.simplefilter("error")  # as pytest's filterwarnings = error

from vetting.reports.pdf import render_pdf

pdf = render_pdf("<h1>Granskningsrapport</h1><p>Leverantören är kontrollerad.</p>", Path(sys.argv[1]))
import weasyprint.text.ffi
assert weasyprint.text.ffi.harfbuzz_subset is None, "the simulation did not hide harfbuzz-subset"
Path(sys.argv[2]).write_bytes(pdf.data)
print(pdf.pages)
"""


def run_child(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    static = ROOT / "static"
    return subprocess.run([sys.executable, "-c", code, str(static), str(tmp_path / "out.pdf")],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_report_renders_without_harfbuzz_subset_even_when_warnings_are_errors(tmp_path):
    result = run_child(tmp_path, CHILD)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "1"
    require_pdf_tools("pdftotext")
    text = subprocess.run(["pdftotext", str(tmp_path / "out.pdf"), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    assert "Granskningsrapport" in text and "Leverantören är kontrollerad." in text


def test_the_simulation_really_breaks_a_bare_import(tmp_path):
    """The oracle for the test above: without our loader the same child fails on the warning."""
    bare = CHILD.replace("from vetting.reports.pdf import render_pdf", "import weasyprint")
    result = run_child(tmp_path, bare)
    assert result.returncode != 0
    assert "HarfBuzz-Subset" in result.stderr
