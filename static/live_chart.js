// Browser half of ui/web/live_chart.py, whose docstring is the message protocol: one persistent
// plotly.js div per chart key.
//
// Streamlit calls the component's default export (a tiny inline stub that imports this module)
// every time the element's data changes, always with the same `parentElement` while the element
// stays mounted. `update` (a chart's own element) keeps one chart per parentElement and draws the
// whole figure it mounts with; `feed` (one element) carries every later message of every chart,
// merged into the browser's copy of its figure and redrawn with Plotly.react, and Play's tick.
//
// Counters for tests and benchmarks (never needed by the app itself):
//   window.__liveChart.created[key]   divs created for a key (more than 1 = remounted)
//   window.__liveChart.resyncs[key]   full figures requested after a lost message
//   window.__liveChart.charts[key]    the chart's state (tests simulate lost messages with it)
//   window.__liveChart.fast[key]      drawings that redrew only a growing chart's lines
//   div attributes: data-live-chart-key, data-live-chart-id (random, per div), data-updates
//   (redraws done), data-seq (last message drawn), data-rev, data-drawn-at (performance.now())

const STATS = (window.__liveChart ??= {
  created: {},
  resyncs: {},
  errors: [],
  charts: {},
  reactMs: {}, // key -> total milliseconds spent in Plotly.react (for benchmarks)
  fast: {}, // key -> drawings by the fast path for growing series (only the lines redrawn)
});
const charts = new WeakMap(); // parentElement -> chart state
const byKey = new Map(); // chart key -> the chart now on the page (a feed addresses it by key)
const feeds = new WeakMap(); // parentElement -> feed state (see `feed` below)
const RESYNC_INTERVAL_MS = 1000;
const WATCHDOG_MS = 2000; // Play: ask again for a frame if none arrived this long after asking

const DEFAULT_CONFIG = {
  displaylogo: false,
  showSendToCloud: false, // plotly.js 3 offers "Share chart..." (an upload to Plotly Cloud)
  responsive: false, // a ResizeObserver on the div does it, also when only the container changes
  toImageButtonOptions: { format: "png", scale: 2 },
};

// ---------------------------------------------------------------------------------------------
// plotly.js: a classic script, loaded once per page. Its URL carries plotly's version, so a copy
// in the browser's HTTP cache is never out of date; but Streamlit serves it without a cache
// validator, so a plain <script src> fetches all of it again on every reload (benchmarks/README.md).
// `cache: "force-cache"` takes the cached copy however old, and the script runs from a blob.
// Without fetch or the cache, the <script> element loads the URL itself.

async function cachedScriptSource(url) {
  try {
    const response = await fetch(url, { cache: "force-cache" });
    if (response.ok) return URL.createObjectURL(await response.blob());
  } catch {
    // the URL itself, below
  }
  return url;
}

function runScript(src, url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.onload = script.onerror = (event) => {
      if (src !== url) URL.revokeObjectURL(src);
      if (event.type === "load" && window.Plotly) resolve(window.Plotly);
      else reject(new Error(`could not load plotly.js from ${url}`));
    };
    document.head.appendChild(script);
  });
}

function loadPlotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  window.__liveChartPlotly ??= cachedScriptSource(url)
    .then((src) => runScript(src, url))
    .catch((error) => {
      window.__liveChartPlotly = undefined; // let a later update try again
      throw error;
    });
  return window.__liveChartPlotly;
}

// ---------------------------------------------------------------------------------------------
// Typed arrays: plotly.py's {"dtype": "f4", "bdata": base64, "shape": "rows, cols"}.

const DTYPES = {
  i1: Int8Array,
  u1: Uint8Array,
  i2: Int16Array,
  u2: Uint16Array,
  i4: Int32Array,
  u4: Uint32Array,
  f4: Float32Array,
  f8: Float64Array,
};

function isSpec(v) {
  return (
    v !== null &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    typeof v.bdata === "string" &&
    typeof v.dtype === "string" &&
    v.dtype in DTYPES
  );
}

function decodeSpec(spec) {
  const bin = atob(spec.bdata);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const flat = new DTYPES[spec.dtype](bytes.buffer);
  if (spec.shape === undefined || spec.shape === null) return flat;
  const shape = String(spec.shape).split(",").map(Number);
  if (shape.length !== 2) return flat;
  const [rows, cols] = shape;
  const out = new Array(rows);
  for (let r = 0; r < rows; r++) out[r] = flat.subarray(r * cols, (r + 1) * cols);
  return out;
}

// Replace every typed-array spec inside a JSON value by the array it encodes.
function decode(value) {
  if (isSpec(value)) return decodeSpec(value);
  if (Array.isArray(value)) {
    if (value.length === 0 || typeof value[0] !== "object") return value; // numbers, strings
    return value.map(decode);
  }
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = decode(v);
    return out;
  }
  return value;
}

function isArrayLike(v) {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

// old[0:start] followed by tail, keeping a typed array typed when both halves agree.
function spliceTail(old, start, tail) {
  const head = old.slice(0, start);
  if (ArrayBuffer.isView(head) && head.constructor === tail.constructor) {
    const out = new head.constructor(head.length + tail.length);
    out.set(head, 0);
    out.set(tail, head.length);
    return out;
  }
  return [...head, ...tail];
}

function getPath(obj, path) {
  let cur = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = cur[part];
  }
  return cur;
}

