// The community map of open emergencies. Progressive enhancement: without script, or without Leaflet, the list
// beside the map is the page. The server clusters the points for the viewport (services/map_clusters.py), so a
// phone draws a few hundred markers whatever the number of emergencies. Positions are the public, approximate ones.
(function () {
  "use strict";
  var el = document.getElementById("emergency-map");
  if (!el || !window.L) return;
  var data = el.dataset;
  var form = document.getElementById("map-filters");
  var status = document.getElementById("map-status");
  var map = L.map(el, { preferCanvas: true, minZoom: 9, maxZoom: 18 }).setView(
    [parseFloat(data.lat), parseFloat(data.lon)], parseInt(data.zoom, 10));
  if (data.tiles) {
    L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution || "" }).addTo(map);
  } else {
    el.classList.add("map-offline");  // no tile server: a plain background with the places' names
  }
  var labels = L.layerGroup().addTo(map);
  var marks = L.layerGroup().addTo(map);
  var places = [];
  var URGENCY_COLOUR = { now: "#b3261e", today: "#c25e00", soon: "#1f5fa8" };

  function showLabels() {
    labels.clearLayers();
    var level = map.getZoom() >= 14 ? "ward" : "district";
    var box = map.getBounds().pad(0.1);
    places.forEach(function (p) {
      if (p.level !== level || !box.contains([p.lat, p.lon])) return;
      L.marker([p.lat, p.lon], {
        interactive: false, keyboard: false,
        icon: L.divIcon({ className: "map-label map-label-" + level, html: "", iconSize: null }),
      }).addTo(labels).getElement().textContent = p.name;
    });
  }

  function popup(point) {
    var box = document.createElement("div");
    var title = document.createElement("a");
    title.href = data.detail.replace("{code}", encodeURIComponent(point.code));
    title.textContent = point.category_text + " · " + point.urgency_text;
    var age = document.createElement("p");
    age.textContent = point.age_text + (point.claimed ? " · " + data.claimedText : "");
    box.appendChild(title);
    box.appendChild(age);
    return box;
  }

  function draw(answer) {
    marks.clearLayers();
    answer.clusters.forEach(function (c) {
      if (c.point) {
        L.circleMarker([c.latitude, c.longitude], {
          radius: 7, weight: 2, color: "#fff", fillOpacity: 0.9,
          fillColor: c.point.claimed ? "#6b6b6b" : URGENCY_COLOUR[c.point.urgency] || "#1f5fa8",
        }).bindPopup(popup(c.point)).addTo(marks);
        return;
      }
      var marker = L.marker([c.latitude, c.longitude], {
        title: c.count + " " + data.countText,
        icon: L.divIcon({
          className: "map-cluster", html: "", iconSize: [34 + Math.min(20, Math.log2(c.count) * 3), 34 + Math.min(20, Math.log2(c.count) * 3)],
        }),
      }).addTo(marks);
      marker.getElement().textContent = c.count;
      marker.on("click", function () { map.setView(marker.getLatLng(), Math.min(map.getZoom() + 2, 18)); });
    });
    status.textContent = answer.status_text;
    el.dataset.state = "ready";
    el.dataset.shown = String(answer.matching);
  }

  var pending = null;
  function refresh() {
    if (pending) pending.abort();
    pending = new AbortController();
    var b = map.getBounds();
    var query = new URLSearchParams(form ? new FormData(form) : undefined);
    query.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) {
      return x.toFixed(5);
    }).join(","));
    query.set("zoom", String(map.getZoom()));
    el.dataset.state = "loading";
    fetch(data.api + "?" + query.toString(), { signal: pending.signal, headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(draw)
      .catch(function (e) { if (e.name !== "AbortError") { status.textContent = data.errorText; el.dataset.state = "error"; } });
  }

  map.on("moveend", function () { showLabels(); refresh(); });
  if (form) {
    form.addEventListener("change", refresh);
    form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });
  }
  fetch(data.places, { headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : []; })
    .then(function (list) { places = list; showLabels(); })
    .catch(function () {});
  refresh();
})();
