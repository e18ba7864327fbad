"""Published tables: the shipped skeletons, their validation, and the comparison machinery.

The comparison is tested on a fixture (``tests/data/published_fixture/``): a fake
"transcribed" table with invented values, clearly marked as a test fixture, never shipped. The
"ours" side of the comparison is a small hand-made frame, so every expected verdict below
follows from the two files' numbers, not from the code.
"""

from __future__ import annotations

import filecmp
from pathlib import Path

import pandas as pd
import pytest

from walt_alliances.tables import book as bt
from walt_alliances.tables import published as pub

REPO = Path(__file__).resolve().parents[2]
ANALYSES = REPO / "analyses" / "published"
PACKAGE = REPO / "walt_alliances" / "data" / "published"
FIXTURE = Path(__file__).resolve().parents[1] / "data" / "published_fixture"


def test_package_copy_is_identical_to_analyses() -> None:
    a = sorted(p.name for p in ANALYSES.iterdir() if p.is_file())
    b = sorted(p.name for p in PACKAGE.iterdir() if p.is_file())
    assert a == b, "analyses/published/ and walt_alliances/data/published/ hold different files"
    _, mismatch, errors = filecmp.cmpfiles(ANALYSES, PACKAGE, a, shallow=False)
    assert not mismatch and not errors, (
        f"differ: {mismatch + errors}; copy analyses/published/ into "
        "walt_alliances/data/published/ (walt-alliances build should do this)")


@pytest.mark.parametrize("table_id", list(pub.SPECS))
def test_shipped_file_is_valid_and_has_the_skeleton_keys(table_id: str) -> None:
    df = pub.load_published(table_id)  # raises with every problem listed
    keys = set(zip(df["row_key"], df["column_key"], strict=True))
    sk = pub.skeleton(table_id)
    missing = set(zip(sk["row_key"], sk["column_key"], strict=True)) - keys
    assert not missing, f"{table_id}: skeleton cells missing from the file: {sorted(missing)[:5]}"
    assert (df["table_id"] == table_id).all()


def test_no_shipped_value_without_a_page() -> None:
    for table_id in pub.SPECS:
        df = pub.load_published(table_id)
        has_value = df["value"].str.strip() != ""
        assert (df.loc[has_value, "page"].str.strip() != "").all()
        assert df.loc[has_value, "status"].isin(["transcribed", "verified"]).all()


def test_skeleton_keys_exist_in_our_tables() -> None:
    # The skeleton rows are claimed to be certain from our own tables' structure: every one
    # must be a cell of our table on the shipped data.
    for table_id, spec in pub.SPECS.items():
        if spec.skeleton_rows is None:
            assert pub.skeleton(table_id).empty
            continue
        ours = pub.to_cells(table_id, bt.BOOK_TABLES[table_id][0]())
        have = set(zip(ours["row_key"], ours["column_key"], strict=True))
        sk = pub.skeleton(table_id)
        wanted = set(zip(sk["row_key"], sk["column_key"], strict=True))
        assert wanted <= have, sorted(wanted - have)[:5]


def test_skeleton_of_world_power_covers_the_period() -> None:
    sk = pub.skeleton("world_power_balance")
    assert sorted(set(sk["row_key"].astype(int))) == list(range(1955, 1980))


# ---------------------------------------------------------------------------------------------
# compare() on the fixture
# ---------------------------------------------------------------------------------------------

def _ours() -> pd.DataFrame:
    rows = [
        ("alliances", "all", "balancing", 5, 33.3333),
        ("alliances", "all", "bandwagoning", 3, 12.25),
        ("alliances", "all", "mixed", 1, 12.24),
        ("commitments", "all", "balancing", 9, 45.4),
        ("commitments", "all", "bandwagoning", 2, 10.0),
    ]
    return pd.DataFrame(rows, columns=["level", "group", "category", "count", "share"])


@pytest.fixture()
def comparison() -> pd.DataFrame:
    published = pub.load_published("balancing_vs_bandwagoning",
                                   FIXTURE / "balancing_vs_bandwagoning.csv")
    return pub.compare(_ours(), published)


def _row(comp: pd.DataFrame, rk: str, ck: str) -> pd.Series:
    sel = comp[(comp["row_key"] == rk) & (comp["column_key"] == ck)]
    assert len(sel) == 1, (rk, ck)
    return sel.iloc[0]


def test_counts_are_compared_exactly(comparison: pd.DataFrame) -> None:
    r = _row(comparison, "alliances|all|balancing", "count")
    assert bool(r["equal_at_printed_precision"]) is True and r["difference"] == 0
    r = _row(comparison, "alliances|all|bandwagoning", "count")  # ours 3, printed 4
    assert bool(r["equal_at_printed_precision"]) is False
    assert r["difference"] == -1
    assert r["ours"] == "3" and r["published"] == "4" and r["page"] == "FIXTURE"