// A copy of obj with obj[a][b]... = value, copying each object on the way (so plotly's diff
// sees new references where something changed).
function withPath(obj, path, value) {
  const [head, ...rest] = path.split(".");
  const copy = { ...obj };
  copy[head] = rest.length ? withPath(obj?.[head] ?? {}, rest.join("."), value) : value;
  return copy;
}

// ---------------------------------------------------------------------------------------------
// One chart per parentElement.

function createChart(parentElement, msg, plotlyUrl) {
  const div = document.createElement("div");
  div.className = "live-chart";
  div.dataset.testid = "stLiveChart";
  div.dataset.liveChartKey = msg.key;
  div.dataset.liveChartId = Math.random().toString(36).slice(2, 10);
  div.dataset.updates = "0";
  div.style.width = "100%";
  parentElement.appendChild(div);
  STATS.created[msg.key] = (STATS.created[msg.key] ?? 0) + 1;

  const chart = {
    key: msg.key,
    div,
    parentElement,
    rev: null, // revision of the figure the browser holds
    data: null, // array of traces, typed arrays decoded
    layout: null, // a layout not drawn yet, else null
    sentView: null, // the axes' ranges of the last figure received (zoom is kept against it)
    config: null,
    seq: -1, // last message drawn
    lastSeq: -1, // last message received
    renders: 0,
    dirty: false,
    busy: false,
    loop: null, // the running draw loop's promise
    dataChanged: false,
    relayout: null, // layout changes waiting for Plotly.relayout
    grow: false, // its series grow (updates with "start"): axes with headroom, fast redraws
    changedTraces: new Set(), // traces changed since the last drawing
    seriesOnly: true, // ... and only their points (x, y), nothing else
    autoView: {}, // axis key -> the range this code last set (else the user zoomed)
    hovered: false, // the pointer is over the chart: hover labels need plotly's own data
    stale: false, // lines redrawn by the fast path since plotly's last full drawing
    healTimer: 0,
    disposed: false,
    lastResync: -Infinity,
    resyncTimer: 0,
    figures: 0, // whole figures received (a pending resync is moot once one arrives)
    setTriggerValue: null,
    plotly: loadPlotly(plotlyUrl),
  };
  let frame = 0;
  chart.resizeObserver = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      if (chart.renders > 0 && window.Plotly && !chart.disposed) window.Plotly.Plots.resize(div);
    });
  });
  chart.resizeObserver.observe(div);
  div.addEventListener("pointerenter", () => {
    chart.hovered = true;
    if (chart.stale) heal(chart); // hover labels read plotly's data: bring it up to date first
  });
  div.addEventListener("pointerleave", () => {
    chart.hovered = false;
  });
  chart.dispose = () => {
    chart.disposed = true;
    clearTimeout(chart.resyncTimer);
    clearTimeout(chart.healTimer);
    chart.resizeObserver.disconnect();
    if (window.Plotly) window.Plotly.purge(div);
    div.remove();
    charts.delete(parentElement);
    if (byKey.get(chart.key) === chart) byKey.delete(chart.key);
  };
  charts.set(parentElement, chart);
  byKey.set(msg.key, chart);
  STATS.charts[msg.key] = chart;
  return chart;
}

function requestResync(chart, reason) {
  const now = performance.now();
  if (!chart.setTriggerValue || chart.disposed) return;
  const wait = chart.lastResync + RESYNC_INTERVAL_MS - now;
  if (wait > 0) {
    // Asked again too soon: ask once the interval is over, unless a figure came meanwhile
    // (no other message may follow to raise the request again, e.g. after a single Step).
    if (!chart.resyncTimer) {
      const rev = chart.rev;
      const figures = chart.figures;
      chart.resyncTimer = setTimeout(() => {
        chart.resyncTimer = 0;
        if (chart.figures === figures && chart.rev === rev) requestResync(chart, reason);
      }, wait);
    }
    return;
  }
  chart.lastResync = now;
  STATS.resyncs[chart.key] = (STATS.resyncs[chart.key] ?? 0) + 1;
  chart.setTriggerValue("resync", { rev: chart.rev, reason, at: Date.now() });
}

function applyFigure(chart, msg) {
  const figure = msg.figure;
  chart.figures += 1;
  chart.data = decode(figure.data ?? []);
  const layout = decode(figure.layout ?? {});
  if (msg.rev !== chart.rev || chart.renders === 0) {
    // A new layout revision: draw with the sent layout (this resets zoom, on purpose).
    chart.layout = layout;
    chart.config = { ...DEFAULT_CONFIG, ...(figure.config ?? {}) };
    chart.config.toImageButtonOptions = {
      filename: chart.key,
      ...DEFAULT_CONFIG.toImageButtonOptions,
      ...(figure.config?.toImageButtonOptions ?? {}),
    };
    chart.rev = msg.rev;
  } else {
    // The same revision: the sent layout holds what changed (labels, titles, the pictures of
    // the output and of each neuron), so it is drawn, but the user's zoom and pan are kept.
    chart.layout = keepView(layout, chart.sentView, chart.div.layout ?? {});
  }
  chart.sentView = viewOf(layout); // a copy: plotly.js takes the layout object as its own
}

// The view (range, autorange) of each axis of a layout, as JSON text per axis key.
const AXIS = /^[xy]axis\d*$/;
const NO_VIEW = JSON.stringify([null, null]);
function viewOf(layout) {
  const out = {};
  for (const [key, axis] of Object.entries(layout)) {
    if (AXIS.test(key) && axis !== null && typeof axis === "object") {
      out[key] = JSON.stringify([axis.range ?? null, axis.autorange ?? null]);
    }
  }
  return out;
}

