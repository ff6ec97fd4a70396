/* seatdesk's map page: unit grids, cases and picking, on a Leaflet map built by folium.
 *
 * The page is built once; Python (ui/map/map_view.py) sends data in through
 * runJavaScript (window.seatdesk.setGrids / setCases / setHeat / setFills / centerOn / startPick)
 * and hears back through a QWebChannel object "bridge" (caseClicked, pointPicked,
 * drawn). Nothing here fetches anything: the data arrives from Python, the tiles (if
 * any) from the URL the centre configured.
 *
 * Styles follow the bid document's conventions: unit grid code labels in magenta (品红)
 * on their own layer, community boundaries as 村界 dashes, streets and towns as 乡镇级界线
 * dash-dots. Case markers are coloured by deadline status and clustered when many.
 *
 * A grid's code is written only where it can be read: the whole code when the grid is
 * wide enough on screen for it, its last three digits (the sequence within the
 * community) when only those fit, nothing when the grid is smaller still. The ring
 * around the selected case follows that case (selectCase) and goes when the case is no
 * longer drawn (closed) or nothing is selected; the pick pin goes with clearPick.
 */
(function () {
  "use strict";

  var STATUS_COLOURS = { normal: "#2e7d32", warning: "#f9a825", overdue: "#c62828" };
  var STATUS_RANK = { normal: 0, warning: 1, overdue: 2 };
  var GRID_STYLE = { color: "#b0307a", weight: 1, opacity: 0.9, fill: true,
                     fillColor: "#b0307a", fillOpacity: 0.03 };
  var GRID_HOVER = { weight: 3, fillOpacity: 0.15 };
  var COMMUNITY_STYLE = { color: "#6a1b9a", weight: 2, dashArray: "8 5", fill: false,
                          interactive: false };
  var STREET_STYLE = { color: "#37474f", weight: 3.5, dashArray: "14 5 3 5", fill: false,
                       interactive: false };
  var CLUSTER_CELL_PX = 56;
  var LABEL_MAX = 400;
  var LABEL_FONT = "600 11px sans-serif";  // as .sd-grid-code in seatdesk_map.css
  var LABEL_MARGIN_PX = 6;                 // free space a label needs inside its grid
  var SEQUENCE_DIGITS = 3;                 // the grid's sequence within its community
  var SELECT_STYLE = { radius: 14, color: "#1565c0", weight: 3, fill: false,
                       interactive: false };

  var S = {};
  window.seatdesk = S;

  var map = null;
  var renderer = null;
  var casesRenderer = null;
  var bridge = null;
  var gridLayer = null;
  var outlineLayer = null;
  var labelLayer = null;
  var caseLayer = null;
  var pickLayer = null;
  var selectLayer = null;
  var selectedId = null;
  var selectRing = null;
  var labelTexts = [];
  var gridsByCode = {};
  var gridCount = 0;
  // A fit asked for while the map had no room (its pane hidden or squeezed): done when
  // the map is next given room, not at the zoom a zero-sized box gives (NaN bounds).
  var fitPending = false;
  var cases = [];
  var casesById = {};
  var heat = null;
  var heatOn = false;
  var fills = null;  // grid code → colour: the coverage view's (setFills)
  var heatToggle = null;
  var clusterMin = 200;
  var clusterMaxZoom = 17;
  var picking = false;
  var drawnMarkers = 0;
  var drawnClusters = 0;

  function notify(kind, count, started) {
    // Report once the canvas has painted: two animation frames after the change.
    var built = performance.now() - started;
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        var ms = performance.now() - started;
        if (bridge) { bridge.drawn(kind, count, ms); }
        S.lastDrawn = { kind: kind, count: count, built: built, ms: ms };
      });
    });
  }

  function fitGrids() {
    var size = map.getSize();
    if (!fitPending || size.x < 64 || size.y < 64 || !gridLayer.getLayers().length) { return; }
    fitPending = false;
    map.fitBounds(gridLayer.getBounds(), { animate: false, padding: [12, 12] });
  }

  S.init = function (leafletMap, options) {
    map = leafletMap;
    map.on("resize", fitGrids);
    options = options || {};
    if (options.clusterMin !== undefined) { clusterMin = options.clusterMin; }
    if (options.clusterMaxZoom !== undefined) { clusterMaxZoom = options.clusterMaxZoom; }
    renderer = L.canvas({ padding: 0.1, tolerance: 3 });
    // Plain text: a link would lead the view away from the map.
    if (map.attributionControl) { map.attributionControl.setPrefix("Leaflet"); }
    // Cases paint on a canvas of their own above the grids', so a new deadline status
    // repaints 5,000 dots, not 10,000 polygons as well. That canvas lets the pointer
    // through (CSS) to the grids; the page finds the case under the pointer itself.
    map.createPane("sdCases").style.zIndex = 450;
    casesRenderer = L.canvas({ padding: 0.1, pane: "sdCases" });
    gridLayer = L.featureGroup().addTo(map);
    outlineLayer = L.featureGroup().addTo(map);
    labelLayer = L.layerGroup().addTo(map);
    caseLayer = L.featureGroup().addTo(map);
    selectLayer = L.layerGroup().addTo(map);
    pickLayer = L.layerGroup().addTo(map);
    var labels = options.labels || {};
    var overlays = {};
    overlays[labels.grids || "Grids"] = gridLayer;
    overlays[labels.outlines || "Boundaries"] = outlineLayer;
    overlays[labels.codes || "Grid codes"] = labelLayer;
    overlays[labels.cases || "Cases"] = caseLayer;
    heatToggle = L.layerGroup();
    overlays[labels.heat || "Case density"] = heatToggle;
    L.control.layers(null, overlays, { collapsed: true }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);  // metres only: no "ft" in the Chinese desk
    map.on("overlayadd", function (e) { if (e.layer === heatToggle) { heatOn = true; restyleGrids(); } });
    map.on("overlayremove", function (e) { if (e.layer === heatToggle) { heatOn = false; restyleGrids(); } });
    map.on("zoomend", renderCases);
    map.on("moveend", renderLabels);
    map.on("click", onMapClickCases);
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { S.cancelPick(); }
    });
    map.on("mousemove", onMapMouseMove);
    gridLayer.on("mouseover", function (e) {
      var layer = e.layer;
      layer.setStyle(GRID_HOVER);
      var p = layer.feature.properties;
      layer.bindTooltip("<b>" + p.code + "</b><br>" + escapeHtml(p.name || ""),
                        { sticky: true, className: "sd-grid-tip" }).openTooltip(e.latlng);
    });
    gridLayer.on("mouseout", function (e) {
      e.layer.setStyle(styleFor(e.layer.feature));
      e.layer.unbindTooltip();
    });
    if (window.qt && window.qt.webChannelTransport && window.QWebChannel) {
      new QWebChannel(qt.webChannelTransport, function (channel) {
        bridge = channel.objects.bridge;
        bridge.pageReady();
      });
    }
  };

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // ---- Grids

  function styleFor(feature) {
    if (fills) {
      var colour = fills[feature.properties.code];
      return colour ? { color: GRID_STYLE.color, weight: 1, opacity: 0.9, fill: true,
                        fillColor: colour, fillOpacity: 0.55 } : GRID_STYLE;
    }
    if (!heatOn || !heat) { return GRID_STYLE; }
    var n = heat.counts[feature.properties.code] || 0;
    var share = heat.max ? n / heat.max : 0;
    return { color: GRID_STYLE.color, weight: 1, opacity: 0.9, fill: true,
             fillColor: share > 0.66 ? "#b71c1c" : share > 0.33 ? "#ef6c00" : "#fdd835",
             fillOpacity: n ? 0.15 + 0.5 * share : 0.02 };
  }

  function restyleGrids() {
    for (var code in gridsByCode) {
      var layer = gridsByCode[code];
      layer.setStyle(styleFor(layer.feature));
    }
  }

  S.setGrids = function (collection, fit) {
    var started = performance.now();
    gridLayer.clearLayers();
    outlineLayer.clearLayers();
    gridsByCode = {};
    var grids = [];
    var outlines = [];
    (collection.features || []).forEach(function (f) {
      var kind = (f.properties && f.properties.kind) || "grid";
      (kind === "grid" ? grids : outlines).push(f);
    });
    // Each collection is one L.GeoJSON group inside the layer that the control toggles;
    // events of its polygons reach gridLayer's handlers through the nesting.
    gridLayer.addLayer(L.geoJSON({ type: "FeatureCollection", features: grids }, {
      renderer: renderer,
      style: styleFor,
      onEachFeature: function (f, layer) { gridsByCode[f.properties.code] = layer; }
    }));
    outlineLayer.addLayer(L.geoJSON({ type: "FeatureCollection", features: outlines }, {
      renderer: renderer,
      style: function (f) {
        return f.properties.kind === "street" ? STREET_STYLE : COMMUNITY_STYLE;
      }
    }));
    gridCount = grids.length;
    if (fit && gridCount) {
      map.invalidateSize(false);
      fitPending = true;
      fitGrids();
    }
    renderLabels();
    notify("grids", gridCount, started);
    return gridCount;
  };

  S.gridCount = function () { return gridCount; };

  S.setHeat = function (counts) {
    var max = 0;
    Object.keys(counts).forEach(function (k) { if (counts[k] > max) { max = counts[k]; } });
    heat = { counts: counts, max: max };
    if (heatOn) { restyleGrids(); }
    return max;
  };

  // Colours some grids (the coverage view: the uncovered ones), over the density
  // layer; null gives the grids back their plain or density style.
  S.setFills = function (codeColours) {
    fills = codeColours;
    restyleGrids();
    var n = 0;
    for (var code in (fills || {})) { if (gridsByCode[code]) { n += 1; } }
    return n;
  };

  // The fill a grid is drawn with now (null: none), as its layer says.
  S.fillOf = function (code) {
    var layer = gridsByCode[code];
    return layer && layer.options.fill && fills && fills[code] ? layer.options.fillColor : null;
  };

  S.filledCount = function () {
    var n = 0;
    for (var code in (fills || {})) { if (gridsByCode[code]) { n += 1; } }
    return n;
  };

  // Through the layer control's own overlay, so its checkbox follows.
  S.showHeat = function (on) {
    if (on) { map.addLayer(heatToggle); } else { map.removeLayer(heatToggle); }
    return heatOn;
  };

  var measureContext = null;
  var textWidths = {};

  function textWidth(text) {
    if (textWidths[text] === undefined) {
      if (!measureContext) {
        measureContext = document.createElement("canvas").getContext("2d");
        measureContext.font = LABEL_FONT;
      }
      textWidths[text] = measureContext.measureText(text).width;
    }
    return textWidths[text];
  }

  // What a grid's label says at this zoom: its code, its sequence, or nothing.
  function labelFor(code, layer) {
    var b = layer.getBounds();
    var sw = map.latLngToContainerPoint(b.getSouthWest());
    var ne = map.latLngToContainerPoint(b.getNorthEast());
    var width = Math.abs(ne.x - sw.x), height = Math.abs(sw.y - ne.y);
    if (height < 14 + LABEL_MARGIN_PX) { return null; }
    if (width >= textWidth(code) + LABEL_MARGIN_PX) { return code; }
    var sequence = code.slice(-SEQUENCE_DIGITS);
    if (width >= textWidth(sequence) + LABEL_MARGIN_PX) { return sequence; }
    return null;
  }

  function renderLabels() {
    labelLayer.clearLayers();
    labelTexts = [];
    if (!map) { return 0; }
    var bounds = map.getBounds();
    for (var code in gridsByCode) {
      if (labelTexts.length >= LABEL_MAX) { break; }
      var layer = gridsByCode[code];
      var centre = layer.getBounds().getCenter();
      if (!bounds.contains(centre)) { continue; }
      var text = labelFor(code, layer);
      if (text === null) { continue; }
      L.tooltip({ permanent: true, direction: "center", className: "sd-grid-code",
                  interactive: false })
        .setLatLng(centre).setContent(text).addTo(labelLayer);
      labelTexts.push(text);
    }
    return labelTexts.length;
  }

  // The grid labels now shown (for tests).
  S.gridLabels = function () { return labelTexts.slice(); };

  // ---- Cases

  S.setCases = function (features) {
    var started = performance.now();
    cases = features || [];
    casesById = {};
    cases.forEach(function (c) { casesById[c.id] = c; });
    for (var id in markerCache) {
      if (!casesById[id]) { delete markerCache[id]; }
    }
    renderCases();
    placeSelectRing();
    notify("cases", cases.length, started);
    return cases.length;
  };

  S.caseCount = function () { return cases.length; };
  S.drawnMarkers = function () { return drawnMarkers; };
  S.drawnClusters = function () { return drawnClusters; };

  // One circle marker per case, kept between updates: a new deadline status only
  // restyles it, a move only moves it.
  var markerCache = {};

  function caseMarker(c) {
    var colour = STATUS_COLOURS[c.deadline_status] || STATUS_COLOURS.normal;
    var marker = markerCache[c.id];
    if (marker) {
      if (marker.options.fillColor !== colour) { marker.setStyle({ fillColor: colour }); }
      var ll = marker.getLatLng();
      if (ll.lat !== c.lat || ll.lng !== c.lon) { marker.setLatLng([c.lat, c.lon]); }
      return marker;
    }
    marker = L.circleMarker([c.lat, c.lon], {
      renderer: casesRenderer, radius: 6, color: "#ffffff", weight: 1.5,
      fillColor: colour, fillOpacity: 0.95, interactive: false
    });
    marker.caseId = c.id;
    markerCache[c.id] = marker;
    return marker;
  }

  // Cluster markers by cell, kept while the zoom stays: a status change only recolours.
  var clusterCache = {};
  var clusterZoom = null;

  // A cluster is a ring of its deadline statuses (red overdue, yellow warning, green
  // normal, in proportion) around the number of cases.
  function ringOf(counts) {
    var total = counts.normal + counts.warning + counts.overdue;
    var red = 100 * counts.overdue / total;
    var yellow = red + 100 * counts.warning / total;
    return "conic-gradient(" + STATUS_COLOURS.overdue + " 0 " + red + "%, " +
      STATUS_COLOURS.warning + " " + red + "% " + yellow + "%, " +
      STATUS_COLOURS.normal + " " + yellow + "% 100%)";
  }

  function clusterIcon(counts) {
    var total = counts.normal + counts.warning + counts.overdue;
    var size = total < 10 ? 28 : total < 100 ? 34 : 42;
    var ring = ringOf(counts);
    return L.divIcon({
      className: "sd-cluster",
      html: "<div class=\"sd-ring\" style=\"background:" + ring + "\"><span style=\"line-height:" +
        (size - 10) + "px\">" + total + "</span></div>",
      iconSize: [size, size]
    });
  }

  function clusterMarker(members, latlng, key) {
    var counts = { normal: 0, warning: 0, overdue: 0 };
    members.forEach(function (c) {
      counts[STATUS_RANK[c.deadline_status] === undefined ? "normal" : c.deadline_status] += 1;
    });
    var mix = counts.normal + "/" + counts.warning + "/" + counts.overdue;
    var cached = clusterCache[key];
    if (cached && cached.count === members.length &&
        cached.marker.getLatLng().equals(latlng)) {
      if (cached.mix !== mix) {
        var el = cached.marker.getElement();
        if (el && el.firstChild) {
          el.firstChild.style.background = ringOf(counts);  // in place: no new element
        } else {
          cached.marker.setIcon(clusterIcon(counts));
        }
        cached.mix = mix;
      }
      return cached.marker;
    }
    var marker = L.marker(latlng, { icon: clusterIcon(counts), keyboard: false });
    clusterCache[key] = { marker: marker, count: members.length, mix: mix };
    marker.on("click", function (e) {
      L.DomEvent.stop(e);
      if (picking) { onMapClick(e); return; }
      map.setView(latlng, Math.min(map.getZoom() + 2, map.getMaxZoom() || 19));
    });
    return marker;
  }

  // Show exactly the layers in ``wanted`` (markers kept from the last rendering stay).
  function showOnly(wanted) {
    var keep = {};
    wanted.forEach(function (layer) { keep[L.stamp(layer)] = true; });
    caseLayer.eachLayer(function (layer) {
      if (!keep[L.stamp(layer)]) { caseLayer.removeLayer(layer); }
    });
    wanted.forEach(function (layer) {
      if (!caseLayer.hasLayer(layer)) { caseLayer.addLayer(layer); }
    });
  }

  // The single markers shown, bucketed by layer point (stable while panning), to find
  // the case under the pointer without asking 5,000 markers.
  var HIT_PX = 8;
  var hitCells = {};

  function indexHits(shown) {
    hitCells = {};
    shown.forEach(function (c) {
      var p = map.latLngToLayerPoint([c.lat, c.lon]);
      var key = Math.floor(p.x / 16) + ":" + Math.floor(p.y / 16);
      (hitCells[key] = hitCells[key] || []).push([p.x, p.y, c.id]);
    });
  }

  function caseAt(layerPoint) {
    var best = null;
    var bestD = HIT_PX * HIT_PX;
    var cx = Math.floor(layerPoint.x / 16), cy = Math.floor(layerPoint.y / 16);
    for (var dx = -1; dx <= 1; dx++) {
      for (var dy = -1; dy <= 1; dy++) {
        (hitCells[(cx + dx) + ":" + (cy + dy)] || []).forEach(function (h) {
          var d = (h[0] - layerPoint.x) * (h[0] - layerPoint.x) +
                  (h[1] - layerPoint.y) * (h[1] - layerPoint.y);
          if (d <= bestD) { bestD = d; best = h[2]; }
        });
      }
    }
    return best;
  }

  var hovered = null;

  function onMapMouseMove(e) {
    var id = caseAt(e.layerPoint);
    if (id === hovered) { return; }
    if (hovered !== null && markerCache[hovered]) { markerCache[hovered].closeTooltip(); }
    hovered = id;
    map.getContainer().style.cursor = id === null ? "" : "pointer";
    var c = id === null ? null : casesById[id];
    if (c && c.number && markerCache[id]) {
      markerCache[id].bindTooltip(escapeHtml(c.number), { direction: "top" }).openTooltip();
    }
  }

  function onMapClickCases(e) {
    if (picking) { onMapClick(e); return; }
    var id = caseAt(e.layerPoint);
    if (id === null) { return; }
    S.lastClicked = id;
    if (bridge) { bridge.caseClicked(id); }
  }

  function renderCases() {
    if (!map) { return; }
    drawnMarkers = 0;
    drawnClusters = 0;
    var zoom = map.getZoom();
    var wanted = [];
    var shown = [];
    if (cases.length < clusterMin || zoom >= clusterMaxZoom) {
      cases.forEach(function (c) { wanted.push(caseMarker(c)); });
      drawnMarkers = cases.length;
      showOnly(wanted);
      indexHits(cases);
      return;
    }
    if (clusterZoom !== zoom) { clusterCache = {}; clusterZoom = zoom; }
    var cells = {};
    cases.forEach(function (c) {
      var p = map.project([c.lat, c.lon], zoom);
      var key = Math.floor(p.x / CLUSTER_CELL_PX) + ":" + Math.floor(p.y / CLUSTER_CELL_PX);
      (cells[key] = cells[key] || []).push(c);
    });
    Object.keys(cells).forEach(function (key) {
      var members = cells[key];
      if (members.length === 1) {
        wanted.push(caseMarker(members[0]));
        shown.push(members[0]);
        drawnMarkers += 1;
        return;
      }
      var lat = 0, lon = 0;
      members.forEach(function (c) { lat += c.lat; lon += c.lon; });
      wanted.push(clusterMarker(members, L.latLng(lat / members.length, lon / members.length),
                                key));
      drawnClusters += 1;
    });
    showOnly(wanted);
    indexHits(shown);
  }

  // Where a case is on screen (for tests and for the UI's hit checks).
  S.casePoint = function (id) {
    var c = casesById[id];
    if (!c) { return null; }
    var p = map.latLngToContainerPoint([c.lat, c.lon]);
    return [p.x, p.y];
  };

  // ---- Moving and picking

  S.centerOn = function (lon, lat, zoom) {
    var z = (zoom === null || zoom === undefined) ? Math.max(map.getZoom(), 17) : zoom;
    map.setView([lat, lon], z, { animate: false });
    return [map.getCenter().lng, map.getCenter().lat, map.getZoom()];
  };

  // The ring around the selected case, where that case is drawn now (none when it is
  // not drawn: closed, or not yet read).
  function placeSelectRing() {
    var c = selectedId === null ? undefined : casesById[selectedId];
    if (!c) {
      selectLayer.clearLayers();
      selectRing = null;
      return;
    }
    if (selectRing) {
      selectRing.setLatLng([c.lat, c.lon]);
    } else {
      selectRing = L.circleMarker([c.lat, c.lon], L.extend({ renderer: renderer },
                                                           SELECT_STYLE)).addTo(selectLayer);
    }
  }

  // Ring the case with this id (null: nothing is selected).
  S.selectCase = function (id) {
    selectedId = (id === null || id === undefined) ? null : id;
    placeSelectRing();
    return S.selectionRing();
  };

  // Where the selection ring is: [lon, lat], or null.
  S.selectionRing = function () {
    if (!selectRing) { return null; }
    var ll = selectRing.getLatLng();
    return [ll.lng, ll.lat];
  };

  S.startPick = function () {
    picking = true;
    L.DomUtil.addClass(map.getContainer(), "sd-picking");
    return picking;
  };

  S.cancelPick = function () {
    picking = false;
    if (map) { L.DomUtil.removeClass(map.getContainer(), "sd-picking"); }
    return picking;
  };

  // Stop picking and take the pin away (the form that asked for it closed).
  S.clearPick = function () {
    S.cancelPick();
    if (pickLayer) { pickLayer.clearLayers(); }
    return S.pickPins();
  };

  S.pickPins = function () { return pickLayer ? pickLayer.getLayers().length : 0; };

  function onMapClick(e) {
    if (!picking) { return; }
    S.cancelPick();
    pickLayer.clearLayers();
    L.marker(e.latlng, { interactive: false }).addTo(pickLayer);
    S.lastPicked = [e.latlng.lng, e.latlng.lat];
    if (bridge) { bridge.pointPicked(e.latlng.lng, e.latlng.lat); }
  }

  // The view: [longitude, latitude, zoom] of the centre.
  S.view = function () {
    var c = map.getCenter();
    return [c.lng, c.lat, map.getZoom()];
  };

  S.pointOf = function (lon, lat) {
    var p = map.latLngToContainerPoint([lat, lon]);
    return [p.x, p.y];
  };
}());
