"""Write seatdesk/data/catalogue.json: the default 部件/事件 catalogue of the demo county.

Class names and codes follow ../shared/reference/STANDARDS.md (CJ/T 214, GB/T 30428);
filing conditions and their limits follow the typical city standards quoted there.
Run once when the defaults change; the JSON is what seatdesk loads.
"""

import json
from pathlib import Path

DEPARTMENTS = [
    ("ZFJ", "县综合行政执法局", "0577-63711001"),
    ("ZJJ", "县住房和城乡建设局", "0577-63711002"),
    ("SZ", "县市政设施管理中心", "0577-63711003"),
    ("HW", "县环境卫生管理处", "0577-63711004"),
    ("YL", "县园林绿化管理处", "0577-63711005"),
    ("GD", "国网平阳县供电公司", "0577-63711006"),
    ("SW", "县自来水有限公司", "0577-63711007"),
    ("RQ", "县天然气有限公司", "0577-63711008"),
    ("JJ", "县公安局交通警察大队", "0577-63711009"),
    ("TX", "县通信管线联合办公室", "0577-63711010"),
    ("SCJ", "县市场监督管理局", "0577-63711011"),
]

COVER = [
    ("井盖丢失、移位或破损，存在安全隐患", "2紧急工作时", "井盖补齐或复位，隐患消除", None),
    ("井盖破损面积超过25平方厘米", "4工作时", "破损井盖更换完毕", None),
    ("井盖松动、翻转或有响声", "2工作日", "井盖稳固无响声", None),
    ("井盖周边下沉，高差超过2厘米", "5工作日", "井周修复平整", None),
]
LAMP = [
    ("灯杆倾斜、倒伏或电线裸露", "1工作日", "灯杆扶正或拆除，电线包扎", None),
    ("单灯不亮", "2工作日", "路灯恢复照明", None),
]
GENERIC_FACILITY = [("设施破损或缺失，影响使用", "3工作日", "设施修复或补齐", None)]

# (code, name, handling department, conditions)
COMPONENT_MINORS = {
    "01": ("公用设施", [
        ("0101", "上水井盖", "SW", COVER), ("0102", "污水井盖", "SZ", COVER),
        ("0103", "雨水井盖", "SZ", COVER), ("0104", "雨水箅子", "SZ", COVER),
        ("0105", "电力井盖", "GD", COVER), ("0106", "路灯井盖", "SZ", COVER),
        ("0107", "通讯井盖", "TX", COVER), ("0111", "燃气井盖", "RQ", COVER),
        ("0113", "消防设施", "ZFJ", GENERIC_FACILITY), ("0114", "无主井盖", "SZ", COVER),
        ("0116", "电力设施", "GD", GENERIC_FACILITY), ("0117", "电杆", "GD", GENERIC_FACILITY),
        ("0118", "路灯", "SZ", LAMP), ("0120", "景观灯", "SZ", LAMP),
        ("0121", "报刊亭", "ZFJ", GENERIC_FACILITY), ("0123", "邮筒", "ZFJ", GENERIC_FACILITY),
    ]),
    "02": ("道路交通", [
        ("0201", "停车场", "JJ", GENERIC_FACILITY), ("0203", "公交站亭", "ZJJ", GENERIC_FACILITY),
        ("0205", "过街天桥", "SZ", GENERIC_FACILITY), ("0209", "交通标志牌", "JJ", GENERIC_FACILITY),
        ("0210", "交通信号灯", "JJ", [("信号灯不亮或显示异常", "2紧急工作时", "信号灯恢复正常", None)]),
        ("0211", "交通护栏", "JJ", GENERIC_FACILITY), ("0213", "路名牌", "ZJJ", GENERIC_FACILITY),
    ]),
    "03": ("市容环境", [
        ("0301", "公共厕所", "HW", [("公厕不洁或设施损坏", "4工作时", "公厕保洁到位、设施修复", None)]),
        ("0304", "垃圾间", "HW", GENERIC_FACILITY),
        ("0305", "垃圾箱", "HW", [("垃圾箱破损或满溢", "4工作时", "垃圾箱修复或清运完毕", None)]),
    ]),
    "04": ("园林绿化", [
        ("0401", "古树名木", "YL", GENERIC_FACILITY),
        ("0402", "行道树", "YL", [("行道树倒伏或倾斜", "1工作日", "树木扶正或移除", None),
                                 ("行道树缺株、死株", "15工作日", "补植完毕", None)]),
        ("0403", "护树设施", "YL", GENERIC_FACILITY), ("0405", "绿地", "YL", GENERIC_FACILITY),
        ("0407", "街头坐椅", "YL", GENERIC_FACILITY),
    ]),
    "05": ("房屋土地", [("0501", "宣传栏", "ZFJ", GENERIC_FACILITY)]),
    "06": ("其他设施", [("0601", "其他设施", "ZJJ", GENERIC_FACILITY)]),
}

