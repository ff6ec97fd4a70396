"""Staff assessment (考核): the rule table of the bid document and the month's arithmetic.

The bid document's 综合考核办法 scores each member of staff every month from a base
(100 by default, the centre's setting), takes points off for each deduction and adds
them for each addition it lists (``RULES``, seeded into ``assessment_rules`` by
migration 0032). An entry records one rule applied ``count`` times; its points are

    points = rule.points × rule.multiplier × count

so that a district-level check (区级业务核查) deduction of 3 points counts −3 (1:1) and a
city-level one (市级及以上) −6 (×2). A rule with a ``monthly_cap`` adds at most that
much in one month whatever its entries say (上级政府部门颁发荣誉: 满分为5分).

The month's ranking: rank 1 is the highest score, equal scores share a rank. The
bottom (排名垫底, 待岗培训) is whoever ranks among the lowest ``bottom_n`` (or the lowest
``ceil(bottom_share × staff)``), counted from the bottom with ties sharing their place,
so a tie at the boundary flags every tied member; when every score is the same nobody
is at the bottom. At the bottom two months in a row: the elimination rule (末位淘汰).

The database computes the same thing set-based (``seatdesk_assessment_ranking``); this
module is the reference the tests hold it to, and the reader's one place to find the
rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from seatdesk.domain.glossary import RuleSection, RuleUnit


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the document: ``points`` per count (negative: a deduction), times
    ``multiplier``; ``monthly_cap`` bounds what the rule adds (or takes) in one month."""

    code: str
    section: RuleSection
    points: Decimal
    title_zh: str
    title_en: str
    multiplier: Decimal = Decimal(1)
    unit: RuleUnit = RuleUnit.EACH
    monthly_cap: Decimal | None = None

    def __post_init__(self) -> None:
        if self.points == 0 or self.multiplier <= 0:
            raise ValueError(f"rule {self.code}: points must be non-zero, multiplier positive")
        if self.monthly_cap is not None and self.monthly_cap <= 0:
            raise ValueError(f"rule {self.code}: a cap is positive")

    def points_for(self, count: Decimal) -> Decimal:
        """The points of an entry of this rule applied ``count`` times."""
        if count <= 0:
            raise ValueError("a count is positive")
        return self.points * self.multiplier * count


def _rule(code: str, section: RuleSection, points: int, zh: str, en: str, **kw: object) -> Rule:
    return Rule(code, section, Decimal(points), zh, en, **kw)  # type: ignore[arg-type]


_B, _S, _U, _O, _P = (RuleSection.BUDGET, RuleSection.SAFETY, RuleSection.BUSINESS,
                      RuleSection.OVERALL, RuleSection.BONUS)

#: Every rule the bid document gives (综合考核办法, 2) 具体考核内容 and 3) 加分), in its order.
RULES: tuple[Rule, ...] = (
    _rule("budget_overrun", _B, -2, "超出预算（每超出十元）", "Over budget (per ten yuan)",
          unit=RuleUnit.TEN_YUAN),
    _rule("asset_damage", _B, -3, "导致公司资产损坏或资源浪费", "Company assets damaged or wasted"),
    _rule("no_vest_helmet", _S, -2, "未佩戴闪光背心及头盔", "No reflective vest or helmet"),
    _rule("vehicle_brakes", _S, -2, "巡查车辆刹车故障或制动不良", "Patrol vehicle brakes faulty"),
    _rule("slippers_at_work", _S, -2, "施工作业期间穿戴拖鞋", "Slippers worn at work"),
    _rule("safety_rules", _S, -2, "未熟练掌握安全操作规程", "Safety procedures not mastered"),
    _rule("liability_accident", _S, -2, "发生责任事故", "Accident of own fault"),
    _rule("district_check", _U, -1, "区级业务核查扣分（1:1计入）",
          "District-level check deduction (counted 1:1)", unit=RuleUnit.POINT),
    _rule("city_check", _U, -1, "市级及以上检查扣分（×2计入）",
          "City-level check deduction (counted ×2)", multiplier=Decimal(2),
          unit=RuleUnit.POINT),
    _rule("media_exposure", _U, -2, "遭新闻媒体曝光或上级领导公开指摘",
          "Exposed by the media or publicly criticised by superiors"),
    _rule("unreported_problem", _O, -4, "隐瞒问题未向公司上报", "Problem concealed, not reported"),
    _rule("unfair_management", _O, -4, "管理不公，员工投诉经查属实",
          "Unfair management: staff complaint upheld"),
    _rule("public_dispute", _O, -4, "公共区域纠纷升级为群体事件未及时干预",
          "Public dispute escalated, not stopped in time"),
    _rule("rectification_late", _O, -2, "未按期完成上级整改要求", "Rectification not done on time"),
    _rule("staff_turnover", _O, -2, "月度离职率超过30%", "Monthly staff turnover over 30%"),
    _rule("passive_work", _O, -2, "缺乏时间管理意识、行动迟缓、消极应付",
          "Slow or perfunctory work on assigned tasks"),
    _rule("unapproved_hiring", _O, -2, "未经审批私自雇佣不合规人员", "Hiring without approval"),
    _rule("no_induction", _O, -2, "未对新入职人员进行岗前培训", "New staff not trained"),
    _rule("no_weekly_assessment", _O, -4, "未实施每周一次员工考核", "No weekly staff assessment"),
    _rule("public_praise", _P, 5, "获新闻媒体或上级机构公开赞誉",
          "Publicly praised by the media or superiors"),
    _rule("government_honour", _P, 5, "获上级政府部门颁发荣誉（满分5分）",
          "Honour from a government body (at most 5)", monthly_cap=Decimal(5)),
)
RULES_BY_CODE: Mapping[str, Rule] = {r.code: r for r in RULES}

