"""The interface speaks Chinese by default through Qt's translations, English with
``--lang en``; every translation keeps its source's placeholders."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from seatdesk.domain.glossary import State
from ui.app import parse_args
from ui.i18n import TS_FILE, compiled_qm, install_translators
from ui.labels import label


def test_every_string_is_translated_with_the_same_placeholders():
    root = ET.parse(TS_FILE).getroot()
    messages = list(root.iter("message"))
    assert len(messages) > 150
    for m in messages:
        source = m.find("source").text
        translation = m.find("translation")
        assert translation.get("type") is None, f"untranslated: {source}"
        assert set(re.findall(r"\{\w+\}", source)) == set(
            re.findall(r"\{\w+\}", translation.text)
        ), source


def test_chinese_by_default_and_english_on_request(qtbot, monkeypatch):
    # Recorded first, so that the language chosen below is undone after the test.
    monkeypatch.setenv("SEATDESK_LANG", "zh")
    monkeypatch.delenv("SEATDESK_LANG")
    assert parse_args([]).lang == "zh"
    assert parse_args(["--lang", "en"]).lang == "en"
    assert compiled_qm() is not None
    app = QApplication.instance()
    translators = install_translators(app, "zh")
    try:
        assert QCoreApplication.translate("CaseTableModel", "Time left") == "剩余时间"
        assert label(State.PRE_REGISTERED) == "已预立案"
        # What the database does by itself reads as the system's, in Chinese.
        assert QCoreApplication.translate("CaseDetailWidget", "Deadline light") == "亮灯"
        assert QCoreApplication.translate("CaseDetailWidget", "System") == "系统"
    finally:
        for t in translators:
            app.removeTranslator(t)
    install_translators(app, "en")
    assert QCoreApplication.translate("CaseTableModel", "Time left") == "Time left"
    assert label(State.PRE_REGISTERED) == "pre-registered"
