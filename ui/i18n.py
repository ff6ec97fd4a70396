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
from PySide6.QtCore import QCoreApplication, QDate, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QDateEdit, QWidget

TS_NAME = "seatdesk_zh_CN.ts"
#: Qt's own words its shipped Chinese catalogue lacks (the file dialog's 查找范围(&L)).
QT_EXTRA_TS_NAME = "qt_extra_zh_CN.ts"
I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"
TS_FILE = I18N_DIR / TS_NAME
LANGUAGES = ("zh", "en")
#: The importable package a wheel installs ``resources/`` as (like seatdesk_migrations).
RESOURCES_PACKAGE = "seatdesk_resources"
#: Dates read 2026-12-01 everywhere, in both languages (zh_CN's own short format is
#: 2026/12/1): ``date_edit`` for fields; ``ui.labels.format_time`` writes timestamps so.
DATE_FORMAT = "yyyy-MM-dd"
#: Qt's own translation catalogues loaded for Chinese (``qtbase_zh_CN.qm`` …).
QT_CATALOGUES = ("qtbase", "qtwebengine")


def ts_file(name: str = TS_NAME) -> Path:
    """The .ts of the checkout, else the one installed with the package."""
    beside = I18N_DIR / name
    if beside.is_file():
        return beside
    spec = importlib.util.find_spec(RESOURCES_PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            installed = Path(folder) / "i18n" / name
            if installed.is_file():
                return installed
    return beside


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


def date_edit(date: QDate | None = None, parent: QWidget | None = None) -> QDateEdit:
    """A date field that reads 2026-12-01 (``DATE_FORMAT``), with a calendar popup.

    Every date field of the app is made here (a test checks ``ui/`` for others): QLocale
    cannot change zh_CN's own 2026/12/1, and an app-wide event filter that set the
    format on every new date edit cost a Python call per Qt event and crashed PySide.
    """
    edit = QDateEdit(parent)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    if date is not None:
        edit.setDate(date)
    return edit


def install_translators(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Install seatdesk's and Qt's own Chinese (the standard dialogs: 查找范围, 取消 …)."""
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
    # Qt's own words: the standard dialogs and buttons (qtbase: 查找范围, 取消 …) and
    # the map page's context menu (qtwebengine). PySide6's wheels ship both.
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    china = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    for catalogue in QT_CATALOGUES:
        qt = QTranslator(app)
        if qt.load(china, catalogue, "_", qt_dir):
            app.installTranslator(qt)
            installed.append(qt)
    # Installed last, so asked first: the few words Qt's catalogue lacks.
    extra_qm = compiled_qm(ts_file(QT_EXTRA_TS_NAME))
    extra = QTranslator(app)
    if extra_qm is not None and extra.load(str(extra_qm)):
        app.installTranslator(extra)
        installed.append(extra)
    return installed
