// The community map of open emergencies. Progressive enhancement: without script, or without Leaflet, the list
// beside the map is the page. The server clusters the points for the viewport (services/map_clusters.py), so a
// phone draws a few hundred markers whatever the number of emergencies. Positions are the public, approximate ones.
// Every word comes from the page's data attributes (the catalogue, in the reader's language).
(function () {
  "use strict";
  var el = document.getElementById("emergency-map");
  if (!el || !window.L) return;
  var data = el.dataset;
  var labels = JSON.parse(data.labels);
  var form = document.getElementById("map-filters");
  var status = document.getElementById("map-status");
  el.textContent = "";
  var map = L.map(el, { preferCanvas: true, minZoom: 9, maxZoom: 18 }).setView(
    [parseFloat(data.lat), parseFloat(data.lon)], parseInt(data.zoom, 10));
  if (data.tiles) {
    L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution || "" }).addTo(map);
  } else {
    el.classList.add("map-offline");  // no tile server: a plain background with the places' names
  }
  var names = L.layerGroup().addTo(map);
  var marks = L.layerGroup().addTo(map);
  var places = [];
  var URGENCY_COLOUR = { now: "#b3261e", today: "#c25e00", soon: "#1f5fa8" };

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
  }

  function showNames() {
    names.clearLayers();
    var level = map.getZoom() >= 14 ? "ward" : "district";
    var box = map.getBounds().pad(0.1);
    places.forEach(function (p) {
      if (p.level !== level || !box.contains([p.lat, p.lon])) return;
      var marker = L.marker([p.lat, p.lon], {
        interactive: false, keyboard: false,
        icon: L.divIcon({ className: "map-label map-label-" + level, html: "", iconSize: null }),
      }).addTo(names);
      marker.getElement().textContent = p.name;
    });
  }

  function age(openedAt) {
    var minutes = Math.max(0, Math.round((Date.now() - Date.parse(openedAt)) / 60000));
    return minutes < 120 ? fill(data.minutesAgo, { n: minutes }) : fill(data.hoursAgo, { n: Math.floor(minutes / 60) });
  }

  function popup(point) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = labels.category[point.category] + " · " + labels.urgency[point.urgency];
    var when = document.createElement("p");
    when.textContent = age(point.opened_at) + (point.claimed ? " · " + data.claimedText : "");
    box.appendChild(title);
    box.appendChild(when);
    if (point.claimed) return box;
    if (data.claim) {
      var claim = document.createElement("form");
      claim.method = "post";
      claim.action = data.claim.replace("{code}", encodeURIComponent(point.code));
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrf_token";
      token.value = data.csrf;
      var button = document.createElement("button");
      button.type = "submit";
      button.textContent = data.claimText;
      claim.appendChild(token);
      claim.appendChild(button);
      box.appendChild(claim);
    } else if (data.signIn) {
      var link = document.createElement("a");
      link.href = data.signIn;
      link.textContent = data.signInText;
      box.appendChild(link);
    }
    return box;
  }

  function draw(answer) {
    marks.clearLayers();
    answer.clusters.forEach(function (c) {
      if (c.point) {
        L.circleMarker([c.latitude, c.longitude], {
          radius: 8, weight: 2, color: "#fff", fillOpacity: 0.9,
          fillColor: c.point.claimed ? "#6b6b6b" : URGENCY_COLOUR[c.point.urgency] || "#1f5fa8",
        }).bindPopup(popup(c.point)).addTo(marks);
        return;
      }
      var side = 32 + Math.min(20, Math.round(Math.log2(c.count) * 3));
      var marker = L.marker([c.latitude, c.longitude], {
        title: c.count + " " + data.countText,
        icon: L.divIcon({ className: "map-cluster", html: "", iconSize: [side, side] }),
      }).addTo(marks);
      marker.getElement().textContent = c.count;
      marker.on("click", function () { map.setView(marker.getLatLng(), Math.min(map.getZoom() + 2, 18)); });
    });
    status.textContent = fill(data.statusText, { shown: answer.matching, total: answer.total });
    el.dataset.shown = String(answer.matching);
    el.dataset.markers = String(answer.clusters.length);
    el.dataset.state = "ready";
  }

  function query() {
    var params = new URLSearchParams();
    if (form) {
      form.querySelectorAll("[data-api]").forEach(function (field) {
        if (field.type === "checkbox" ? field.checked : field.value) params.append(field.dataset.api, field.value);
      });
    }
    var b = map.getBounds();
    params.set("bbox", [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map(function (x) {
      return x.toFixed(5);
    }).join(","));
    params.set("zoom", String(map.getZoom()));
    return params.toString();
  }

  var pending = null;
  function refresh() {
    if (pending) pending.abort();
    pending = new AbortController();
    el.dataset.state = "loading";
    fetch(data.api + "?" + query(), { signal: pending.signal, headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(draw)
      .catch(function (e) {
        if (e.name === "AbortError") return;
        status.textContent = data.errorText;
        el.dataset.state = "error";
      });
  }

  map.on("moveend", function () { showNames(); refresh(); });
  if (form) form.addEventListener("change", refresh);
  fetch(data.places, { headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : []; })
    .then(function (list) { places = list; showNames(); })
    .catch(function () {});
  refresh();
})();
