"""HAMYON_CATALOG_TTL sets how long a process keeps billing rules and settings; bad values are
refused naming the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from entrypoints.settings import SettingsError, load_settings


@pytest.mark.parametrize(("raw", "seconds"), [("", 2.0), ("0", 0.0), ("30", 30.0)])
def test_the_ttl_reaches_the_use_cases(tmp_path: Path, raw: str, seconds: float):
    settings = load_settings({"HAMYON_CATALOG_TTL": raw}, dotenv=tmp_path / "none")
    assert settings.service_config().catalog_ttl_seconds == seconds


@pytest.mark.parametrize("raw", ["-1", "soon", "301"])
def test_a_bad_ttl_is_refused_naming_the_setting(tmp_path: Path, raw: str):
    with pytest.raises(SettingsError, match="HAMYON_CATALOG_TTL"):
        load_settings({"HAMYON_CATALOG_TTL": raw}, dotenv=tmp_path / "none")
