"""The indexing progress bar: drawn on a terminal, erased before the summary."""

from __future__ import annotations

import io

from searchkit.progress import Progress


def test_bar_counts_to_the_total_and_erases_itself():
    out = io.StringIO()
    bar = Progress(3, stream=out)
    for _ in range(3):
        bar.advance()
    bar.close()
    text = out.getvalue()
    assert "3/3" in text and "#" * 30 in text
    assert text.endswith("\r\x1b[2K"), "the summary must start on a clean line"


def test_disabled_or_empty_bar_writes_nothing():
    out = io.StringIO()
    for bar in (Progress(10, enabled=False, stream=out), Progress(0, stream=out)):
        bar.advance()
        bar.close()
    assert out.getvalue() == ""
