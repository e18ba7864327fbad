"""Figures: content on a synthetic record set and contract frames; byte-identical output."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")

import matplotlib.pyplot as plt  # noqa: E402

from tests.report.contract import contract_outputs  # noqa: E402
from tests.tables.test_book import synthetic  # noqa: E402
from walt_alliances.report import figures as figs  # noqa: E402
from walt_alliances.report.summary import AnalysisOutputs  # noqa: E402

RESULTS = contract_outputs().results


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
    makers = [lambda: figs.timeline(data)]
    if fmt == "png":  # the report's format: every figure with a layout of its own
        makers += [lambda: figs.network_map(data), lambda: figs.coefficient_plot(RESULTS)]
    for make in makers:
        a, b = _twice(make, fmt)
        assert a == b
        assert len(a) > 1000


def test_files_carry_no_dates_or_versions() -> None:
    fig = figs.timeline(synthetic())
    png, svg, pdf = (figs.render(fig, f) for f in ("png", "svg", "pdf"))
    plt.close(fig)
    assert png.startswith(b"\x89PNG") and b"Software" not in png
    assert b"matplotlib" not in png.lower()
    assert b"<dc:date>" not in svg and b"Matplotlib v" not in svg
    assert b"CreationDate" not in pdf and b"Producer" not in pdf


def _texts(fig) -> list[str]:  # type: ignore[no-untyped-def]
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts]
    return out


def test_timeline_labels_every_alignment_beside_its_bar() -> None:
    data = synthetic()
    fig = figs.timeline(data)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.texts]
    # every alignment of the synthetic set is labelled with its name, except e-old, which
    # ended before the period
    for aid in data["alignments"]["alignment_id"]:
        assert any(f"Alignment {aid}" in lab for lab in labels) == (aid != "e-old"), aid
    legend = fig.legends[0]
    kinds = {t.get_text() for t in legend.get_texts()}
    assert kinds == {"formal treaty", "informal alignment", "union", "wartime coalition",
                     "summit commitment"}
    assert ax.get_xlim() == (1955.0, 1980.0)
    assert "alignments, 1955-1979" in fig.get_suptitle()
    assert any("Source:" in t for t in _texts(fig))
    plt.close(fig)


def test_network_edges_by_period() -> None:
    e = figs.network_edges(synthetic())
    p1 = e[e["period"] == "1955-1959"]
    pairs = {(a, b): n for a, b, n in zip(p1["actor_a"], p1["actor_b"], p1["shared"],
                                          strict=True)}
    # a-bal (EGY, JOR, SYR), b-us (JOR, USA), d-union (EGY, SYR), g-uk (ISR, UKG)
    assert pairs == {("EGY", "JOR"): 1, ("EGY", "SYR"): 2, ("JOR", "SYR"): 1,
                     ("JOR", "USA"): 1, ("ISR", "UKG"): 1}
    p4 = e[e["period"] == "1974-1979"]
    assert set(zip(p4["actor_a"], p4["actor_b"], strict=True)) == {("JOR", "USA")}


def test_network_positions_follow_the_capitals() -> None:
    # shipped capitals: Cairo 31.25E 30.06N, Baghdad east of it, Washington off the map (west)
    pos = figs.network_positions(synthetic(), ["EGY", "IRQ", "USA", "PLO"])
    assert pos["IRQ"][0] > pos["EGY"][0] + 5
    assert abs(pos["EGY"][0] - 31.25) < 2 and abs(pos["EGY"][1] - 30.06) < 2
    assert pos["USA"][2] and pos["USA"][0] == pytest.approx(figs.MAP_LON[0], abs=2)
    assert pos["PLO"][2]  # no capital: placed on the bottom edge, flagged
    # declutter keeps every pair of nodes at least 4 degrees apart
    ship = figs.network_positions(synthetic(), ["JOR", "SYR", "ISR", "LEB", "EGY"])
    xy = np.array([v[:2] for v in ship.values()])
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    assert d[np.triu_indices(len(xy), 1)].min() >= 4.0 - 1e-6


def test_network_map_layout_is_fixed_across_panels() -> None:
    fig = figs.network_map(synthetic())
    positions = [sorted((t.get_text(), round(t.xy[0], 6), round(t.xy[1], 6))
                        for t in ax.texts) for ax in fig.axes[:4]]
    assert all(p == positions[0] for p in positions)
    assert len(fig.legends[0].get_texts()) >= 10  # nodes, edges, hubs, faded, off-map
    plt.close(fig)


def test_coefficient_plot_one_log_scale_and_per_sd_odds_ratios() -> None:
    fig = figs.coefficient_plot(RESULTS)
    axes = [ax for ax in fig.axes if ax.get_yticklabels()]
    assert len(axes) == 1  # one design in the contract frames (logit of onset on dyad-years)
    ax = axes[0]
    assert ax.get_xscale() == "log"
    assert "per SD" in ax.get_xlabel() and "95%" in ax.get_xlabel()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "h1_onset: common_threat" in labels and all("const" not in lab for lab in labels)
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["h1_onset: common_threat", "h3_onset: common_threat", "bot: common_threat"]
    # the point of h1's key term is its per-SD odds ratio from results.csv
    key = RESULTS[(RESULTS["model_id"] == "h1_onset") & (RESULTS["term"] == "common_threat")
                  & (RESULTS["se_type"] == "dyadic")].iloc[0]
    xs = [line.get_xdata()[0] for line in ax.lines if line.get_marker() == "o"]
    assert any(math.isclose(x, key["or_per_sd"], rel_tol=1e-9) for x in xs)
    plt.close(fig)
    with pytest.raises(ValueError, match="or_per_sd"):
        figs.coefficient_plot(RESULTS.drop(columns=["or_per_sd"]))
    with pytest.raises(ValueError, match="no terms"):
        figs.coefficient_plot(RESULTS[RESULTS["term"] == "const"])


def test_predicted_probability_matches_a_hand_computation() -> None:
    an = contract_outputs()
    pred = figs.predicted_probabilities(an, points=3)
    h1 = pred[pred["model_id"] == "h1_onset"].reset_index(drop=True)
    sample = an.samples["h1_onset"]
    res = RESULTS[(RESULTS["model_id"] == "h1_onset") & (RESULTS["se_type"] == "dyadic")]
    b = res.set_index("term")["estimate"]
    g = float(np.percentile(sample["common_threat"], 1))
    eta = b["const"] + b["common_threat"] * g + b["contiguous"] * sample["contiguous"]
    assert h1.loc[0, "value"] == pytest.approx(g)
    assert h1.loc[0, "probability"] == pytest.approx(float((1 / (1 + np.exp(-eta))).mean()))
    assert (h1["ci_low"] <= h1["probability"]).all()
    assert (h1["probability"] <= h1["ci_high"]).all()
    assert (h1["ci_high"] - h1["ci_low"] > 0.01).any()
    assert set(h1["variance"]) == {"dyadic"}  # the analysis layer's default variance


def test_figures_say_why_they_are_not_drawn() -> None:
    empty = AnalysisOutputs(results=RESULTS)
    assert "specification_curve.csv" in str(figs.specification_curve_figure(empty))
    assert "influence.csv" in str(figs.influence_figure(empty))
    assert "did not run" in str(figs.coefficient_figure(None))
    assert "capabilities" in str(figs.world_power_figure(None))


def test_result_figures_state_a_finding_and_name_units() -> None:
    an = contract_outputs()
    made = figs.specification_curve_figure(an)
    assert not isinstance(made, str)
    fig, title, reading = made
    assert "of 2 key tests keep their verdict" in title and reading
    plt.close(fig)
    made = figs.influence_figure(an, {"unified-arab-command-1964": "Unified Arab Command"})
    assert not isinstance(made, str)
    fig, title, _ = made
    labels = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    assert "Unified Arab Command (unified-arab-command-1964)" in labels
    assert title.startswith("2 alignments or actors")
    plt.close(fig)
    wp = pd.DataFrame({"year": [1955, 1956], "us_cinc": [0.3, 0.31], "soviet_cinc": [0.2, 0.32],
                       "us_region_cinc": [0.01, 0.01], "soviet_region_cinc": [0.0, 0.02]})
    made = figs.world_power_figure(wp)
    assert not isinstance(made, str)
    fig, title, _ = made
    assert "in 1 of 2 years" in title
    assert "%" in fig.axes[0].get_ylabel()
    plt.close(fig)
