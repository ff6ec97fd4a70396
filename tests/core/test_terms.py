"""The domain words have their names for people in the core, once: every member of
every glossary enum has a Chinese and an English term, the messages keep their
placeholders in both languages, and the UI holds no Chinese of its own outside tr()."""

from __future__ import annotations

import ast
import inspect
import re
from enum import Enum
from pathlib import Path

import pytest

from seatdesk import messages, terms
from seatdesk.domain import glossary
from seatdesk.domain.glossary import Action, RejectReason, Role, Stage, State
from seatdesk.errors import PermissionDenied
from seatdesk.terms import term

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
UI = Path(__file__).resolve().parents[2] / "ui"


def test_every_glossary_enum_is_named() -> None:
    enums = {
        obj for _, obj in inspect.getmembers(glossary, inspect.isclass)
        if issubclass(obj, Enum) and obj.__module__ == glossary.__name__
    }
    assert enums == set(terms.GLOSSARY_ENUMS)


@pytest.mark.parametrize("enum", terms.GLOSSARY_ENUMS, ids=lambda e: e.__name__)
def test_every_member_has_a_chinese_and_an_english_term(enum: type[Enum]) -> None:
    for member in enum:
        en, zh = terms.terms_of(member)
        assert CJK.search(zh), f"{member!r} has no Chinese term: {zh!r}"
        assert en and not CJK.search(en), f"{member!r} has no English term: {en!r}"
        assert terms.term(member, "zh") == zh and terms.term(member, "en") == en


def test_the_chosen_language_names_the_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEATDESK_LANG", "zh")
    assert terms.term(State.PRE_REGISTERED) == "已预立案"
    assert terms.term(RejectReason.DUPLICATE) == "重复上报"
    error = PermissionDenied(action=Action.CLOSE, roles={Role.ACCEPTOR},
                             allowed={Role.SHIFT_LEADER})
    assert str(error) == "您的岗位（受理员）无权执行“结案”，需要以下岗位之一：值班长。"
    monkeypatch.setenv("SEATDESK_LANG", "en")
    assert terms.term(State.PRE_REGISTERED) == "pre-registered"
    assert str(error) == "Your roles (acceptor) may not close; it needs one of: shift leader."


def test_every_message_keeps_its_placeholders_in_both_languages() -> None:
    for key in sorted(messages.keys()):
        en, zh = messages.templates(key)
        assert set(re.findall(r"\{(\w+)\}", en)) == set(re.findall(r"\{(\w+)\}", zh)), key


def _docstrings(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _inside_tr(tree: ast.AST) -> set[int]:
    """The string constants that are arguments of a ``tr(...)``/``self.tr(...)`` call."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else (
                node.func.id if isinstance(node.func, ast.Name) else "")
            if name in ("tr", "translate"):
                for arg in node.args:
                    ids.update(id(n) for n in ast.walk(arg))
    return ids


def test_the_ui_has_no_chinese_outside_tr() -> None:
    found = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        allowed = _docstrings(tree) | _inside_tr(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and CJK.search(node.value) and id(node) not in allowed):
                found.append(f"{path.relative_to(UI.parent)}:{node.lineno}: {node.value!r}")
    assert not found, "Chinese literals in ui/ (use seatdesk.terms, messages or tr()):\n" + (
        "\n".join(found))


def test_the_scan_finds_a_chinese_literal() -> None:
    tree = ast.parse('x = "受理员"\ny = self.tr("e.g. 井盖")\n')
    allowed = _docstrings(tree) | _inside_tr(tree)
    hits = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and id(n) not in allowed
            and CJK.search(str(n.value))]
    assert [n.value for n in hits] == ["受理员"]


def test_equal_values_of_two_enums_keep_their_own_names() -> None:
    # StrEnum members of equal value hash alike: 处置中 (a state) is not 处置 (a stage).
    assert term(State.HANDLING, "zh") == "处置中"
    assert term(Stage.HANDLING, "zh") == "处置"
