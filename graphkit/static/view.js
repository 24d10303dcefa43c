// The graphkit view: a map (Leaflet, no tiles: country outlines from world-atlas) beside a network
// (Cytoscape.js) of the twinnings in window.GRAPHKIT_DATA, with search, filters and a year slider.
(function () {
  "use strict";

  const data = window.GRAPHKIT_DATA;
  const nodesById = new Map(data.nodes.map((n) => [n.id, n]));
  const twinningsById = new Map(data.twinnings.map((t) => [t.id, t]));
  const COUNTRY_COLOURS = { VN: "#c8102e", CN: "#e07b00", LA: "#1f5fbf", DE: "#555555", KR: "#0a7f6f" };
  const TIER_RADIUS = { country: 9, province: 8, prefecture: 7, district: 6, commune: 5, village: 4, group: 4 };
  const HIGHLIGHT_ISO_NUMERIC = new Set(["704", "418", "156"]); // Vietnam, Laos, China
  const years = data.twinnings.filter((t) => t.start_year).map((t) => t.start_year);
  const minYear = Math.min(...years);
  const allYears = Math.max(...years) + 1; // the last slider stop: every twinning, undated ones too
  const state = { level: "", kind: "", year: allYears, selected: null, timer: null };

  // Same folding as graphkit.search.fold: no diacritics, đ -> d, '??' repairs dropped, lower case.
  function fold(text) {
    return text.replace(/\?\?/g, "").replace(/Đ/g, "D").replace(/đ/g, "d")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  function colour(node) { return COUNTRY_COLOURS[node.country] || "#444"; }
  function el(tag, attrs, ...children) {
    const element = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => { if (v !== undefined && v !== null) element.setAttribute(k, v); });
    children.flat().forEach((c) => element.append(c instanceof Node ? c : document.createTextNode(String(c))));
    return element;
  }
  function slug(id) { return id.replace(/^[a-z]+:/, "").replace(/[^a-z0-9-]/gi, "-"); }
  function readableDate(iso) {
    const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(iso || "");
    if (!m) return iso || "";
    if (m[3]) return `${Number(m[3])}/${Number(m[2])}/${m[1]} (${iso})`;
    if (m[2]) return `${Number(m[2])}/${m[1]}`;
    return m[1];
  }

  // ---- map
  const map = L.map("map", { attributionControl: false, worldCopyJump: false, minZoom: 2 });
  const outlines = topojson.feature(window.WORLD_ATLAS, window.WORLD_ATLAS.objects.countries);
  L.geoJSON(outlines, {
    interactive: false,
    style: (f) => ({ color: "#7a8896", weight: 1, fillOpacity: 1,
      fillColor: HIGHLIGHT_ISO_NUMERIC.has(String(f.id)) ? "#fbf8ef" : "#e6e3dc" }),
  }).addTo(map);
  const markers = new Map();
  data.nodes.filter((n) => n.lat !== undefined).forEach((node) => {
    const marker = L.circleMarker([node.lat, node.lon], {
      radius: TIER_RADIUS[node.tier] || 5, color: colour(node), weight: 2, fillColor: colour(node),
      fillOpacity: node.coordinates === "inherited" ? 0.15 : 0.7, dashArray: node.coordinates === "inherited" ? "2 3" : null,
      className: `unit unit-${slug(node.id)}`,
    });
    const inherited = node.coordinates === "inherited" ? ` ◌ point of ${nodesById.get(node.coordinates_from)?.label || node.coordinates_from}` : "";
    marker.bindTooltip(`${node.label} (${node.level_label || node.kind}, ${node.country || "?"})${inherited}`);
    markers.set(node.id, marker);
  });
  const lines = new Map();
  data.twinnings.forEach((tw) => {
    const a = nodesById.get(tw.source), b = nodesById.get(tw.target);
    if (!a || !b || a.lat === undefined || b.lat === undefined) return;
    const line = L.polyline([[a.lat, a.lon], [b.lat, b.lon]], {
      color: "#12355b", weight: 4, opacity: 0.85, className: `twinning tw-${slug(tw.id)}`,
    });
    line.bindTooltip(tw.label, { sticky: true });
    line.on("click", () => select(tw.id));
    lines.set(tw.id, line);
  });
  const crossBorder = data.twinnings.filter((t) => t.scope === "cross-border" && lines.has(t.id));
  const bounds = L.latLngBounds(crossBorder.flatMap((t) => lines.get(t.id).getLatLngs()));
  map.fitBounds(bounds.isValid() ? bounds.pad(0.25) : [[8, 97], [30, 118]]);

  // ---- network
  const partnerIds = new Set(data.twinnings.flatMap((t) => [t.source, t.target]));
  const cy = cytoscape({
    container: document.getElementById("network"),
    elements: [
      ...data.nodes.filter((n) => partnerIds.has(n.id)).map((n) => ({ data: { id: n.id, label: n.label, colour: colour(n) } })),
      ...data.twinnings.map((t) => ({ data: { id: t.id, source: t.source, target: t.target, label: t.label } })),
    ],
    style: [
      { selector: "node", style: { label: "data(label)", "background-color": "data(colour)", "font-size": 9, width: 14, height: 14, "text-wrap": "wrap", "text-max-width": 90 } },
      { selector: "edge", style: { width: 3, "line-color": "#12355b", "curve-style": "bezier" } },
      { selector: ".selected", style: { "line-color": "#f2a900", "background-color": "#f2a900", width: 6 } },
      { selector: ".match", style: { "border-width": 3, "border-color": "#f2a900" } },
      { selector: ".hidden", style: { display: "none" } },
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 8000, idealEdgeLength: 80 },
  });
  cy.on("tap", "edge", (event) => select(event.target.id()));

  // ---- filters
  const levelSelect = document.getElementById("level");
  const kindSelect = document.getElementById("kind");
  const yearInput = document.getElementById("year");
  const yearLabel = document.getElementById("year-label");
  const tiers = ["country", "province", "prefecture", "district", "commune", "village", "group"]
    .filter((tier) => data.twinnings.some((t) => [t.source, t.target].some((id) => nodesById.get(id)?.tier === tier)));
  tiers.forEach((tier) => levelSelect.append(el("option", { value: tier }, tier)));
  const kinds = new Map();
  data.twinnings.forEach((t) => (t.kinds || []).forEach((k) => kinds.set(k.id, k.label)));
  [...kinds.entries()].sort((a, b) => a[1].localeCompare(b[1])).forEach(([id, label]) => kindSelect.append(el("option", { value: id }, label)));
  yearInput.min = String(minYear);
  yearInput.max = String(allYears);
  yearInput.step = "1";
  yearInput.value = String(allYears);

  function visible(tw) {
    if (state.level && ![tw.source, tw.target].some((id) => nodesById.get(id)?.tier === state.level)) return false;
    if (state.kind && !(tw.kinds || []).some((k) => k.id === state.kind)) return false;
    if (state.year < allYears && !(tw.start_year && tw.start_year <= state.year)) return false;
    return true;
  }

  function apply() {
    yearLabel.textContent = state.year >= allYears ? "all" : String(state.year);
    const shown = data.twinnings.filter(visible);
    const shownIds = new Set(shown.map((t) => t.id));
    const shownUnits = new Set(shown.flatMap((t) => [t.source, t.target]));
    lines.forEach((line, id) => (shownIds.has(id) ? line.addTo(map) : line.remove()));
    markers.forEach((marker, id) => (shownUnits.has(id) || marker.options.match ? marker.addTo(map) : marker.remove()));
    cy.batch(() => {
      cy.edges().forEach((e) => e.toggleClass("hidden", !shownIds.has(e.id())));
      cy.nodes().forEach((n) => n.toggleClass("hidden", !shownUnits.has(n.id())));
    });
    renderList(shown);
  }

  function renderList(shown) {
    const list = document.getElementById("twinnings");
    document.getElementById("count").textContent = `${shown.length} of ${data.twinnings.length} twinnings`;
    list.replaceChildren(...shown.map((tw) => {
      const item = el("li", { "data-id": tw.id, class: tw.id === state.selected ? "selected" : null },
        tw.label, " ", el("span", { class: "date" }, tw.startDisplay));
      item.addEventListener("click", () => select(tw.id));
      return item;
    }));
  }

  levelSelect.addEventListener("change", () => { state.level = levelSelect.value; apply(); });
  kindSelect.addEventListener("change", () => { state.kind = kindSelect.value; apply(); });
  yearInput.addEventListener("input", () => { state.year = Number(yearInput.value); apply(); });
  document.getElementById("play").addEventListener("click", (event) => {
    if (state.timer) { clearInterval(state.timer); state.timer = null; event.target.textContent = "▶ Replay years"; return; }
    state.year = minYear;
    yearInput.value = String(minYear);
    event.target.textContent = "■ Stop";
    apply();
    state.timer = setInterval(() => {
      state.year += 1;
      yearInput.value = String(state.year);
      apply();
      if (state.year >= allYears) { clearInterval(state.timer); state.timer = null; event.target.textContent = "▶ Replay years"; }
    }, 700);
  });
  document.querySelectorAll(".layout button").forEach((button) => {
    button.addEventListener("click", () => {
      document.body.dataset.layout = button.dataset.layout;
      document.querySelectorAll(".layout button").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
      setTimeout(() => { map.invalidateSize(); cy.resize(); cy.fit(undefined, 20); }, 0);
    });
  });

  // ---- search: any spelling, with or without diacritics, in any script
  const searchInput = document.getElementById("search");
  function search(text) {
    const raw = text.trim().toLowerCase();
    const folded = fold(text);
    if (!raw) return [];
    return data.nodes.filter((n) => n.names.some((name) => name.toLowerCase().includes(raw) || (folded && fold(name).includes(folded))));
  }
  searchInput.addEventListener("input", () => {
    const hits = search(searchInput.value);
    const hitIds = new Set(hits.map((h) => h.id));
    markers.forEach((marker, id) => {
      marker.options.match = hitIds.has(id);
      marker.setStyle({ color: hitIds.has(id) ? "#f2a900" : colour(nodesById.get(id)), weight: hitIds.has(id) ? 4 : 2 });
    });
    cy.nodes().forEach((n) => n.toggleClass("match", hitIds.has(n.id())));
    document.getElementById("results").replaceChildren(...hits.slice(0, 20).map((hit) => {
      const item = el("li", { "data-id": hit.id }, `${hit.label} — ${hit.level_label || hit.kind}, ${hit.country || "?"}`);
      item.addEventListener("click", () => { if (hit.lat !== undefined) map.setView([hit.lat, hit.lon], 10); });
      return item;
    }));
    apply();
  });

  // ---- details of a twinning
  function sourceEntry(id) {
    const s = data.sources[id] || { id };
    const title = s.title || id;
    return el("li", { "data-source": id },
      s.url ? el("a", { href: s.url, target: "_blank", rel: "noopener" }, title) : title,
      s.publisher ? ` — ${s.publisher}` : "",
      s.issued ? `, ${readableDate(s.issued)}` : "",
      s.statedSource ? ` (page names its source as “${s.statedSource}”)` : "",
      s.seedFile ? el("div", { class: "hint" }, `seed file ${s.seedFile} · ${id}`) : el("div", { class: "hint" }, id));
  }
  function people(entry) {
    return entry.people.length ? el("p", {}, entry.people.map((p) => `${p.role}: ${p.agent}`).join("; ")) : "";
  }
  function quotes(list) {
    return list.map((q) => el("blockquote", { lang: "vi" }, `“${q.quote}” `, el("span", { class: "hint" }, `(${q.source}, ${q.passage})`)));
  }

  function select(id) {
    const tw = twinningsById.get(id);
    if (!tw) return;
    state.selected = id;
    lines.forEach((line, key) => line.setStyle({ color: key === id ? "#f2a900" : "#12355b", weight: key === id ? 7 : 4 }));
    if (lines.has(id) && !map.getBounds().contains(lines.get(id).getBounds())) {
      map.fitBounds(lines.get(id).getBounds().pad(3), { maxZoom: 8, animate: false });
    }
    cy.elements().removeClass("selected");
    cy.getElementById(id).addClass("selected");
    document.querySelectorAll("#twinnings li").forEach((li) => li.classList.toggle("selected", li.dataset.id === id));
    const a = nodesById.get(tw.source), b = nodesById.get(tw.target);
    const established = tw.established ? `Established ${readableDate(tw.established)}`
      : tw.established_not_after ? `Established not after ${readableDate(tw.established_not_after)} (no date in the sources)`
      : "Date of establishment unknown";
    const sourceIds = new Set((tw.sources || "").split("|").filter(Boolean));
    [...tw.agreements, ...tw.events].forEach((e) => e.quotes.forEach((q) => sourceIds.add(q.source)));
    tw.quotes.forEach((q) => sourceIds.add(q.source));
    const details = document.getElementById("details");
    details.replaceChildren(
      el("h2", {}, tw.label),
      el("p", { class: "established" }, established),
      el("p", {}, `${tw.kind_label || tw.kind} · ${tw.scope || ""} · ${tw.countries}${tw.certainty ? ` · certainty: ${tw.certainty}` : ""}`),
      el("p", {}, `${a.label} (${a.level_label}, ${a.country}) – ${b.label} (${b.level_label}, ${b.country})`),
      ...quotes(tw.quotes),
      el("h3", {}, `Agreements (${tw.agreements.length})`),
      ...tw.agreements.map((agr) => el("section", { class: "agreement" },
        el("strong", {}, agr.label || agr.id),
        el("p", {}, [agr.kind, agr.signed ? `signed ${readableDate(agr.signed)}` : "", agr.term ? `term ${agr.term}` : ""].filter(Boolean).join(" · ")),
        agr.items.length ? el("ol", {}, agr.items.map((item) => el("li", { value: item.number }, item.text, item.areas.length ? el("span", { class: "hint" }, ` [${item.areas.join(", ")}]`) : ""))) : "",
        ...quotes(agr.quotes))),
      el("h3", {}, `Reviews and activities (${tw.events.length})`),
      ...tw.events.map((ev) => el("section", { class: "event" },
        el("strong", {}, ev.label || ev.id),
        el("p", {}, [ev.type.replace(/Event$/, ""), ev.date ? readableDate(ev.date) : ev.dateNotAfter ? `not after ${readableDate(ev.dateNotAfter)}` : "",
          ev.yearsReviewed ? `${ev.yearsReviewed}-year review` : "", ev.places.length ? `in ${ev.places.join(", ")}` : ""].filter(Boolean).join(" · ")),
        people(ev), ...quotes(ev.quotes))),
      el("h3", {}, `Sources (${sourceIds.size})`),
      el("ul", { class: "sources" }, [...sourceIds].sort().map(sourceEntry)),
    );
  }

  window.graphkitView = { map, cy, state, select, search, fold };
  apply();
})();
