"""The category search's ranking rule, a pure function over the catalogue (no database)."""

from __future__ import annotations

import json
from importlib import resources

from hypothesis import given
from hypothesis import strategies as st

from seatdesk.domain.glossary import CaseType
from seatdesk.services.catalogue import (
    MATCH_EXACT,
    MATCH_PREFIX,
    MATCH_SUBSTRING,
    CategoryInfo,
    category_match,
    rank_categories,
)


def _catalogue() -> list[CategoryInfo]:
    """The shipped catalogue's minor classes, in the order the service reads them."""
    text = resources.files("seatdesk.data").joinpath("catalogue.json").read_text("utf-8")
    out: list[CategoryInfo] = []
    for major in json.loads(text)["classes"]:
        for minor in major["minors"]:
            out.append(CategoryInfo(len(out) + 1, CaseType(major["type"]), minor["code"],
                                    minor["name"], major["code"], major["name"]))
    return sorted(out, key=lambda c: (c.case_type.value, c.code))


CATALOGUE = _catalogue()


def _codes(found: list[CategoryInfo]) -> list[str]:
    return [f"{c.code} {c.name}" for c in found]


def test_an_exact_name_comes_before_names_that_start_with_it() -> None:
    found = _codes(rank_categories("路灯", CATALOGUE))
    assert found[0] == "0118 路灯"
    assert "0106 路灯井盖" in found
    assert found.index("0118 路灯") < found.index("0106 路灯井盖")


def test_an_exact_code_comes_first() -> None:
    found = rank_categories("0102", CATALOGUE)
    assert {c.code for c in found[:2]} == {"0102"}  # a component and an event share it
    assert all(c.code == "0102" for c in found)  # no other code contains 0102


def test_a_code_prefix_before_a_substring() -> None:
    found = rank_categories("01", CATALOGUE)
    ranks = [category_match("01", c) for c in found]
    assert ranks == sorted(ranks)  # exact, then prefix, then substring
    assert found[0].code.startswith("01")


def test_prefix_then_substring_of_a_name() -> None:
    a = CategoryInfo(1, CaseType.COMPONENT, "0201", "井盖破损", "02", "道路")
    b = CategoryInfo(2, CaseType.COMPONENT, "0101", "上水井盖", "01", "公用设施")
    c = CategoryInfo(3, CaseType.COMPONENT, "0301", "井盖", "03", "其他")
    assert rank_categories("井盖", [b, a, c]) == [c, a, b]
    assert [category_match("井盖", x) for x in (c, a, b)] == [
        MATCH_EXACT, MATCH_PREFIX, MATCH_SUBSTRING]


def test_the_major_class_name_is_searched_last_and_nothing_else_matches() -> None:
    found = rank_categories("公用设施", CATALOGUE)
    assert found and all(c.major_name == "公用设施" for c in found)
    assert rank_categories("不存在的类别", CATALOGUE) == []
    assert rank_categories("   ", CATALOGUE) == []


def test_the_limit_keeps_the_best() -> None:
    assert rank_categories("0", CATALOGUE, limit=3) == rank_categories("0", CATALOGUE)[:3]


@given(st.text(min_size=1, max_size=4))
def test_every_match_contains_the_query_and_ranks_never_go_down(query: str) -> None:
    found = rank_categories(query, CATALOGUE)
    q = query.strip().casefold()
    ranks = [category_match(query, c) for c in found]
    assert None not in ranks and ranks == sorted(ranks)  # type: ignore[type-var]
    for c in found:
        assert q in f"{c.code}\n{c.name}\n{c.major_name}".casefold()
    missing = [c for c in CATALOGUE if c not in found]
    assert all(category_match(query, c) is None for c in missing)
