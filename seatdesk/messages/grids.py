"""Sentences about unit grids (seatdesk.domain.grids, seatdesk.services.grids, `seatdesk grids`)."""

from __future__ import annotations

#: key: (English, 中文)
CATALOG: dict[str, tuple[str, str]] = {
    # The refusals of seatdesk_change_grids (migration 0037): the desk checks first, so
    # these reach a person only after a race or from a hand-made call.
    "field.grid_code": ("Grid code", "网格编码"),
    "field.grid_name": ("Grid name", "网格名称"),
    "field.grid_polygon": ("Grid boundary", "网格边界"),
    "field.grid_area": ("Grid area", "网格面积"),
    "field.grid_dates": ("Grid dates", "网格启用和停用日期"),
    "field.grid_note": ("Grid note", "网格备注"),
    "field.grid_end": ("Grid end date", "网格停用日期"),
    "problem.malformed_grid_code": (
        "{value} is not 15 digits", "{value} 不是15位数字",
    ),
    "problem.not_a_polygon": (
        "of {value} is not a GeoJSON Polygon or MultiPolygon",
        "{value} 的边界不是 GeoJSON 多边形（Polygon 或 MultiPolygon）",
    ),
    "problem.out_of_order": (
        "of {value}: the end date comes before the start date",
        "{value} 的停用日期早于启用日期",
    ),
    "problem.already_ended": (
        "{value} has already ended on {end}", "{value} 已于 {end} 停用",
    ),
    "problem.before_start": (
        "{value} cannot end before it started ({start})", "{value} 不能早于启用日期（{start}）停用",
    ),
    "grid.no_code": (
        "Feature {index} has no grid code (property `code`, 15 digits).",
        "第 {index} 个要素没有网格编码（属性 code，15位数字）。",
    ),
    "grid.code_format": (
        "Grid code {code} is not 15 digits (6 county + 3 street + 3 community + 3 sequence).",
        "网格编码 {code} 不是15位数字（6位县级区划 + 3位街道 + 3位社区 + 3位顺序码）。",
    ),
    "grid.code_16": (
        "Grid code {code} has 16 digits (a 4-digit sequence); it is stored as the standard "
        "15-digit code {short}.",
        "网格编码 {code} 为16位（4位顺序码），按15位标准编码 {short} 保存。",
    ),
    "grid.code_16_too_long": (
        "Grid code {code} has 16 digits and its sequence {sequence} does not fit the 3 digits "
        "of the standard 15-digit code.",
        "网格编码 {code} 为16位，其顺序码 {sequence} 超出15位标准编码的3位顺序码。",
    ),
    "grid.code_sequence_zero": (
        "Grid code {code} has the sequence 000; sequences start at 001.",
        "网格编码 {code} 的顺序码为000，顺序码应从001开始。",
    ),
    "grid.community_mismatch": (
        "Grid {code}: its code does not begin with its {level} code {given}.",
        "网格 {code}：编码的前几位与其{level}编码 {given} 不一致。",
    ),
    "grid.level.community": ("community", "社区（村）"),
    "grid.level.street": ("street", "街道（乡镇）"),
    "grid.level.county": ("county", "县级区划"),
    "grid.community_format": (
        "Community code {code} is not 12 digits (6 county + 3 street + 3 community).",
        "社区编码 {code} 不是12位数字（6位县级区划 + 3位街道 + 3位社区）。",
    ),
    "grid.duplicate": (
        "Grid {code} appears {count} times in the file.",
        "网格 {code} 在文件中出现了 {count} 次。",
    ),
    "grid.no_geometry": ("Grid {code} has no geometry.", "网格 {code} 没有几何图形。"),
    "grid.not_polygon": (
        "Grid {code}: the geometry is a {kind}, not a polygon.",
        "网格 {code}：几何类型为 {kind}，不是多边形。",
    ),
    "grid.multipart": (
        "Grid {code}: the geometry has {parts} separate parts; a grid is one closed polygon.",
        "网格 {code}：几何图形由 {parts} 个分离部分组成，单元网格应为一个闭合多边形。",
    ),
    "grid.bad_coordinates": (
        "Grid {code}: its coordinates are not pairs of numbers.",
        "网格 {code}：坐标不是成对的数字。",
    ),
    "grid.too_few_points": (
        "Grid {code}: the boundary has {count} points, too few for a polygon with an area.",
        "网格 {code}：边界只有 {count} 个点，不足以构成有面积的多边形。",
    ),
    "grid.not_closed": (
        "Grid {code}: the boundary is not closed (it starts at {first} and ends at {last}).",
        "网格 {code}：边界不闭合（起点 {first}，终点 {last}）。",
    ),
    "grid.not_degrees": (
        "Grid {code}: the point {point} is not a longitude/latitude in degrees; give the "
        "file's coordinate system with --crs (for example EPSG:4528).",
        "网格 {code}：点 {point} 不是经纬度（度）；请用 --crs 指明文件的坐标系（如 EPSG:4528）。",
    ),
    "grid.self_intersection": (
        "Grid {code}: the boundary crosses itself at {where}.",
        "网格 {code}：边界在 {where} 处自相交。",
    ),
    "grid.invalid_polygon": (
        "Grid {code}: the polygon is not valid ({reason}).",
        "网格 {code}：多边形无效（{reason}）。",
    ),
    "grid.bad_date": (
        "Grid {code}: the {which} {value} is not a date (YYYYMMDD).",
        "网格 {code}：{which} {value} 不是日期（YYYYMMDD）。",
    ),
    "grid.which.start_date": ("start date", "起始日期"),
    "grid.which.end_date": ("end date", "终止日期"),
    "grid.dates_order": (
        "Grid {code}: the end date {end} is before the start date {start}.",
        "网格 {code}：终止日期 {end} 早于起始日期 {start}。",
    ),
    "grid.overlap": (
        "Grids {code} and {other} overlap by {area} m² around {where}.",
        "网格 {code} 与 {other} 在 {where} 附近重叠 {area} 平方米。",
    ),
    "grid.gap": (
        "Community {code} has a gap of {area} m² around {where} that none of its grids "
        "covers (next to {near}).",
        "社区 {code} 在 {where} 附近有 {area} 平方米的空隙未被任何网格覆盖（邻近 {near}）。",
    ),
    "grid.outside_community": (
        "Grid {code} lies outside its community {community}: it touches none of the "
        "community's other grids.",
        "网格 {code} 位于其所属社区 {community} 之外：与该社区其他网格均不相连。",
    ),
    "grid.outside_boundary": (
        "Grid {code} reaches {area} m² outside the boundary of its community {community}.",
        "网格 {code} 有 {area} 平方米超出其所属社区 {community} 的边界。",
    ),
    "grid.changed_boundary": (
        "Grid {code} already exists with a different boundary; a changed grid gets a new "
        "code and the old one ends (use `seatdesk grids replace`, or give the old code an "
        "end date and the new boundary a new code).",
        "网格 {code} 已存在且边界不同；网格变更后须停用原编码并重新编码（使用 "
        "`seatdesk grids replace`，或为原编码填写终止日期、为新边界赋新编码）。",
    ),
    "grid.code_retired": (
        "Grid code {code} ended on {end}; a retired code is never used again.",
        "网格编码 {code} 已于 {end} 停用，停用的编码不得再次使用。",
    ),
    "grid.numbering": (
        "Community {code}: the sequence numbers do not run west to east, north to south "
        "(grid {first} would be number {position}); the codes are kept as they are.",
        "社区 {code}：顺序码未按自西向东、自北向南编排（网格 {first} 应为第 {position} "
        "个）；编码保持不变。",
    ),
    "grid.area_differs": (
        "Grid {code}: the file gives an area of {given} m², the boundary measures {computed} "
        "m²; the measured area is stored.",
        "网格 {code}：文件中面积为 {given} 平方米，按边界计算为 {computed} 平方米；"
        "保存计算面积。",
    ),
    "grid.community_full": (
        "Community {code} has no sequence numbers left for {count} new grids.",
        "社区 {code} 的顺序码已不足以编排 {count} 个新网格。",
    ),
    "grid.empty_file": ("{file} holds no grids.", "{file} 中没有任何网格。"),
    "grid.not_geojson": (
        "{file} is not a GeoJSON file ({reason}).",
        "{file} 不是 GeoJSON 文件（{reason}）。",
    ),
    "grid.bad_shapefile": (
        "{file} is not a readable zipped shapefile ({reason}).",
        "{file} 不是可读取的 Shapefile 压缩包（{reason}）。",
    ),
    "grid.bad_crs": (
        "The coordinate system {crs} is not known.",
        "无法识别坐标系 {crs}。",
    ),
    "grid.refused": (
        "{count} problems in the grids; nothing was imported.",
        "网格数据有 {count} 处问题，未导入任何数据。",
    ),
    "grid.not_found": ("No grid {code} exists.", "网格 {code} 不存在。"),
    "grid.already_retired": (
        "Grid {code} already ended on {end}.",
        "网格 {code} 已于 {end} 停用。",
    ),
    "grid.retired": ("Grid {code} ends on {end}.", "网格 {code} 于 {end} 停用。"),
    "grid.end_before_start": (
        "Grid {code} starts on {start}; it cannot end on {end}.",
        "网格 {code} 起始于 {start}，不能在 {end} 停用。",
    ),
    "grid.outside_every_grid": (
        "The location {lon}, {lat} lies outside every unit grid; the case is kept and listed "
        "among the cases to place.",
        "位置 {lon}, {lat} 不在任何单元网格内；案卷照常保存，并列入待定位案卷。",
    ),
    "grid.checked": (
        "{file}: {count} grids checked, no problems; nothing was imported (--check).",
        "{file}：已检查 {count} 个网格，未发现问题；未导入（--check）。",
    ),
    "grid.imported": (
        "{file}: {added} grids added, {retired} ended, {renamed} renamed, {unchanged} "
        "unchanged; {placed} cases placed in a grid.",
        "{file}：新增网格 {added} 个，停用 {retired} 个，更名 {renamed} 个，未变 {unchanged} "
        "个；{placed} 件案卷已定位到网格。",
    ),
    "grid.exported": (
        "{file}: {count} grids exported.",
        "{file}：已导出 {count} 个网格。",
    ),
    "grid.replaced": (
        "Grid {code} ends on {on}; its new grids: {new}.",
        "网格 {code} 于 {on} 停用；新网格：{new}。",
    ),
}