def test_numbers_are_rounded_to_the_printed_precision(comparison: pd.DataFrame) -> None:
    # 33.3333 at 1 decimal is 33.3
    assert bool(_row(comparison, "alliances|all|balancing", "share")[
        "equal_at_printed_precision"]) is True
    # 12.25 rounds half up to 12.3 (banker's rounding would give 12.2)
    assert bool(_row(comparison, "alliances|all|bandwagoning", "share")[
        "equal_at_printed_precision"]) is True
    # 12.24 rounds to 12.2, not 12.3
    r = _row(comparison, "alliances|all|mixed", "share")
    assert bool(r["equal_at_printed_precision"]) is False
    assert r["difference"] == pytest.approx(12.24 - 12.3)
    # "45%" printed with 0 decimals; ours 45.4 rounds to 45
    assert bool(_row(comparison, "commitments|all|balancing", "share")[
        "equal_at_printed_precision"]) is True


def test_statuses_and_whose_values(comparison: pd.DataFrame) -> None:
    r = _row(comparison, "commitments|all|bandwagoning", "count")
    assert r["status"] == "not transcribed"
    assert pd.isna(r["equal_at_printed_precision"]) and r["published"] == ""
    assert r["ours"] == "2"
    assert r["values_from"].startswith("ours only")
    assert _row(comparison, "alliances|all|balancing", "share")["status"] == "verified"
    assert _row(comparison, "alliances|all|balancing", "count")["values_from"].startswith(
        "ours vs Walt")
    extra = _row(comparison, "book:Arab states|balancing", "count")
    assert extra["status"] == pub.NOT_IN_OURS and pd.isna(extra["equal_at_printed_precision"])
    # a cell of ours that the file lacks
    r = _row(comparison, "commitments|all|balancing", "count")
    assert r["status"] == pub.NO_PUBLISHED_CELL and r["ours"] == "9"
    # 8 published rows + 3 of our 10 cells the file lacks
    assert len(comparison) == 8 + 3


def test_compare_with_an_empty_file_lists_our_cells() -> None:
    ours = bt.appendix1()
    comp = pub.compare(ours, pub.load_published("appendix1"), "appendix1")
    assert len(comp) == len(ours) * len(pub.SPECS["appendix1"].value_columns)
    assert (comp["status"] == pub.NO_PUBLISHED_CELL).all()
    with pytest.raises(ValueError, match="table_id"):
        pub.compare(ours, pub.load_published("appendix1"))


def test_compare_all_runs_on_every_shipped_table() -> None:
    tables = {name: fn() for name, (fn, _) in bt.BOOK_TABLES.items() if name in pub.SPECS}
    comp = pub.compare_all(tables)
    assert set(comp["table_id"]) == set(pub.SPECS)
    st = pub.published_status()
    assert set(st["table_id"]) == set(pub.SPECS)


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------

def _one(**over: str) -> pd.DataFrame:
    row = {"table_id": "balancing_vs_bandwagoning", "row_key": "alliances|all|balancing",
           "column_key": "count", "value": "5", "printed_precision": "0", "page": "FIXTURE",
           "status": "transcribed", "transcribed_by": "test", "note": ""} | over
    return pd.DataFrame([row], columns=list(pub.COLUMNS))


@pytest.mark.parametrize(("over", "message"), [
    ({"page": ""}, "page"),
    ({"transcribed_by": ""}, "transcribed_by"),
    ({"printed_precision": ""}, "printed_precision"),
    ({"status": "done"}, "status"),
    ({"status": "not transcribed"}, "has a value"),
    ({"value": "", "status": "verified"}, "no value"),
    ({"column_key": "percent"}, "column_key"),
    ({"table_id": "appendix1"}, "table_id"),
])
def test_validation_finds_each_problem(over: dict[str, str], message: str) -> None:
    problems = pub.validate_published(_one(**over), "balancing_vs_bandwagoning")
    assert any(message in p for p in problems), problems


def test_validation_accepts_a_good_row_and_finds_duplicates() -> None:
    assert pub.validate_published(_one(), "balancing_vs_bandwagoning") == []
    two = pd.concat([_one(), _one()], ignore_index=True)
    assert any("more than once" in p for p in
               pub.validate_published(two, "balancing_vs_bandwagoning"))
    bad = _one().drop(columns=["note"])
    assert "columns" in pub.validate_published(bad, "balancing_vs_bandwagoning")[0]


def test_load_published_raises_with_every_problem(tmp_path: Path) -> None:
    df = pd.concat([_one(page=""), _one(row_key="x", status="nope")], ignore_index=True)
    path = tmp_path / "balancing_vs_bandwagoning.csv"
    df.to_csv(path, index=False)
    with pytest.raises(ValueError, match="2 problem") as err:
        pub.load_published("balancing_vs_bandwagoning", path)
    assert "page" in str(err.value) and "nope" in str(err.value)


def test_write_skeletons_never_overwrites(tmp_path: Path) -> None:
    written = pub.write_skeletons(tmp_path)
    assert len(written) == len(pub.SPECS)
    (tmp_path / "appendix1.csv").write_text("kept\n")
    assert pub.write_skeletons(tmp_path) == []
    assert (tmp_path / "appendix1.csv").read_text() == "kept\n"
