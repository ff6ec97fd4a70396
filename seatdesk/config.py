"""Where seatdesk finds its database and keeps its files.

``SEATDESK_DATABASE_URL`` (or ``database_url`` in ``config.toml`` in the user's config
directory) points at the centre's shared PostgreSQL server. With neither, seatdesk runs
an embedded server in the user's data directory (``SEATDESK_DATA_DIR`` overrides it).
``SEATDESK_REPORTING_URL`` (``reporting_url``) points the heavy readers — statistics,
exports, the dashboard, the monthly report — at a streaming replica of that server
(``seatdesk.db.reporting``); ``SEATDESK_REPLICA_MAX_LAG`` (``replica_max_lag_seconds``)
is how far behind it may be before the desk reads from the main server instead.
The scheduler writes last month's report into ``report_folder`` (``SEATDESK_REPORT_FOLDER``;
by default ``reports`` in the data directory), and the embedded database's nightly backup
into ``backup_folder`` (``SEATDESK_BACKUP_FOLDER``; by default ``backups`` in the data
directory), keeping the last ``backup_keep`` (``SEATDESK_BACKUP_KEEP``, default 14) at
``backup_hour`` o'clock (``SEATDESK_BACKUP_HOUR``, default 2) in the centre's time zone.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "seatdesk"
#: A desk locks itself after this many minutes without input (等保 2.0: session lock).
DEFAULT_IDLE_LOCK_MINUTES = 15.0
#: The name of the application database on the embedded server.
EMBEDDED_DATABASE = "seatdesk"
#: How many nightly backups the scheduler keeps, and the hour it writes them.
DEFAULT_BACKUP_KEEP = 14
DEFAULT_BACKUP_HOUR = 2
#: A replica further behind than this (seconds) is not read: the primary is.
DEFAULT_REPLICA_MAX_LAG_SECONDS = 60.0
#: After the replica failed (unreachable or lagging), the desk asks it again this late.
DEFAULT_REPLICA_RETRY_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str | None
    data_dir: Path
    config_file: Path
    timezone: str
    #: Minutes without keyboard or mouse input after which the desk locks itself and
    #: asks for the password again (``SEATDESK_IDLE_LOCK_MINUTES``, ``idle_lock_minutes``).
    idle_lock_minutes: float = DEFAULT_IDLE_LOCK_MINUTES
    #: The centre's name as the desk shows it for its database (``centre_name`` in the
    #: config file, ``SEATDESK_CENTRE_NAME``) when the database's own
    #: ``centre_settings['centre_name']`` holds none.
    centre_name: str | None = None
    #: ``report_folder`` as configured (``SEATDESK_REPORT_FOLDER``, ``report_folder`` in
    #: the config file); None: the default.
    configured_report_folder: Path | None = None
    #: ``backup_folder`` as configured; None: ``backups`` in the data directory.
    configured_backup_folder: Path | None = None
    #: How many nightly backups to keep (the oldest beyond are deleted).
    backup_keep: int = DEFAULT_BACKUP_KEEP
    #: The hour (0–23, the centre's time zone) of the nightly backup.
    backup_hour: int = DEFAULT_BACKUP_HOUR
    #: The streaming replica the heavy readers use (``SEATDESK_REPORTING_URL``,
    #: ``reporting_url``): host, port and database; each seat logs in with its own
    #: login and password, as on the primary. None: everything reads the primary.
    reporting_url: str | None = None
    #: How far (seconds) the replica may lag before the desk falls back to the primary
    #: (``SEATDESK_REPLICA_MAX_LAG``, ``replica_max_lag_seconds``).
    replica_max_lag_seconds: float = DEFAULT_REPLICA_MAX_LAG_SECONDS
    #: How long (seconds) after a fallback the desk tries the replica again
    #: (``SEATDESK_REPLICA_RETRY``, ``replica_retry_seconds``).
    replica_retry_seconds: float = DEFAULT_REPLICA_RETRY_SECONDS

    @property
    def embedded(self) -> bool:
        return self.database_url is None

    @property
    def report_folder(self) -> Path:
        """Where the scheduler writes last month's report: as configured, or ``reports``
        in the data directory. Whichever workstation's scheduler writes it, the file
        lands in THAT workstation's folder, so a centre points every workstation at the
        same shared folder."""
        return self.configured_report_folder or self.data_dir / "reports"

    @property
    def backup_folder(self) -> Path:
        """Where the nightly backup of the embedded database is written."""
        return self.configured_backup_folder or self.data_dir / "backups"


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
    idle = os.environ.get("SEATDESK_IDLE_LOCK_MINUTES") or file_values.get("idle_lock_minutes")
    centre = os.environ.get("SEATDESK_CENTRE_NAME") or file_values.get("centre_name")
    reports = os.environ.get("SEATDESK_REPORT_FOLDER") or file_values.get("report_folder")
    backups = os.environ.get("SEATDESK_BACKUP_FOLDER") or file_values.get("backup_folder")
    keep = os.environ.get("SEATDESK_BACKUP_KEEP") or file_values.get("backup_keep")
    hour = os.environ.get("SEATDESK_BACKUP_HOUR") or file_values.get("backup_hour")
    reporting = os.environ.get("SEATDESK_REPORTING_URL") or file_values.get("reporting_url")
    max_lag = os.environ.get("SEATDESK_REPLICA_MAX_LAG") or file_values.get(
        "replica_max_lag_seconds"
    )
    retry = os.environ.get("SEATDESK_REPLICA_RETRY") or file_values.get("replica_retry_seconds")
    data_path = (
        Path(str(data_dir)).expanduser() if data_dir else platformdirs.user_data_path(APP_NAME)
    )
    return Settings(
        database_url=str(url) if url else None,
        data_dir=data_path,
        config_file=path,
        timezone=str(timezone) if timezone else "Asia/Shanghai",
        idle_lock_minutes=_positive_minutes(idle),
        centre_name=str(centre).strip() or None if centre else None,
        configured_report_folder=Path(str(reports)).expanduser() if reports else None,
        configured_backup_folder=Path(str(backups)).expanduser() if backups else None,
        backup_keep=_whole(keep, DEFAULT_BACKUP_KEEP, 1, 10_000),
        backup_hour=_whole(hour, DEFAULT_BACKUP_HOUR, 0, 23),
        reporting_url=str(reporting).strip() or None if reporting else None,
        replica_max_lag_seconds=_positive(max_lag, DEFAULT_REPLICA_MAX_LAG_SECONDS),
        replica_retry_seconds=_positive(retry, DEFAULT_REPLICA_RETRY_SECONDS),
    )


def _whole(value: object, default: int, low: int, high: int) -> int:
    """A whole number within [low, high]; anything else is the default (a bad setting
    must not stop the backups)."""
    try:
        number = int(str(value))
    except ValueError:
        return default
    return number if low <= number <= high else default


def _positive_minutes(value: object) -> float:
    """A positive number of minutes; anything else is the default (a desk always locks)."""
    try:
        minutes = float(str(value))
    except ValueError:
        return DEFAULT_IDLE_LOCK_MINUTES
    return minutes if minutes > 0 else DEFAULT_IDLE_LOCK_MINUTES


def _positive(value: object, default: float) -> float:
    """A positive number of seconds; anything else (unset, a typo) is the default, so a
    bad setting never leaves the desk reading a replica without a lag limit."""
    if value is None:
        return default
    try:
        number = float(str(value))
    except ValueError:
        return default
    return number if number > 0 else default