// `sent` with the view (range, autorange) of each axis taken from `current` (the layout on
// the page, zoom included), wherever the app sent the same view as the time before: a range
// the app itself changed (new data, a new extent) wins over an old zoom.
function keepView(sent, sentBefore, current) {
  const out = { ...sent };
  const now = viewOf(sent);
  for (const [key, axis] of Object.entries(current)) {
    if (!AXIS.test(key) || axis === null || typeof axis !== "object") continue;
    if ((now[key] ?? NO_VIEW) !== (sentBefore?.[key] ?? NO_VIEW)) continue;
    if (!Array.isArray(axis.range)) continue;
    out[key] = { ...(sent[key] ?? {}), range: [...axis.range], autorange: axis.autorange ?? false };
  }
  return out;
}

// Equal arrays (typed, or rows of typed arrays as a 2-D spec decodes), compared bit by bit so
// that NaN gaps compare equal.
function sameArray(a, b) {
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    if (a.constructor !== b.constructor || a.length !== b.length) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) {
      if (isArrayLike(a[i]) ? !sameArray(a[i], b[i]) : !Object.is(a[i], b[i])) return false;
    }
    return true;
  }
  return false;
}

// Copy b into a, which has the same shape; false when the shapes differ.
function copyInto(a, b) {
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    if (a.constructor !== b.constructor || a.length !== b.length) return false;
    a.set(b);
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    if (!a.every((row, i) => ArrayBuffer.isView(row) && ArrayBuffer.isView(b[i]))) return false;
    if (!a.every((row, i) => row.constructor === b[i].constructor && row.length === b[i].length))
      return false;
    a.forEach((row, i) => row.set(b[i]));
    return true;
  }
  return false;
}

// Merge the updates into the chart's traces; true when something drawn changed. Two updates
// cost no redraw: an array equal to the one the chart holds (plotly.js compares arrays by
// reference, so keeping the old one tells Plotly.react nothing changed), and `customdata` of
// the same shape, which only hover labels read: it is copied into the chart's array in place
// (plotly.js holds the trace's array by reference), so the next hover shows the new values.
function applyUpdates(chart, msg) {
  if (chart.data === null || msg.rev !== chart.rev) {
    requestResync(chart, chart.data === null ? "no figure" : `revision ${chart.rev} != ${msg.rev}`);
    return false;
  }
  let changed = false;
  for (const [index, update] of Object.entries(msg.updates)) {
    const trace = chart.data[Number(index)];
    if (trace === undefined) {
      requestResync(chart, `no trace ${index}`);
      continue;
    }
    const start = update.start;
    const values = {};
    let gap = false;
    for (const [path, raw] of Object.entries(update)) {
      if (path === "start") continue;
      let value = decode(raw);
      const old = getPath(trace, path);
      if (Number.isInteger(start) && isArrayLike(value)) {
        const have = isArrayLike(old) ? old.length : 0;
        if (have < start) gap = true; // messages in between were lost
        else value = spliceTail(old, start, value);
      }
      if (isArrayLike(value) && isArrayLike(old)) {
        if (sameArray(old, value)) continue;
        if (path === "customdata" && copyInto(old, value)) continue;
      }
      values[path] = value;
    }
    if (gap) {
      requestResync(chart, `gap in trace ${index}`);
      continue;
    }
    const paths = Object.entries(values);
    if (paths.length === 0) continue;
    let next = trace;
    for (const [path, value] of paths) next = withPath(next, path, value);
    chart.data[Number(index)] = next;
    changed = true;
    chart.changedTraces.add(Number(index));
    if (Number.isInteger(start)) chart.grow = true; // an append: a growing series
    if (!paths.every(([path]) => SERIES.has(path))) chart.seriesOnly = false;
  }
  return changed;
}

function showError(chart, error) {
  STATS.errors.push(String(error));
  console.error("live_chart", chart.key, error);
  chart.div.textContent = `Chart could not be drawn: ${error.message ?? error}`;
}

// ---------------------------------------------------------------------------------------------
// Growing series (the cost and δ curves, whose updates append points: "start").
//
// Plotly.react, Plotly.extendTraces and Plotly.restyle each redraw a chart whole: axes, ticks,
// legend, annotations and every trace, 8-15 ms for one curve chart in headless Chromium here,
// two charts every frame (benchmarks/README.md). When a frame changes only the points of line
// traces, and those points fit the axes as they are, nothing but the lines' SVG paths needs
// to change: `drawFast` writes them from the chart's data with the axes' own coordinate maps
// (about 0.1 ms). To make that the usual case the axes of a growing chart get fixed ranges
// with headroom (`withGrowthRanges`: the x axis runs to 1.5 × the last step, the y axis a
// little beyond the values), which change only when the curves leave them; the user's zoom is
// never replaced. Plotly.react draws everything again on a new range, a whole figure, any
// other change, and HEAL_MS after the last fast drawing or as soon as the pointer enters the
// chart, so hover labels read plotly's own, current data; image export reads the traces,
// which the fast path hands to plotly.js too.

const SERIES = new Set(["x", "y", "x0", "dx"]);
const GROW_X = 1.5; // x axis: to 1.5 × the last step ...
const MIN_X_SPAN = 10; // ... and at least 10 steps
const HEAD_Y = 0.12; // linear y axis: 12 % of the span above the top value
const HEAD_LOG = [0.5, 0.25]; // log y axis: decades below the lowest and above the highest value
const HEAL_MS = 400;

