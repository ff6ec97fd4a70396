"""The collectors' view for ``scripts/screenshots.py --only collectors``: the demo's
three collectors registered, the county's grids shared among them by community, the
every fourth community typed 重点区域, and the coverage of the last 30 days on the map
(``docs/coverage_map.png``) with the register (``docs/collectors_register.png``).

The demo county has 3,000 cases over 90 days, about 0.07 reports a grid a day, so the
densities are scaled down to its volume (重点区域 0.2, 一般区域 0.1, 城郊区域 0.05 visits
a day) so that the map shows both kinds of grid; a real centre's are the seeded ones
or its own."""

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
        for code, name, visits in (("key", "重点区域", 0.2), ("general", "一般区域", 0.1),
                                   ("outskirts", "城郊区域", 0.05)):
            collectors.set_patrol_density(s, code=code, name=name, visits_per_day=visits)
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
    view.coverage.days_spin.setValue(30)
    view.coverage.refresh()
    wait(lambda: bool(view.coverage.rows))
    settle(1500)
    shoot(view, "coverage_map")
    return view