def E(desc: str, limit: str, close: str) -> tuple[str, str, str, None]:  # noqa: N802
    return (desc, limit, close, None)
EVENT_MINORS = {
    "01": ("市容环境", [
        ("0101", "私搭乱建", "ZFJ", [E("违法建筑已建成", "15工作日", "违法建筑拆除"),
                                  E("正在搭建", "2紧急工作时", "搭建行为制止")]),
        ("0102", "暴露垃圾", "HW", [E("垃圾散落于容器外", "4工作时", "垃圾清理干净")]),
        ("0103", "积存垃圾渣土", "HW", [E("积存垃圾渣土", "1工作日", "垃圾渣土清运完毕")]),
        ("0104", "道路不洁", "HW", [E("路面有垃圾、油污或浮土", "2工作时", "路面保洁到位")]),
        ("0105", "河道(水域)不洁", "HW", [E("水面漂浮物", "1工作日", "漂浮物打捞干净")]),
        ("0106", "绿地脏乱", "YL", [E("绿地内有垃圾", "4工作时", "绿地清理干净")]),
        ("0107", "废弃车辆", "JJ", [E("废弃车辆占用公共空间", "5工作日", "车辆清移")]),
    ]),
    "02": ("宣传广告", [
        ("0201", "非法小广告", "ZFJ", [E("张贴、涂写或喷涂小广告", "1工作日", "小广告清除干净")]),
        ("0202", "违规户外广告", "ZFJ", [E("未经审批设置户外广告", "5工作日", "广告拆除")]),
        ("0203", "占道广告牌", "ZFJ", [E("广告牌占用道路", "4工作时", "广告牌清移")]),
    ]),
    "03": ("施工管理", [
        ("0301", "施工扰民", "ZJJ", [E("夜间施工噪声扰民", "2紧急工作时", "施工停止")]),
        ("0302", "工地扬尘", "ZJJ", [E("工地未覆盖、扬尘明显", "4工作时", "覆盖或洒水到位")]),
        ("0303", "施工占道", "ZJJ", [E("施工围挡占用道路", "1工作日", "围挡整改")]),
        ("0304", "道路遗撒", "HW", [E("运输车辆遗撒", "2工作时", "路面清理干净")]),
    ]),
    "04": ("突发事件", [
        ("0401", "路面塌陷", "SZ", [E("路面塌陷", "2紧急工作时", "设置围挡并修复")]),
        ("0402", "供水管破裂", "SW", [E("供水管道破裂漏水", "1紧急工作时", "管道修复")]),
        ("0403", "燃气管道破裂", "RQ", [E("燃气管道破裂泄漏", "1紧急工作时", "泄漏排除")]),
        ("0404", "下水道堵塞", "SZ", [E("下水道堵塞冒溢", "4工作时", "疏通完毕")]),
        ("0405", "道路积水", "SZ", [E("道路积水影响通行", "2紧急工作时", "积水排除")]),
        ("0406", "道路积雪结冰", "SZ", [E("道路积雪结冰", "2紧急工作时", "积雪清除")]),
    ]),
    "05": ("街面秩序", [
        ("0501", "无照经营游商", "ZFJ", [E("流动摊贩占道经营", "2紧急工作时", "摊贩劝离")]),
        ("0502", "店外经营", "ZFJ", [E("超出门窗外墙经营", "2紧急工作时", "经营物品收回")]),
        ("0503", "机动车乱停放", "JJ", [E("机动车违停占用道路", "4工作时", "车辆驶离或处罚")]),
        ("0504", "非机动车乱停放", "ZFJ", [E("非机动车乱停", "4工作时", "车辆摆放整齐")]),
        ("0505", "乱堆物堆料", "ZFJ", [E("占道堆放物料", "1工作日", "物料清移")]),
        ("0506", "沿街晾晒", "ZFJ", [E("沿街晾晒衣物", "4工作时", "晾晒物收回")]),
        ("0507", "露天烧烤", "ZFJ", [E("占道露天烧烤", "2紧急工作时", "烧烤停止")]),
    ]),
}


def _classes(case_type: str, majors: dict) -> list:
    out = []
    for code, (name, minors) in majors.items():
        out.append({
            "type": case_type, "code": code, "name": name,
            "minors": [
                {
                    "code": mcode, "name": mname,
                    "conditions": [
                        {"description": d, "limit": lim, "closing": close,
                         "department": dept, "supervisor": sup or "ZFJ"}
                        for d, lim, close, sup in conds
                    ],
                }
                for mcode, mname, dept, conds in minors
            ],
        })
    return out


def main() -> None:
    data = {
        "county": {"code": "330326", "name": "平阳县"},
        "departments": [{"code": c, "name": n, "contact": t} for c, n, t in DEPARTMENTS],
        "classes": _classes("component", COMPONENT_MINORS) + _classes("event", EVENT_MINORS),
    }
    out = Path(__file__).resolve().parents[1] / "seatdesk" / "data" / "catalogue.json"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
