"""The collectors' view for ``scripts/screenshots.py --only collectors``: the demo's
three collectors registered, the county's grids shared among them by community, the
busiest communities typed 重点区域, and the coverage of the last 7 days on the map
(``docs/coverage_map.png``) with the register (``docs/collectors_register.png``)."""

from __future__ import annotations

from typing import Any


def collector_shots(
    owner: Any, address: Any, password: str, wait: Any, settle: Any, shoot: Any
) -> Any:
    from sqlalchemy import text

    from seatdesk.db.engine import session_factory
    from seatdesk.demo import COLLECTORS
    from seatdesk.services import collectors
    from ui.desk import log_in, open_desk
    from ui.widgets.admin_collectors import CollectorsView

    with session_factory(owner).begin() as s:
        s.execute(text('SET LOCAL ROLE "admin1"'))
        s.execute(text("SELECT set_config('seatdesk.act_as', 'admin1', true)"))
        for i, name in enumerate(COLLECTORS):
            collectors.save_collector(
                s, collector_id=name, name=name.split()[-1], staff_number=f"CJ{i + 1:03d}",
                phone=f"1380577{i + 1:04d}", device_id=f"CJQ-{i + 1:04d}")
        communities = sorted({b.grid_code[:12] for b in collectors.grid_bindings(s)})
        for i, community in enumerate(communities):
            codes = [b.grid_code for b in collectors.grid_bindings(s, community)]
            collectors.bind_grids(s, collector_id=COLLECTORS[i % len(COLLECTORS)], grids=codes)
            if i % 4 == 0:
                collectors.set_grid_type(s, grids=codes, grid_type="key")
            elif i % 4 == 3:
                collectors.set_grid_type(s, grids=codes, grid_type="outskirts")

    desk = open_desk(log_in(address, "admin1", password))
    view = CollectorsView(desk)
    view.resize(1500, 820)
    view.show()
    drawn: list[str] = []
    view.map.sig_drawn.connect(lambda kind, *_r: drawn.append(kind))
    wait(lambda: view.register.rowCount() == len(COLLECTORS))
    wait(lambda: "grids" in drawn, 30_000)
    settle(800)
    shoot(view, "collectors_register")
    view.tabs.setCurrentIndex(view.tabs.indexOf(view.coverage))
    view.coverage.refresh()
    wait(lambda: bool(view.coverage.rows))
    settle(1500)
    shoot(view, "coverage_map")
    return view
