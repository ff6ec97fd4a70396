"""The assessment arithmetic (seatdesk.domain.assessment), without a database: the
document's rules as seeded, hand-worked cases, and properties of the ranking."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from seatdesk.domain import assessment as a

D = Decimal


def test_the_documents_rules_and_their_points() -> None:
    r = a.RULES_BY_CODE
    assert r["no_vest_helmet"].points_for(D(1)) == D(-2)
    assert r["district_check"].points_for(D(3)) == D(-3)  # 1:1
    assert r["city_check"].points_for(D(3)) == D(-6)  # ×2
    assert r["media_exposure"].points_for(D(1)) == D(-2)
    assert r["unreported_problem"].points_for(D(1)) == D(-4)
    assert r["public_praise"].points_for(D(1)) == D(5)
    assert r["budget_overrun"].points_for(D(3)) == D(-6)  # 30 yuan over: 3 × −2
    assert len(a.RULES) == 21 and len(r) == 21


def test_a_hand_worked_month() -> None:
    # x: −2 −3 → 95; y: −4 +5 → 101; z: +5 +5 capped at 5, −4 → 101; w: nothing → 100.
    entries = [a.Applied("x", "no_vest_helmet", D(-2)), a.Applied("x", "district_check", D(-3)),
               a.Applied("y", "city_check", D(-4)), a.Applied("y", "public_praise", D(5)),
               a.Applied("z", "government_honour", D(5)),
               a.Applied("z", "government_honour", D(5)),
               a.Applied("z", "unreported_problem", D(-4))]
    scores = a.month_scores(D(100), ["w", "x", "y", "z"], entries)
    assert scores == {"w": D(100), "x": D(95), "y": D(101), "z": D(101)}
    ranked = a.rank(scores)
    assert [(r.staff, r.rank, r.bottom) for r in ranked] == [
        ("y", 1, False), ("z", 1, False), ("w", 3, False), ("x", 4, True)]
    before = a.rank({"w": D(100), "x": D(99)})
    assert [r.staff for r in a.with_elimination(ranked, before) if r.eliminate] == ["x"]
    assert [r.staff for r in a.rank(scores, bottom_n=None, bottom_share=D("0.5")) if r.bottom] \
        == ["w", "x"]


scores_st = st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3),
                            st.integers(-50, 120).map(D), min_size=1, max_size=30)


@given(scores_st, st.integers(1, 5))
def test_ranking_properties(scores: dict[str, Decimal], n: int) -> None:
    ranked = a.rank(scores, bottom_n=n)
    assert [r.score for r in ranked] == sorted(scores.values(), reverse=True)
    for r in ranked:
        # The rank is one more than the number of better scores: ties share it.
        assert r.rank == 1 + sum(1 for v in scores.values() if v > r.score)
    flagged = [r for r in ranked if r.bottom]
    if len(set(scores.values())) == 1:
        assert not flagged
    else:
        # At least n flagged when there are that many below the top, every flagged one at
        # or below every unflagged one, and a tie is flagged whole.
        assert flagged
        assert max(r.score for r in flagged) <= min(
            (r.score for r in ranked if not r.bottom), default=D("Infinity"))
        assert len(flagged) >= min(n, sum(1 for v in scores.values() if v < max(scores.values())))


@given(scores_st, st.sampled_from(sorted(a.RULES_BY_CODE)), st.integers(1, 10))
def test_a_deduction_never_lifts_anyone(scores: dict[str, Decimal], code: str, count: int
                                        ) -> None:
    rule = a.RULES_BY_CODE[code]
    who = sorted(scores)[0]
    before = a.month_scores(D(100), scores, [])
    after = a.month_scores(D(100), scores, [a.Applied(who, code, rule.points_for(D(count)))])
    if rule.points < 0:
        assert after[who] < before[who]
    else:
        assert after[who] > before[who]
        if rule.monthly_cap is not None:
            assert after[who] - before[who] <= rule.monthly_cap
