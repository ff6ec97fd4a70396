"""The interface's language: Chinese by default through Qt's translation system.

Source strings are English (``tr()``); ``resources/i18n/seatdesk_zh_CN.ts`` holds the
Chinese, kept with ``python scripts/update_translations.py`` (lupdate, no source
locations). The compiled ``.qm`` is not in git: it is built here at start-up with the
``lrelease`` that ships inside PySide6 whenever it is missing or older than its ``.ts``,
next to it when that folder is writable and in the user's cache otherwise. A wheel
carries the ``.ts`` in the package ``seatdesk_resources`` (``resources/`` installed under
that name, as ``migrations/`` is); a checkout uses ``resources/i18n`` directly.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path

import platformdirs
import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

TS_NAME = "seatdesk_zh_CN.ts"
I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"
TS_FILE = I18N_DIR / TS_NAME
LANGUAGES = ("zh", "en")
#: The importable package a wheel installs ``resources/`` as (like seatdesk_migrations).
RESOURCES_PACKAGE = "seatdesk_resources"


def ts_file() -> Path:
    """The .ts of the checkout, else the one installed with the package."""
    if TS_FILE.is_file():
        return TS_FILE
    spec = importlib.util.find_spec(RESOURCES_PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            installed = Path(folder) / "i18n" / TS_NAME
            if installed.is_file():
                return installed
    return TS_FILE


def set_language(lang: str) -> None:
    """Tell the core too: its messages (errors, labels) follow the same choice."""
    os.environ["SEATDESK_LANG"] = lang


def compiled_qm(ts: Path | None = None) -> Path | None:
    """The ``.qm`` of the .ts, compiled now if missing or stale; None if impossible."""
    source = ts or ts_file()
    if not source.is_file():
        return None
    beside = source.with_suffix(".qm")
    if beside.is_file() and beside.stat().st_mtime >= source.stat().st_mtime:
        return beside
    target = beside if os.access(source.parent, os.W_OK) else (
        platformdirs.user_cache_path("seatdesk") / beside.name
    )
    cached = target.is_file() and target.stat().st_mtime >= source.stat().st_mtime
    if cached:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(PySide6.__file__).parent
    lrelease = next(
        (p for p in (folder / "lrelease", folder / "lrelease.exe") if p.is_file()),
        folder / "lrelease",
    )
    try:
        subprocess.run(
            [str(lrelease), "-silent", str(source), "-qm", str(target)],
            check=True,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return target if target.is_file() else None


def install_translators(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Install seatdesk's and Qt's own Chinese (buttons of standard dialogs)."""
    set_language(lang)
    if lang != "zh":
        QLocale.setDefault(QLocale(QLocale.Language.English))
        return []
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    installed: list[QTranslator] = []
    qm = compiled_qm()
    if qm is not None:
        ours = QTranslator(app)
        if ours.load(str(qm)):
            app.installTranslator(ours)
            installed.append(ours)
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", qt_dir):
        app.installTranslator(qt)
        installed.append(qt)
    return installed
