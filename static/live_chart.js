// Browser half of ui/live_chart.py: one persistent plotly.js div per chart key.
//
// Streamlit calls the component's default export (a tiny inline stub that imports this module)
// every time the element's data changes, always with the same `parentElement` while the element
// stays mounted. `update` keeps one chart per parentElement, merges each message into the
// browser's copy of the figure and redraws with Plotly.react. See ui/live_chart.py for the
// message protocol.
//
// Counters for tests and benchmarks (never needed by the app itself):
//   window.__liveChart.created[key]   divs created for a key (more than 1 = remounted)
//   window.__liveChart.resyncs[key]   full figures requested after a lost message
//   window.__liveChart.charts[key]    the chart's state (tests simulate lost messages with it)
//   div attributes: data-live-chart-key, data-live-chart-id (random, per div), data-updates
//   (redraws done), data-seq (last message drawn), data-rev, data-drawn-at (performance.now())

const STATS = (window.__liveChart ??= {
  created: {},
  resyncs: {},
  errors: [],
  charts: {},
  reactMs: {}, // key -> total milliseconds spent in Plotly.react (for benchmarks)
});
const charts = new WeakMap(); // parentElement -> chart state
const RESYNC_INTERVAL_MS = 1000;
const WATCHDOG_MS = 2000; // Play: ask again for a frame if none arrived this long after asking

const DEFAULT_CONFIG = {
  displaylogo: false,
  showSendToCloud: false, // plotly.js 3 offers "Share chart..." (an upload to Plotly Cloud)
  responsive: false, // a ResizeObserver on the div does it, also when only the container changes
  toImageButtonOptions: { format: "png", scale: 2 },
};

// ---------------------------------------------------------------------------------------------
// plotly.js: a classic script, loaded once per page.

function loadPlotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__liveChartPlotly) {
    window.__liveChartPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () =>
        window.Plotly ? resolve(window.Plotly) : reject(new Error(`${url} did not define Plotly`));
      script.onerror = () => {
        window.__liveChartPlotly = undefined; // let a later update try again
        reject(new Error(`could not load ${url}`));
      };
      document.head.appendChild(script);
    });
  }
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
    layout: null, // a layout not drawn yet (a new revision), else null
    config: null,
    seq: -1,
    renders: 0,
    dirty: false,
    busy: false,
    dataChanged: false,
    relayout: null, // layout changes waiting for Plotly.relayout
    tickSeconds: 0, // Play: seconds between frame requests, 0 when paused
    lastTickAt: -Infinity,
    tickTimer: 0,
    watchdog: 0,
    disposed: false,
    lastResync: -Infinity,
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
  chart.dispose = () => {
    chart.disposed = true;
    clearTimeout(chart.tickTimer);
    clearTimeout(chart.watchdog);
    chart.resizeObserver.disconnect();
    if (window.Plotly) window.Plotly.purge(div);
    div.remove();
    charts.delete(parentElement);
  };
  charts.set(parentElement, chart);
  STATS.charts[msg.key] = chart;
  return chart;
}

function requestResync(chart, reason) {
  const now = performance.now();
  if (now - chart.lastResync < RESYNC_INTERVAL_MS || !chart.setTriggerValue) return;
  chart.lastResync = now;
  STATS.resyncs[chart.key] = (STATS.resyncs[chart.key] ?? 0) + 1;
  chart.setTriggerValue("resync", { rev: chart.rev, reason, at: Date.now() });
}

function applyFigure(chart, msg) {
  const figure = msg.figure;
  chart.data = decode(figure.data ?? []);
  if (msg.rev !== chart.rev || chart.renders === 0) {
    // A new layout revision: draw with the sent layout (this resets zoom, on purpose).
    chart.layout = decode(figure.layout ?? {});
    chart.config = { ...DEFAULT_CONFIG, ...(figure.config ?? {}) };
    chart.config.toImageButtonOptions = {
      filename: chart.key,
      ...DEFAULT_CONFIG.toImageButtonOptions,
      ...(figure.config?.toImageButtonOptions ?? {}),
    };
    chart.rev = msg.rev;
  }
}

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
      if (Number.isInteger(start) && isArrayLike(value)) {
        const old = getPath(trace, path);
        const have = isArrayLike(old) ? old.length : 0;
        if (have < start) gap = true; // messages in between were lost
        else value = spliceTail(old, start, value);
      }
      values[path] = value;
    }
    if (gap) {
      requestResync(chart, `gap in trace ${index}`);
      continue;
    }
    let next = trace;
    for (const [path, value] of Object.entries(values)) next = withPath(next, path, value);
    chart.data[Number(index)] = next;
    changed = true;
  }
  return changed;
}

