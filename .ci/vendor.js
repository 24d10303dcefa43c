// Copies the front-end libraries the view uses from node_modules into graphkit/static/vendor/,
// so the installed package works offline with no npm at run time. Run: npm ci && npm run vendor
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const vendor = path.join(root, "graphkit", "static", "vendor");
const modules = path.join(root, "node_modules");
const copies = [
  ["leaflet/dist/leaflet.js", "leaflet/leaflet.js"],
  ["leaflet/dist/leaflet.css", "leaflet/leaflet.css"],
  ["leaflet/LICENSE", "leaflet/LICENSE"],
  ["cytoscape/dist/cytoscape.min.js", "cytoscape/cytoscape.min.js"],
  ["cytoscape/LICENSE", "cytoscape/LICENSE"],
  ["topojson-client/dist/topojson-client.min.js", "topojson-client/topojson-client.min.js"],
  ["topojson-client/LICENSE", "topojson-client/LICENSE"],
  ["world-atlas/LICENSE", "world-atlas/LICENSE"],
];

fs.rmSync(vendor, { recursive: true, force: true });
for (const [from, to] of copies) {
  fs.mkdirSync(path.dirname(path.join(vendor, to)), { recursive: true });
  fs.copyFileSync(path.join(modules, from), path.join(vendor, to));
}
// The outlines as a script, not JSON, so the page can load them from file:// too.
const atlas = fs.readFileSync(path.join(modules, "world-atlas/countries-50m.json"), "utf8");
fs.writeFileSync(path.join(vendor, "world-atlas/countries-50m.js"), `window.WORLD_ATLAS = ${atlas.trim()};\n`);
const versions = Object.fromEntries(
  ["leaflet", "cytoscape", "topojson-client", "world-atlas"].map((name) => [
    name, require(path.join(modules, name, "package.json")).version,
  ]),
);
fs.writeFileSync(path.join(vendor, "VERSIONS.json"), JSON.stringify(versions, null, 1) + "\n");
console.log(`vendored into ${vendor}:`, versions);
