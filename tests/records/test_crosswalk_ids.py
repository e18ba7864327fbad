"""The shipped crosswalk id lists: rebuilt from the raw files, and ids only."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from walt_alliances.records.validate import known_crosswalk_ids
from walt_alliances.sources.registry import get_raw_file

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "walt_alliances" / "data" / "crosswalk_ids.json"


def _builder():
    spec = importlib.util.spec_from_file_location("build_crosswalk_ids",
                                                  REPO / "datasets" / "build_crosswalk_ids.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_shipped_lists_record_source_version_and_sha256_and_hold_ids_only():
    doc = json.loads(SHIPPED.read_text())
    for name, key in (("atop", "atop_alliances"), ("cow", "cow_alliance_member")):
        entry = doc[name]
        rf = get_raw_file(key)
        assert (entry["dataset"], entry["version"], entry["file"], entry["sha256"]) == (
            rf.dataset, rf.version, rf.path, rf.sha256)
        assert set(entry) == {"column", "count", "dataset", "file", "ids", "sha256", "version"}
        assert entry["count"] == len(entry["ids"]) == len(set(entry["ids"]))
        assert all(isinstance(i, int) for i in entry["ids"])
    # COW 4.1 numbers its alliances 1..414: the list says nothing more than that
    assert doc["cow"]["ids"] == list(range(1, 415))
    ids = known_crosswalk_ids()
    assert 3310 in ids["atop"] and 999999 not in ids["atop"] and -5 not in ids["atop"]


def test_every_shipped_crosswalk_id_is_known():
    import walt_alliances as wa

    ids = known_crosswalk_ids()
    al = wa.load_alignments()
    for col, src in (("atop_ids", "atop"), ("cow_ids", "cow")):
        used = {int(x) for v in al[col].dropna() for x in str(v).split(";") if x}
        assert used and used <= ids[src]


@pytest.mark.external
def test_the_id_lists_rebuild_from_the_raw_files(external_dir):
    built = _builder().build(str(external_dir))
    assert json.loads(json.dumps(built)) == json.loads(SHIPPED.read_text())
