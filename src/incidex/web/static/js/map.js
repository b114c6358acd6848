// The map page: an offline world basemap (world-atlas TopoJSON) under incident markers
// sized by toll and clustered. Data comes from the page's data-* URLs; no tile server.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el) {
    return;
  }
  var status = document.getElementById("map-status");
  var map = L.map(el, { minZoom: 1, maxZoom: 12, zoomSnap: 0.5, worldCopyJump: true });
  map.setView([15, 10], 2);

  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + " answered " + response.status);
      }
      return response.json();
    });
  }

  // Markers grow with the square root of the toll so a massacre does not hide the map.
  function markerSize(point) {
    var toll = (point.killed || 0) + (point.wounded || 0);
    return Math.round(14 + Math.min(34, 5 * Math.sqrt(toll)));
  }

  // Built from DOM nodes with textContent so article-derived text can never become markup.
  function popup(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = "/incidents/" + encodeURIComponent(point.id);
    link.textContent = point.title;
    var meta = document.createElement("div");
    meta.textContent = point.date + " · " + point.place + " · " + point.types +
      " · killed " + point.killed + ", wounded " + point.wounded;
    box.appendChild(link);
    box.appendChild(meta);
    return box;
  }

  function marker(point) {
    var size = markerSize(point);
    var icon = L.divIcon({
      className: "toll-marker" + (point.killed > 0 ? " has-killed" : ""),
      iconSize: [size, size],
      html: ""
    });
    var m = L.marker([point.lat, point.lon], {
      icon: icon,
      title: point.place + " — " + point.date,
      alt: point.place,
      keyboard: true
    });
    return m.bindPopup(popup(point));
  }

  function draw(world, data) {
    var land = topojson.feature(world, world.objects.countries);
    L.geoJSON(land, {
      interactive: false,
      attribution: "Natural Earth (world-atlas)",
      style: { color: "#7d8590", weight: 0.6, fillColor: "#ece7da", fillOpacity: 1 }
    }).addTo(map);
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    data.points.forEach(function (point) {
      cluster.addLayer(marker(point));
    });
    map.addLayer(cluster);
    if (data.points.length) {
      map.fitBounds(cluster.getBounds(), { maxZoom: 5, padding: [30, 30] });
    }
    status.textContent = data.points.length + " incident(s) with coordinates on the map.";
    el.setAttribute("data-ready", "true");
  }

  Promise.all([getJson(el.dataset.basemap), getJson(el.dataset.points)])
    .then(function (results) {
      draw(results[0], results[1]);
    })
    .catch(function (err) {
      status.textContent = "The map could not be drawn: " + err.message;
    });
})();
