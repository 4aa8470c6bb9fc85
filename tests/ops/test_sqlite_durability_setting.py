"""HAMYON_SQLITE_SYNCHRONOUS picks SQLite's durability level; anything else is refused by name.
(The SQLite adapter's own tests prove that the level reaches every connection's pragma.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from entrypoints.runtime import storage_options
from entrypoints.settings import SettingsError, load_settings


@pytest.mark.parametrize(("setting", "level"), [("", "FULL"), ("NORMAL", "NORMAL"), ("full", "FULL")])
def test_the_setting_is_how_the_sqlite_storage_is_opened(tmp_path: Path, setting: str, level: str):
    settings = load_settings({"HAMYON_DATABASE_URL": f"sqlite:///{tmp_path}/h.db",
                              "HAMYON_SQLITE_SYNCHRONOUS": setting}, dotenv=tmp_path / "none")
    assert storage_options(settings, migrate=True)["synchronous"] == level


def test_an_unsafe_level_is_refused_naming_the_setting(tmp_path: Path):
    with pytest.raises(SettingsError, match="HAMYON_SQLITE_SYNCHRONOUS"):
        load_settings({"HAMYON_SQLITE_SYNCHRONOUS": "OFF"}, dotenv=tmp_path / "none")
