#!/usr/bin/env bash
# Copies the browser libraries the web UI needs (pinned in scripts/package.json and
# scripts/package-lock.json) into src/incidex/web/static/vendor/, with their licences.
# The vendored files are committed: the UI must work with no internet at all.
# Usage: scripts/vendor_web.sh   (needs node + npm and the npm registry)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/../src/incidex/web/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$here/package.json" "$work/"
if [[ -f "$here/package-lock.json" ]]; then
    cp "$here/package-lock.json" "$work/"
    (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund)
else
    (cd "$work" && npm install --ignore-scripts --no-audit --no-fund --save-exact)
    cp "$work/package-lock.json" "$here/package-lock.json"
fi

nm="$work/node_modules"
rm -rf "$dest"
mkdir -p "$dest/leaflet/images" "$dest/leaflet.markercluster" "$dest/topojson-client" \
    "$dest/uplot" "$dest/world-atlas"

cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$nm/leaflet/LICENSE" \
    "$dest/leaflet/"
cp "$nm/leaflet/dist/images/"*.png "$dest/leaflet/images/"
cp "$nm/leaflet.markercluster/dist/leaflet.markercluster.js" \
    "$nm/leaflet.markercluster/dist/MarkerCluster.css" \
    "$nm/leaflet.markercluster/dist/MarkerCluster.Default.css" \
    "$nm/leaflet.markercluster/MIT-LICENCE.txt" "$dest/leaflet.markercluster/"
cp "$nm/topojson-client/dist/topojson-client.min.js" "$nm/topojson-client/LICENSE" \
    "$dest/topojson-client/"
cp "$nm/uplot/dist/uPlot.iife.min.js" "$nm/uplot/dist/uPlot.min.css" "$nm/uplot/LICENSE" \
    "$dest/uplot/"
cp "$nm/world-atlas/countries-110m.json" "$nm/world-atlas/LICENSE" "$dest/world-atlas/"

for pkg in leaflet leaflet.markercluster topojson-client uplot world-atlas; do
    version="$(node -p "require('$nm/$pkg/package.json').version")"
    echo "$pkg $version" >>"$dest/VERSIONS.txt"
done
echo "vendored into $dest:"
cat "$dest/VERSIONS.txt"
