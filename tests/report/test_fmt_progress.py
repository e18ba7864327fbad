"""Numbers rounded for reading, Sphinx roles removed, and the progress display."""

from __future__ import annotations

import io
import math

import pytest

from walt_alliances.report.fmt import fmt_int, fmt_num, fmt_or, fmt_p, fmt_pct, fmt_pp, humanize
from walt_alliances.report.progress import Progress
from walt_alliances.report.render import clean_markup
from walt_alliances.report.summary import or_interval


@pytest.mark.parametrize(("p", "text"), [(0.0000123, "<0.001"), (0.000999, "<0.001"),
                                         (0.001, "0.001"), (0.04231, "0.042"),
                                         (0.5, "0.500"), (1.0000001, "1.000"),
                                         (math.nan, "")])
def test_p_values(p: float, text: str) -> None:
    assert fmt_p(p) == text


def test_numbers_shares_and_effects() -> None:
    assert fmt_num(35.059761) == "35.1"
    assert fmt_num(0.26661199) == "0.267"
    assert fmt_num(5860) == "5,860"
    assert fmt_num(-0.33) == "\u22120.330"  # three significant digits
    assert fmt_num(5.59113e-05) == "5.59e-05"  # the raw float, now 3 digits
    assert fmt_num(2.63e-14) == "2.63e-14"
    assert fmt_int(11720.0) == "11,720"
    assert fmt_pct(35.059761, scale=1) == "35.1%"  # book tables hold percents
    assert fmt_pct(0.25) == "25.0%"  # fractions
    assert fmt_pp(0.021) == "+2.1 pp" and fmt_pp(-0.0004) == "0.0 pp"
    assert fmt_or(43.5) == "43.5" and fmt_or(1.234) == "1.23" and fmt_or(0.05) == "0.0500"


def test_internal_keys_become_words() -> None:
    assert humanize("component:aggregate_power") == "aggregate power (component)"
    assert humanize("formal_treaty") == "formal treaty"
    assert humanize("drop_alignment:unified-arab-command-1964") == \
        "unified-arab-command-1964 (drop alignment)"
    assert humanize("Baghdad Pact") == "Baghdad Pact"


def test_sphinx_roles_become_code() -> None:
    text = "See :func:`aid_and_penetration` and :class:`~walt_alliances.x.ThreatSpec`."
    assert clean_markup(text) == "See `aid_and_penetration` and `walt_alliances.x.ThreatSpec`."


def test_or_interval_is_the_coefficient_interval_on_the_per_sd_scale() -> None:
    # b = 2, SD = 0.5: OR per SD = e^1; interval of b [1, 3] -> [e^0.5, e^1.5]
    lo, hi = or_interval(2.0, 1.0, 3.0, math.e)
    assert lo == pytest.approx(math.exp(0.5)) and hi == pytest.approx(math.exp(1.5))
    assert all(math.isnan(v) for v in or_interval(0.0, -1.0, 1.0, 1.0))


def _clock(times: list[float]):  # type: ignore[no-untyped-def]
    it = iter(times)
    return lambda: next(it)


def test_progress_is_quiet_off_a_terminal_unless_lines_are_asked_for() -> None:
    silent = io.StringIO()
    with Progress(stream=silent, tty=False) as p:
        p.stage("book tables")
    assert silent.getvalue() == ""
    buf = io.StringIO()
    with Progress(stream=buf, tty=False, lines=True,
                  clock=_clock([0.0, 1.0, 12.5, 13.0])) as p:
        p.stage("book tables")
        p.detail("ignored off a terminal")
        p.stage("figures")
    assert buf.getvalue().splitlines() == ["[reproduce    1.0s] book tables",
                                           "[reproduce   12.5s] figures",
                                           "[reproduce   13.0s] done"]


def test_progress_redraws_one_line_on_a_terminal_and_is_quiet_when_asked() -> None:
    buf = io.StringIO()
    with Progress(stream=buf, tty=True, clock=_clock([0.0, 1.0, 2.0, 3.0])) as p:
        p.stage("a long stage name")
        p.stage("b")
    out = buf.getvalue()
    assert out.count("\r") == 3 and out.endswith("done\n") and out.count("\n") == 1
    quiet = io.StringIO()
    with Progress(enabled=False, stream=quiet) as p:
        p.stage("x")
    assert quiet.getvalue() == ""
