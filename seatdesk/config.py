"""Where seatdesk finds its database and keeps its files.

``SEATDESK_DATABASE_URL`` (or ``database_url`` in ``config.toml`` in the user's config
directory) points at the centre's shared PostgreSQL server. With neither, seatdesk runs
an embedded server in the user's data directory (``SEATDESK_DATA_DIR`` overrides it).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "seatdesk"
#: The name of the application database on the embedded server.
EMBEDDED_DATABASE = "seatdesk"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str | None
    data_dir: Path
    config_file: Path
    timezone: str

    @property
    def embedded(self) -> bool:
        return self.database_url is None


def config_file() -> Path:
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def load_settings() -> Settings:
    """Read the environment, then the config file; the environment wins."""
    path = config_file()
    file_values: dict[str, object] = {}
    if path.is_file():
        with path.open("rb") as fh:
            file_values = tomllib.load(fh)
    url = os.environ.get("SEATDESK_DATABASE_URL") or file_values.get("database_url")
    data_dir = os.environ.get("SEATDESK_DATA_DIR") or file_values.get("data_dir")
    timezone = os.environ.get("SEATDESK_TIMEZONE") or file_values.get("timezone")
    return Settings(
        database_url=str(url) if url else None,
        data_dir=Path(str(data_dir)).expanduser()
        if data_dir
        else platformdirs.user_data_path(APP_NAME),
        config_file=path,
        timezone=str(timezone) if timezone else "Asia/Shanghai",
    )
