"""Sentences of supervision (督查): what an urge of a department did, what a callback
sample holds, and the 督办 a department seat reads on its case."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    "supervision.department_urged": (
        "{count} overdue cases of {department} urged.",
        "已督办{department}的 {count} 件超期案卷。",
    ),
    "supervision.nothing_overdue": (
        "{department} has no overdue case to urge.",
        "{department}没有需要督办的超期案卷。",
    ),
    "supervision.sample_summary": (
        "{drawn} of the {population} complaints replied from {start} to {end} "
        "(share {share}), drawn by {who} at {when}; {called} called back.",
        "{start}至{end}已答复投诉 {population} 件，按 {share} 抽取 {drawn} 件"
        "（{who} 于 {when} 抽取），已回访 {called} 件。",
    ),
    "supervision.no_sample": (
        "No sample drawn for {start} to {end} yet.",
        "{start}至{end}尚未抽取回访样本。",
    ),
    "supervision.urged": (
        "Urged by {who} at {when}: {note}",
        "督办（{who}，{when}）：{note}",
    ),
}
