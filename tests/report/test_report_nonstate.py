"""The report explains the ``_ext`` rows (non-state actors and outside threats) when present."""

from __future__ import annotations

import pandas as pd


def test_report_explains_the_ext_rows_only_when_present():
    from walt_alliances.report.report import _bop_bot_section
    from walt_alliances.report.summary import AnalysisOutputs

    def texts(mids: list[str]) -> str:
        res = pd.DataFrame({"model_id": mids, "hypothesis": "BoT", "term": "bot_intent"})
        sec = _bop_bot_section(AnalysisOutputs(results=res))
        return " ".join(str(b.get("text", "")) for b in sec["blocks"])

    assert "non-state actors and outside threats" in texts(["bot_redefined_aligned",
                                                            "bot_redefined_aligned_ext"])
    assert "outside threats" not in texts(["bot_redefined_aligned"])