async function fullDraw(Plotly, chart, layout) {
  clearTimeout(chart.healTimer);
  chart.stale = false;
  await Plotly.react(chart.div, chart.data.slice(), layout, chart.config);
}

function heal(chart) {
  clearTimeout(chart.healTimer);
  if (!chart.stale || chart.disposed) return;
  chart.stale = false;
  chart.dataChanged = true;
  chart.dirty = true;
  drawLoop(chart);
}

// x of point i of a trace: its x array, or x0 + i·dx.
function xOf(trace) {
  if (isArrayLike(trace.x)) return (i) => trace.x[i];
  const x0 = Number.isFinite(trace.x0) ? trace.x0 : 0;
  const dx = Number.isFinite(trace.dx) ? trace.dx : 1;
  return (i) => x0 + i * dx;
}

// [xmin, xmax, ymin, ymax] over the points of `traces` drawable on the y axis's scale, or null.
function bounds(traces, logY) {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const trace of traces) {
    if (!trace || trace.visible === false || !isArrayLike(trace.y)) continue;
    const x = xOf(trace);
    for (let i = 0; i < trace.y.length; i++) {
      const y = trace.y[i];
      if (y === null || !Number.isFinite(y) || (logY && y <= 0)) continue;
      const xi = x(i);
      if (!Number.isFinite(xi)) continue;
      if (xi < x0) x0 = xi;
      if (xi > x1) x1 = xi;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x0 <= x1 ? [x0, x1, y0, y1] : null;
}

function isLogY(chart, layout) {
  return (layout?.yaxis?.type ?? chart.div._fullLayout?.yaxis?.type) === "log";
}

// The axis was set by the user (zoom, pan), not by this code nor by autorange.
function userZoomed(chart, key) {
  const axis = chart.div.layout?.[key];
  if (!axis || axis.autorange === true || !Array.isArray(axis.range)) return false;
  const mine = chart.autoView[key];
  return !mine || axis.range[0] !== mine[0] || axis.range[1] !== mine[1];
}

// `layout` with fixed x and y ranges around every trace of a growing chart, except on axes
// the user zoomed; the layout itself otherwise.
function withGrowthRanges(chart, layout) {
  if (!chart.grow || !chart.data) return layout;
  const logY = isLogY(chart, layout);
  const b = bounds(chart.data, logY);
  if (b === null) return layout;
  const [xmin, xmax, ymin, ymax] = b;
  const lo = Math.min(0, xmin);
  const x = [lo, Math.max(lo + MIN_X_SPAN, lo + (xmax - lo) * GROW_X)];
  let y;
  if (logY) {
    y = [Math.log10(ymin) - HEAD_LOG[0], Math.log10(ymax) + HEAD_LOG[1]];
  } else {
    const bottom = Math.min(0, ymin);
    const span = ymax > bottom ? ymax - bottom : 1;
    y = [bottom, ymax + HEAD_Y * span];
  }
  const out = { ...layout };
  for (const [key, range] of [["xaxis", x], ["yaxis", y]]) {
    if (!range.every(Number.isFinite) || userZoomed(chart, key)) continue;
    out[key] = { ...(layout[key] ?? {}), range, autorange: false };
    chart.autoView[key] = [...range];
  }
  return out;
}

// Whether the points of the changed traces lie inside the axes as drawn, and the x axis is
// not far too long for all of them (after Reset: a new range); an axis the user zoomed counts
// as fitting, its view stays whatever the data do.
function fitsAxes(chart) {
  const full = chart.div._fullLayout;
  const logY = full.yaxis.type === "log";
  const b = bounds([...chart.changedTraces].map((i) => chart.data[i]), logY);
  const all = bounds(chart.data, logY);
  if (b === null || all === null) return false;
  const inside = (key, lo, hi) => {
    if (userZoomed(chart, key)) return true;
    const mine = chart.autoView[key];
    const range = chart.div.layout?.[key]?.range;
    if (!mine || !Array.isArray(range) || range[0] !== mine[0] || range[1] !== mine[1]) return false;
    return lo >= Math.min(...mine) && hi <= Math.max(...mine);
  };
  const [xmin, xmax, ymin, ymax] = b;
  const [y0, y1] = logY ? [Math.log10(ymin), Math.log10(ymax)] : [ymin, ymax];
  if (!inside("xaxis", xmin, xmax) || !inside("yaxis", y0, y1)) return false;
  if (userZoomed(chart, "xaxis")) return true;
  const [start, end] = chart.autoView.xaxis;
  return end - start <= GROW_X * Math.max(MIN_X_SPAN, (all[1] - start) * GROW_X);
}

// The SVG path plotly.js draws for a "lines" trace: M/L through the points, a gap at NaN.
function linePath(trace, xa, ya, logY) {
  const x = xOf(trace);
  const y = trace.y;
  const parts = [];
  let pen = false;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i];
    const xi = x(i);
    if (yi === null || !Number.isFinite(yi) || !Number.isFinite(xi) || (logY && yi <= 0)) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? "L" : "M"}${xa.c2p(xi).toFixed(2)},${ya.c2p(yi).toFixed(2)}`);
    pen = true;
  }
  return parts.join("");
}

// Redraw only the lines of the changed traces, if that draws the chart exactly; else false.
function drawFast(chart) {
  const full = chart.div._fullLayout;
  if (!chart.grow || !chart.seriesOnly || chart.hovered || chart.relayout !== null) return false;
  if (!full?.xaxis?.c2p || !full?.yaxis?.c2p || chart.changedTraces.size === 0) return false;
  const lines = new Map();
  for (const group of chart.div.querySelectorAll(".scatterlayer .trace")) {
    const trace = group.__data__?.[0]?.trace;
    const line = group.querySelector(".js-line");
    if (trace && line && trace.xaxis === "x" && trace.yaxis === "y") lines.set(trace.index, line);
  }
  const logY = full.yaxis.type === "log";
  const paths = [];
  for (const i of chart.changedTraces) {
    const trace = chart.data[i];
    const line = lines.get(i);
    if (!line || trace?.type !== "scatter" || trace.mode !== "lines" || !isArrayLike(trace.y)) {
      return false; // not drawn yet (an empty trace), or not a plain line: plotly draws it
    }
    if (trace.fill || (trace.line?.shape ?? "linear") !== "linear") return false;
    paths.push([line, linePath(trace, full.xaxis, full.yaxis, logY)]);
  }
  if (!fitsAxes(chart)) return false;
  for (const [line, d] of paths) line.setAttribute("d", d);
  // plotly.js's own copy of the traces, which image export reads (Plotly.toImage plots a
  // copy of it); hover reads the computed points, brought up to date on pointerenter.
  chart.div.data = chart.data.slice();
  chart.stale = true;
  clearTimeout(chart.healTimer);
  chart.healTimer = setTimeout(() => heal(chart), HEAL_MS);
  STATS.fast ??= {};
  STATS.fast[chart.key] = (STATS.fast[chart.key] ?? 0) + 1;
  return true;
}

// Redraw with the newest state; messages that arrive meanwhile are merged, then drawn once.
// The promise resolves once the chart has drawn everything it received so far.
function drawLoop(chart) {
  chart.loop ??= runDrawLoop(chart).finally(() => {
    chart.loop = null;
  });
  return chart.loop;
}

async function runDrawLoop(chart) {
  chart.busy = true;
  try {
    const Plotly = await chart.plotly;
    while (chart.dirty && !chart.disposed) {
      chart.dirty = false;
      const seq = chart.seq;
      const started = performance.now();
      if (chart.layout !== null) {
        const layout = withGrowthRanges(chart, chart.layout);
        chart.layout = null;
        clearOverlay(chart, false); // a whole new layout: the plane shows the network again
        await fullDraw(Plotly, chart, layout);
      } else if (chart.renders > 0 && chart.dataChanged && drawFast(chart)) {
        // only the lines' paths were redrawn (see "Growing series" below)
      } else if (chart.dataChanged || chart.renders === 0) {
        // The chart's current layout, zoom and pan included, goes back (axes with headroom
        // for a growing series, unless the user zoomed).
        await fullDraw(Plotly, chart, withGrowthRanges(chart, chart.div.layout ?? {}));
      }
      chart.dataChanged = false;
      chart.changedTraces.clear();
      chart.seriesOnly = true;
      if (chart.relayout !== null && chart.renders > 0) {
        const changes = chart.relayout;
        chart.relayout = null;
        keepOverlay(chart, changes);
        await Plotly.relayout(chart.div, changes);
        refreshHoverPicture(chart);
      }
      chart.renders += 1;
      bindPlotEvents(chart);
      STATS.reactMs[chart.key] = (STATS.reactMs[chart.key] ?? 0) + performance.now() - started;
      const d = chart.div.dataset;
      d.updates = String(chart.renders);
      d.seq = String(seq);
      d.rev = String(chart.rev);
      d.drawnAt = String(performance.now());
    }
  } catch (error) {
    showError(chart, error);
  } finally {
    chart.busy = false;
  }
}

// ---------------------------------------------------------------------------------------------
// The network diagram's events (its figure's layout.meta, ui/web/network_tools.py): a click on a
// hovered link or neuron is reported as the "pick" trigger {trace, point}; hovering a neuron
// shows its picture (layout.images[first + point]) on the plane chart named by meta.plane, in
// place of the network's output, until the pointer leaves. All in the browser: no server run.

function bindPlotEvents(chart) {
  if (chart.eventsBound || typeof chart.div.on !== "function") return;
  chart.eventsBound = true;
  chart.div.on("plotly_click", (event) => {
    const p = event?.points?.[0];
    if (!chart.picks || !chart.setTriggerValue || !p) return;
    chart.setTriggerValue("pick", { trace: p.curveNumber, point: p.pointNumber, at: Date.now() });
  });
  chart.div.on("plotly_hover", (event) => showHoverPicture(chart, event?.points?.[0]));
  chart.div.on("plotly_unhover", () => hideHoverPicture(chart));
}

function pictureOf(chart, index) {
  return chart.div.layout?.images?.[index]?.source;
}

function showHoverPicture(chart, point) {
  const meta = chart.div.layout?.meta;
  if (!meta?.pictures || !point) return;
  const first = meta.pictures[String(point.curveNumber)];
  if (!Number.isInteger(first)) return;
  const index = first + point.pointNumber;
  const plane = byKey.get(meta.plane);
  const source = pictureOf(chart, index);
  if (!source || !plane || plane.disposed || !plane.div.layout?.images?.length) return;
  if (chart.hoverPicture && chart.hoverPicture.plane !== plane) clearOverlay(chart.hoverPicture.plane);
  chart.hoverPicture = { index, plane };
  setOverlay(plane, source, meta.names?.[index] ?? "");
}

function hideHoverPicture(chart) {
  const hovered = chart.hoverPicture;
  chart.hoverPicture = null;
  if (hovered) clearOverlay(hovered.plane);
}

// The hovered neuron's picture follows the frames while the pointer stays on it.
function refreshHoverPicture(chart) {
  const hovered = chart.hoverPicture;
  const source = hovered && pictureOf(chart, hovered.index);
  if (source && hovered.plane.overlay && hovered.plane.overlay.source !== source) {
    hovered.plane.overlay.source = source;
    window.Plotly.relayout(hovered.plane.div, { "images[0].source": source });
  }
}

function setOverlay(plane, source, name) {
  if (!plane.overlay) plane.overlay = { real: plane.div.layout.images[0].source };
  plane.overlay.source = source;
  let label = plane.overlayLabel;
  if (!label) {
    label = plane.overlayLabel = document.createElement("div");
    label.dataset.testid = "pg-plane-picture";
    label.style.cssText =
      "position:absolute;z-index:5;pointer-events:none;padding:2px 8px;max-width:60%;" +
      "background:rgba(255,255,255,0.92);border:1px solid #888;border-radius:4px;font-size:14px";
    plane.div.style.position = "relative";
    plane.div.appendChild(label);
  }
  // inside the plot area's top-left corner, clear of the legend above it
  const full = plane.div._fullLayout;
  label.style.left = `${(full?.xaxis?._offset ?? 64) + 6}px`;
  label.style.top = `${(full?.yaxis?._offset ?? 40) + 6}px`;
  label.textContent = `Showing ${name} over the plane (its own colour scale)`;
  label.style.display = "block";
  plane.div.dataset.picture = name;
  window.Plotly.relayout(plane.div, { "images[0].source": source });
}

// Back to the network's output; `redraw` false when a whole figure is about to be drawn.
function clearOverlay(plane, redraw = true) {
  const overlay = plane.overlay;
  if (!overlay) return;
  plane.overlay = null;
  if (plane.overlayLabel) plane.overlayLabel.style.display = "none";
  plane.div.dataset.picture = "";
  if (redraw && window.Plotly && plane.renders > 0) {
    window.Plotly.relayout(plane.div, { "images[0].source": overlay.real });
  }
}

// A new output map arriving while a neuron's picture is shown: kept for later, not drawn.
function keepOverlay(chart, changes) {
  const key = "images[0].source";
  if (chart.overlay && key in changes) {
    chart.overlay.real = changes[key];
    changes[key] = chart.overlay.source;
  }
}

// Play, driven by the browser (the feed's tick): once a frame has arrived, ask for the next one (a
// trigger that reruns the fragment), no sooner than `tick` seconds after the previous request. A
// closed loop: a busy server gets fewer requests instead of a queue of frames that Streamlit
// would compute and then throw away; a slow browser draws only the newest of the frames it got.
function scheduleTick(ticker) {
  clearTimeout(ticker.tickTimer);
  if (!ticker.tickSeconds || ticker.disposed) return;
  const wait = ticker.lastTickAt + ticker.tickSeconds * 1000 - performance.now();
  // Due already: ask now, before this frame is drawn (a timer would wait for the drawing).
  if (wait <= 0) requestTick(ticker);
  else ticker.tickTimer = setTimeout(() => requestTick(ticker), wait);
}

function requestTick(ticker) {
  clearTimeout(ticker.watchdog);
  if (!ticker.tickSeconds || ticker.disposed || !ticker.setTriggerValue) return;
  ticker.lastTickAt = performance.now();
  // fps: how many frames a second this browser has been drawing (the server sends about that
  // many per second of Play; ui/web/live.py `frames_this_run`).
  const fps = ticker.drawMs ? Math.round(10000 / Math.max(ticker.drawMs, 1000 / MAX_FPS)) / 10 : null;
  ticker.setTriggerValue("tick", { seq: ticker.seq, at: Date.now(), fps });
  ticker.watchdog = setTimeout(() => requestTick(ticker), WATCHDOG_MS); // a lost frame
}

// A click inside the plot area, in data coordinates, for charts that asked for clicks (e.g.
// drawing points on the boundary). Legend, colour bar and margins are ignored.
function onPlotClick(chart, event) {
  const full = chart.div._fullLayout;
  if (!chart.clicks || !full || !chart.setTriggerValue) return;
  const xa = full.xaxis;
  const ya = full.yaxis;
  const box = chart.div.getBoundingClientRect();
  const px = event.clientX - box.left - xa._offset;
  const py = event.clientY - box.top - ya._offset;
  if (px < 0 || py < 0 || px > xa._length || py > ya._length) return;
  chart.setTriggerValue("click", { x: xa.p2d(px), y: ya.p2d(py), at: Date.now() });
}

function parse(data) {
  if (data instanceof Uint8Array) return JSON.parse(new TextDecoder().decode(data));
  if (typeof data === "string") return JSON.parse(data);
  return data;
}

// A chart message (a figure, updates or layout changes), from the chart's own element (its
// whole figure) or from the feed: merge it into the chart's state and draw.
function receive(chart, msg) {
  // An update older than what the chart holds is stale (a Play frame still queued when the
  // whole figure of a later state arrived, e.g. on Pause): drawing it would show a past state.
  // A whole figure always applies (a new session numbers its messages from 1 again).
  if (!msg.figure && Number.isFinite(msg.seq) && msg.seq <= chart.lastSeq) return;
  if (Number.isFinite(msg.seq)) chart.lastSeq = msg.seq;
  if (Number.isFinite(msg.height)) chart.div.style.height = `${msg.height}px`;
  let changed = false;
  if (msg.figure) {
    applyFigure(chart, msg);
    chart.relayout = null; // the figure's layout already holds the newest values
    chart.dataChanged = true;
    changed = true;
  } else if (msg.updates || msg.relayout) {
    changed = msg.updates ? applyUpdates(chart, msg) : false;
    if (changed) chart.dataChanged = true;
    if (msg.relayout && chart.data !== null && msg.rev === chart.rev) {
      // Layout-only changes (e.g. the boundary's image) are drawn by Plotly.relayout, which
      // redraws just that part of the chart instead of every trace.
      chart.relayout = { ...(chart.relayout ?? {}), ...decode(msg.relayout) };
      changed = true;
    } else if (msg.relayout) {
      requestResync(chart, "relayout before the figure");
    }
  }
  if (!changed) return Promise.resolve();
  chart.seq = msg.seq;
  chart.dirty = true;
  return drawLoop(chart);
}

// The feed's tick fields, from a message.
function setTick(ticker, msg) {
  clearTimeout(ticker.watchdog); // a frame arrived
  ticker.tickSeconds = Number.isFinite(msg.tick) && msg.tick > 0 ? msg.tick : 0;
  if (!ticker.tickSeconds) clearTimeout(ticker.tickTimer);
}

// Called by the stub on every data change of a chart's element (the whole figure, on a full run);
// returns the cleanup Streamlit runs on unmount.
export function update(component, plotlyUrl) {
  const { parentElement, setTriggerValue } = component;
  const msg = parse(component.data);
  let chart = charts.get(parentElement);
  if (chart === undefined || chart.disposed) chart = createChart(parentElement, msg, plotlyUrl);
  chart.setTriggerValue = setTriggerValue;
  byKey.set(chart.key, chart);
  chart.clicks = msg.clicks === true;
  chart.picks = msg.picks === true;
  chart.div.dataset.clicks = chart.clicks ? "1" : "0"; // tests wait for it before clicking
  if (chart.clicks && !chart.clickListener) {
    chart.clickListener = (event) => onPlotClick(chart, event);
    chart.div.addEventListener("click", chart.clickListener);
  }
  receive(chart, msg);
  // Streamlit also calls this cleanup when a newer update supersedes a pending call, with the
  // element still on the page: only a detached element is disposed.
  return () => {
    if (!parentElement.isConnected && charts.get(parentElement) === chart) chart.dispose();
  };
}

// The feed: one element that carries, in one message per run, the messages of every chart
// (addressed by key; each chart was mounted by its own element), an HTML snippet it shows
// itself (the numbers), and Play's tick. One element per run instead of one per chart: the
// server enqueues and sends one message, the browser renders one element.
// A message may hold several frames (Play computes a few per run): the first is drawn at once,
// the others are spread evenly over the time the next message is expected to take.
const MIN_SPACING_MS = 15;
const MAX_SPACING_MS = 250;
const MAX_FPS = 30; // the most frames a second Play asks for

function showFrame(f, frame) {
  const started = performance.now();
  if (typeof frame.html === "string" && frame.html !== f.html) {
    f.html = frame.html;
    f.div.innerHTML = frame.html;
  }
  const drawing = [];
  for (const m of frame.charts ?? []) {
    const chart = byKey.get(m.key);
    // A chart not on the page yet gets its whole figure from its own element.
    if (chart !== undefined && !chart.disposed) drawing.push(receive(chart, m));
  }
  f.shown += 1;
  f.div.dataset.frames = String(f.shown);
  // How long this browser takes to show a frame, until the next paint (also waiting for the
  // frame before, if it was still being drawn: a backlog makes it longer): Play asks for
  // about as many frames a second, so a browser that falls behind gets fewer.
  if (drawing.length && f.tickSeconds) {
    Promise.all(drawing).then(() =>
      requestAnimationFrame(() =>
        setTimeout(() => {
          const ms = performance.now() - started;
          f.drawMs = f.drawMs ? 0.8 * f.drawMs + 0.2 * ms : ms;
          f.div.dataset.drawMs = f.drawMs.toFixed(1);
        }),
      ),
    );
  }
}

// Show the frames still waiting, in order (tails of curves must arrive in order).
function flushFrames(f) {
  clearTimeout(f.paceTimer);
  while (f.queue.length) showFrame(f, f.queue.shift());
  f.div.dataset.queued = "0";
  endSlow(f);
}

// A slow-motion Step (frames marked "slow", played msg.slowMs apart): Skip in its banner, or a
// click on any button of the page (Step, Play, Reset, ...), shows the last frame at once.
function endSlow(f) {
  if (!f.slow) return;
  f.slow = false;
  f.div.dataset.slow = "0";
}

function watchSkips(f) {
  f.div.addEventListener("click", (event) => {
    if (event.target?.closest?.("[data-pg-skip]")) flushFrames(f);
  });
  f.skipListener = (event) => {
    if (f.slow && event.target?.closest?.("button")) flushFrames(f);
  };
  document.addEventListener("pointerdown", f.skipListener, true);
}

// Pause, in the browser: a click on the Pause button (the element with Streamlit key
// msg.pauseKey, also clicked by the "p" shortcut) stops the frames at once, before the server has
// heard of it. The frames still queued are dropped, no further run is asked for, and a message of
// a Play run that was under way (the same play generation as at the click) is not shown: the
// next message, the paused run's, shows the network as it is. If none comes (a lost click), the
// feed asks the server again after WATCHDOG_MS.
function watchPause(f) {
  f.pauseListener = (event) => {
    if (!f.tickSeconds || !f.pauseKey || f.disposed) return;
    if (event.target?.closest?.(`.st-key-${CSS.escape(f.pauseKey)}`)) freeze(f);
  };
  document.addEventListener("click", f.pauseListener, true);
}

function freeze(f) {
  clearTimeout(f.paceTimer);
  clearTimeout(f.tickTimer);
  clearTimeout(f.watchdog);
  f.queue = [];
  f.div.dataset.queued = "0";
  f.frozen = { gen: f.gen, tick: f.tickSeconds };
  f.tickSeconds = 0;
  clearTimeout(f.frozenTimer);
  f.frozenTimer = setTimeout(() => thaw(f, true), WATCHDOG_MS);
}

function thaw(f, askAgain) {
  const frozen = f.frozen;
  f.frozen = null;
  clearTimeout(f.frozenTimer);
  if (askAgain && frozen && !f.disposed) {
    f.tickSeconds = frozen.tick;
    requestTick(f);
  }
}

function paceFrames(f, spacing) {
  clearTimeout(f.paceTimer);
  if (!f.queue.length || f.disposed) {
    endSlow(f);
    return;
  }
  f.paceTimer = setTimeout(() => {
    if (f.queue.length) showFrame(f, f.queue.shift());
    f.div.dataset.queued = String(f.queue.length);
    paceFrames(f, spacing);
  }, spacing);
}

export function feed(component) {
  const { parentElement, setTriggerValue } = component;
  const msg = parse(component.data);
  let f = feeds.get(parentElement);
  if (f === undefined) {
    const div = document.createElement("div");
    div.className = "live-feed";
    div.dataset.liveFeedKey = msg.key;
    parentElement.appendChild(div);
    f = { key: msg.key, div, html: null, seq: -1, tickSeconds: 0, lastTickAt: -Infinity };
    Object.assign(f, { tickTimer: 0, watchdog: 0, paceTimer: 0, disposed: false });
    Object.assign(f, { queue: [], shown: 0, lastArrival: null, interval: null, drawMs: null });
    Object.assign(f, { gen: null, pauseKey: null, frozen: null, frozenTimer: 0 });
    feeds.set(parentElement, f);
    watchSkips(f);
    watchPause(f);
  }
  f.setTriggerValue = setTriggerValue;
  f.seq = msg.seq;
  f.div.dataset.seq = String(msg.seq);
  if (f.frozen) {
    // Paused in the browser: a Play run's message from before the click is not shown.
    if (msg.gen === f.frozen.gen && Number.isFinite(msg.tick) && msg.tick > 0) {
      return cleanupFeed(f, parentElement);
    }
    thaw(f, false);
  }
  f.gen = msg.gen ?? null;
  f.pauseKey = typeof msg.pauseKey === "string" ? msg.pauseKey : null;
  setTick(f, msg);
  f.div.dataset.playing = f.tickSeconds ? "1" : "0"; // tests wait for a paused message
  // Playing: the frames still waiting are shown first (their curve tails come in order).
  // Paused: they are dropped; this message shows the network as it is (Pause stops at once).
  // A slow-motion Step still playing is shown to its end, the real state after the step
  // (its last frame also hides the diagram's highlight band).
  if (f.tickSeconds || f.slow) flushFrames(f);
  else {
    clearTimeout(f.paceTimer);
    f.queue = [];
  }
  // While playing, the time between two messages: the next frames are spread over it.
  const now = performance.now();
  if (f.tickSeconds && f.lastArrival !== null) {
    const gap = now - f.lastArrival;
    f.interval = f.interval === null ? gap : 0.7 * f.interval + 0.3 * gap;
  }
  f.lastArrival = f.tickSeconds ? now : null;
  scheduleTick(f); // first: the server computes the next run while these frames are drawn
  const frames = Array.isArray(msg.frames) ? msg.frames : [];
  if (frames.length) showFrame(f, frames[0]);
  f.queue = frames.slice(1);
  f.div.dataset.queued = String(f.queue.length);
  if (Number.isFinite(msg.slowMs) && msg.slowMs > 0 && f.queue.length) {
    f.slow = true;
    f.div.dataset.slow = "1";
    paceFrames(f, msg.slowMs);
    return cleanupFeed(f, parentElement);
  }
  const expected = f.interval ?? f.tickSeconds * 1000 * frames.length;
  const spacing = expected / Math.max(1, frames.length);
  paceFrames(f, Math.min(MAX_SPACING_MS, Math.max(MIN_SPACING_MS, spacing)));
  return cleanupFeed(f, parentElement);
}

function cleanupFeed(f, parentElement) {
  return () => {
    if (!parentElement.isConnected && feeds.get(parentElement) === f) {
      f.disposed = true;
      clearTimeout(f.tickTimer);
      clearTimeout(f.watchdog);
      clearTimeout(f.paceTimer);
      clearTimeout(f.frozenTimer);
      document.removeEventListener("pointerdown", f.skipListener, true);
      document.removeEventListener("click", f.pauseListener, true);
      feeds.delete(parentElement);
    }
  };
}