DEFAULT_BASE = Decimal(100)
DEFAULT_BOTTOM_N = 1


@dataclass(frozen=True, slots=True)
class Applied:
    """One entry as the arithmetic needs it: whose, which rule, how many points (a
    reversal carries the opposite points of the entry it reverses)."""

    staff: str
    rule: str
    points: Decimal


@dataclass(frozen=True, slots=True)
class Ranked:
    """One member of staff in the month's ranking."""

    staff: str
    score: Decimal
    rank: int
    bottom: bool
    eliminate: bool = False


def month_scores(
    base: Decimal, staff: Iterable[str], entries: Iterable[Applied],
    rules: Mapping[str, Rule] = RULES_BY_CODE,
) -> dict[str, Decimal]:
    """Each member's score: the base plus, per rule, the sum of its entries (bounded by
    the rule's monthly cap). Staff with no entries score the base."""
    sums: dict[tuple[str, str], Decimal] = {}
    for e in entries:
        sums[e.staff, e.rule] = sums.get((e.staff, e.rule), Decimal(0)) + e.points
    scores = {s: base for s in staff}
    for (who, code), total in sums.items():
        cap = rules[code].monthly_cap
        if cap is not None:
            total = max(-cap, min(cap, total))
        scores[who] = scores.get(who, base) + total
    return scores


def bottom_size(staff: int, *, bottom_n: int | None, bottom_share: Decimal | None) -> int:
    """How many places from the bottom are flagged: ``bottom_n``, or the share of the
    staff rounded up (at least one when anyone is ranked)."""
    if staff == 0:
        return 0
    if bottom_n is not None:
        return bottom_n
    if bottom_share is not None:
        return max(1, math.ceil(bottom_share * staff))
    return DEFAULT_BOTTOM_N


def rank(
    scores: Mapping[str, Decimal], *, bottom_n: int | None = DEFAULT_BOTTOM_N,
    bottom_share: Decimal | None = None,
) -> list[Ranked]:
    """The ranking, best first (ties in staff order): ``rank`` counts from the top and
    ties share it (1, 2, 2, 4); the bottom as the module says."""
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    values = [v for _, v in ordered]
    k = bottom_size(len(values), bottom_n=bottom_n, bottom_share=bottom_share)
    all_equal = len(set(values)) <= 1
    out: list[Ranked] = []
    for who, score in ordered:
        top_rank = 1 + sum(1 for v in values if v > score)
        low_rank = 1 + sum(1 for v in values if v < score)
        out.append(Ranked(who, score, top_rank, bottom=not all_equal and low_rank <= k))
    return out


def with_elimination(this: Sequence[Ranked], previous: Iterable[Ranked]) -> list[Ranked]:
    """This month's ranking with the elimination flag: at the bottom now and last month."""
    before = {r.staff for r in previous if r.bottom}
    return [
        Ranked(r.staff, r.score, r.rank, r.bottom, r.bottom and r.staff in before) for r in this
    ]