function showError(chart, error) {
  STATS.errors.push(String(error));
  console.error("live_chart", chart.key, error);
  chart.div.textContent = `Chart could not be drawn: ${error.message ?? error}`;
}

// Redraw with the newest state; messages that arrive meanwhile are merged, then drawn once.
async function drawLoop(chart) {
  if (chart.busy) return;
  chart.busy = true;
  try {
    const Plotly = await chart.plotly;
    while (chart.dirty && !chart.disposed) {
      chart.dirty = false;
      const seq = chart.seq;
      const started = performance.now();
      if (chart.layout !== null) {
        const layout = chart.layout;
        chart.layout = null;
        await Plotly.react(chart.div, chart.data.slice(), layout, chart.config);
      } else if (chart.dataChanged || chart.renders === 0) {
        // The chart's current layout, zoom and pan included, goes back unchanged.
        await Plotly.react(chart.div, chart.data.slice(), chart.div.layout, chart.config);
      }
      chart.dataChanged = false;
      if (chart.relayout !== null && chart.renders > 0) {
        const changes = chart.relayout;
        chart.relayout = null;
        await Plotly.relayout(chart.div, changes);
      }
      chart.renders += 1;
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

// Play, driven by the browser: once a frame has arrived, ask for the next one (a trigger that
// reruns the fragment), no sooner than `tick` seconds after the previous request. A closed
// loop: a busy server gets fewer requests instead of a queue of frames that Streamlit would
// compute and then throw away; a slow browser draws only the newest of the frames it got.
function scheduleTick(chart) {
  clearTimeout(chart.tickTimer);
  if (!chart.tickSeconds || chart.disposed) return;
  const wait = Math.max(0, chart.lastTickAt + chart.tickSeconds * 1000 - performance.now());
  chart.tickTimer = setTimeout(() => requestTick(chart), wait);
}

function requestTick(chart) {
  clearTimeout(chart.watchdog);
  if (!chart.tickSeconds || chart.disposed || !chart.setTriggerValue) return;
  chart.lastTickAt = performance.now();
  chart.setTriggerValue("tick", { seq: chart.seq, at: Date.now() });
  chart.watchdog = setTimeout(() => requestTick(chart), WATCHDOG_MS); // a lost frame
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

// Called by the stub on every data change; returns the cleanup Streamlit runs on unmount.
export function update(component, plotlyUrl) {
  const { parentElement, setTriggerValue } = component;
  const msg = parse(component.data);
  let chart = charts.get(parentElement);
  if (chart === undefined || chart.disposed) chart = createChart(parentElement, msg, plotlyUrl);
  chart.setTriggerValue = setTriggerValue;
  clearTimeout(chart.watchdog); // a frame arrived
  chart.tickSeconds = Number.isFinite(msg.tick) && msg.tick > 0 ? msg.tick : 0;
  if (!chart.tickSeconds) clearTimeout(chart.tickTimer);
  chart.clicks = msg.clicks === true;
  chart.div.dataset.clicks = chart.clicks ? "1" : "0"; // tests wait for it before clicking
  if (chart.clicks && !chart.clickListener) {
    chart.clickListener = (event) => onPlotClick(chart, event);
    chart.div.addEventListener("click", chart.clickListener);
  }
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
  if (changed) {
    chart.seq = msg.seq;
    chart.dirty = true;
    drawLoop(chart);
  }
  // Ask for the next frame as soon as this one has arrived: the server computes it while the
  // browser draws this one. Still a closed loop, one request in flight per chart.
  scheduleTick(chart);
  // Streamlit also calls this cleanup when a newer update supersedes a pending call, with the
  // element still on the page: only a detached element is disposed.
  return () => {
    if (!parentElement.isConnected && charts.get(parentElement) === chart) chart.dispose();
  };
}
