"""Figures: content on a synthetic record set, and byte-identical output across runs."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("matplotlib")

import matplotlib.pyplot as plt  # noqa: E402

from tests.tables.test_book import synthetic  # noqa: E402
from walt_alliances.report import figures as figs  # noqa: E402

RESULTS = pd.DataFrame({
    "model_id": ["m1", "m1", "m1", "m2", "m2"],
    "term": ["const", "common_threat", "contiguous", "const", "same_family"],
    "estimate": [-2.0, 0.8, 0.3, -1.0, 0.2],
    "ci_low": [-3.0, 0.3, -0.2, -2.0, float("nan")],
    "ci_high": [-1.0, 1.3, 0.8, 0.0, float("nan")],
})


def _twice(make, fmt: str) -> tuple[bytes, bytes]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(2):
        fig = make()
        out.append(figs.render(fig, fmt))
        plt.close(fig)
    return out[0], out[1]


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_two_runs_are_byte_identical(fmt: str) -> None:
    data = synthetic()
    for make in (lambda: figs.timeline(data), lambda: figs.network_snapshots(data),
                 lambda: figs.coefficient_plot(RESULTS)):
        a, b = _twice(make, fmt)
        assert a == b
        assert len(a) > 1000


def test_files_carry_no_dates_or_versions() -> None:
    data = synthetic()
    fig = figs.timeline(data)
    png, svg, pdf = (figs.render(fig, f) for f in ("png", "svg", "pdf"))
    plt.close(fig)
    assert png.startswith(b"\x89PNG") and b"Software" not in png
    assert b"matplotlib" not in png.lower()
    assert b"<dc:date>" not in svg and b"Matplotlib v" not in svg
    assert b"CreationDate" not in pdf and b"Producer" not in pdf


def test_timeline_has_one_row_per_member_actor() -> None:
    fig = figs.timeline(synthetic())
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # nine actors are members of an alignment in the period (e-old adds nobody new);
    # superpowers first, then outside powers, regional states by COW code, non-state last
    assert [lab.split("(")[-1].rstrip(")") for lab in labels] == [
        "USA", "RUS", "UKG", "IRQ", "EGY", "SYR", "JOR", "ISR", "PLO"]
    assert ax.get_xlim() == (1955.0, 1980.0)
    plt.close(fig)


def test_timeline_by_kind_uses_the_kind_colours() -> None:
    fig = figs.timeline(synthetic(), color_by="kind")
    legend = fig.legends[0]
    assert {t.get_text() for t in legend.get_texts()} == {
        "formal treaty", "informal alignment", "union", "wartime coalition",
        "summit commitment"}
    plt.close(fig)


def test_network_edges_by_period() -> None:
    e = figs.network_edges(synthetic())
    p1 = e[e["period"] == "1955-1959"]
    pairs = {(a, b): n for a, b, n in zip(p1["actor_a"], p1["actor_b"], p1["shared"],
                                          strict=True)}
    # a-bal (EGY, JOR, SYR), b-us (JOR, USA), d-union (EGY, SYR), g-uk (ISR, UKG)
    assert pairs == {("EGY", "JOR"): 1, ("EGY", "SYR"): 2, ("JOR", "SYR"): 1,
                     ("JOR", "USA"): 1, ("ISR", "UKG"): 1}
    p2 = e[e["period"] == "1960-1966"]
    assert set(zip(p2["actor_a"], p2["actor_b"], strict=True)) == {
        ("EGY", "IRQ"), ("EGY", "RUS"), ("IRQ", "RUS"), ("EGY", "SYR"), ("JOR", "USA"),
        ("EGY", "USA")}
    p4 = e[e["period"] == "1974-1979"]
    assert set(zip(p4["actor_a"], p4["actor_b"], strict=True)) == {("JOR", "USA")}


def test_network_layout_is_fixed_across_panels() -> None:
    fig = figs.network_snapshots(synthetic())
    positions = []
    for ax in fig.axes[:4]:
        positions.append(sorted((t.get_text(), round(t.get_position()[0], 6),
                                 round(t.get_position()[1], 6)) for t in ax.texts))
    assert all(p == positions[0] for p in positions)
    plt.close(fig)


def test_coefficient_plot_panels_and_errors() -> None:
    fig = figs.coefficient_plot(RESULTS)
    assert len(fig.axes) == 2  # one panel per model
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["common_threat",
                                                                      "contiguous"]
    plt.close(fig)
    with pytest.raises(ValueError, match="ci_low"):
        figs.coefficient_plot(RESULTS.drop(columns=["ci_low"]))
    with pytest.raises(ValueError, match="no terms"):
        figs.coefficient_plot(RESULTS[RESULTS["term"] == "const"])
