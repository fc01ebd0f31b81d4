// Browser half of ui/web/classroom.py: what only the browser can do, on every page.
//
// - Keyboard shortcuts (the Playground): S Step, P Play/Pause, R Reset. A key presses the
//   button with that Streamlit key (class st-key-<key>), never while a field takes typing,
//   never with Ctrl, Alt or Meta (the browser's own shortcuts stay).
// - Chart names: a visually hidden description `[data-pg-chart-name]` (classroom.chart_name)
//   names the first chart of its container: role="img", aria-label, aria-describedby.
// - The whole Playground view as one PNG: the four live charts (Plotly.toImage), the numbers and
//   the configuration, drawn on one 1920×1080 canvas and downloaded.
//
// Streamlit calls `setup` whenever the component's data change; one window listener and one
// observer serve every call (their settings are module state).

const STATE = (window.__classroom ??= {
  shortcuts: [], // keys active on this page
  buttons: {}, // key -> [Streamlit button keys, first present wins]
  pressed: [], // for tests: the buttons the shortcuts pressed
  exports: 0, // for tests: PNGs made
  listening: false,
  observer: null,
});

const TYPING = [
  "input",
  "textarea",
  "select",
  "[contenteditable='']",
  "[contenteditable='true']",
  "[role='textbox']",
  "[role='combobox']",
  "[role='spinbutton']",
].join(",");

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || event.defaultPrevented)
    return;
  const key = (event.key ?? "").toLowerCase();
  if (!STATE.shortcuts.includes(key)) return;
  const target = event.target;
  if (target instanceof Element && target.closest(TYPING)) return; // typing: the field's key
  for (const name of STATE.buttons[key] ?? []) {
    const button = document.querySelector(`.st-key-${name} button`);
    if (button && !button.disabled) {
      event.preventDefault();
      STATE.pressed.push(name);
      button.click();
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Chart names

let labelFrame = 0;
let nextId = 0;
function nameCharts() {
  labelFrame = 0;
  for (const note of document.querySelectorAll("[data-pg-chart-name]")) {
    const block = note.closest("[data-testid='stVerticalBlock']");
    const chart = block?.querySelector("[data-live-chart-key], [data-testid='stPlotlyChart']");
    if (!chart) continue;
    if (!note.id) note.id = `pg-chart-desc-${++nextId}`;
    const name = note.dataset.pgChartName;
    if (chart.getAttribute("aria-label") !== name) chart.setAttribute("aria-label", name);
    if (chart.getAttribute("role") !== "img") chart.setAttribute("role", "img");
    if (chart.getAttribute("aria-describedby") !== note.id)
      chart.setAttribute("aria-describedby", note.id);
  }
}

function watchCharts() {
  if (STATE.observer) return;
  STATE.observer = new MutationObserver(() => {
    if (!labelFrame) labelFrame = requestAnimationFrame(nameCharts);
  });
  const root = document.querySelector("[data-testid='stApp']") ?? document.body;
  STATE.observer.observe(root, { childList: true, subtree: true });
}

// ---------------------------------------------------------------------------------------------
// The whole view as one PNG

const EXPORT_W = 1920;
const EXPORT_H = 1080;
const CHARTS = ["boundary", "network", "cost", "delta"];

function loadImage(url) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error("a chart could not be turned into an image"));
    image.src = url;
  });
}

function numbers() {
  return [...document.querySelectorAll("[data-testid='pg-metric']")].map(
    (m) => `${m.dataset.label}: ${m.querySelector(".pg-value")?.textContent ?? ""}`,
  );
}

// Lines of text wrapped to `width` pixels.
function wrap(ctx, text, width) {
  const lines = [];
  let line = "";
  for (const word of text.split(" ")) {
    const next = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(next).width > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

async function composite(spec) {
  const Plotly = window.Plotly;
  if (!Plotly) throw new Error("the charts are not drawn yet");
  const canvas = document.createElement("canvas");
  canvas.width = EXPORT_W;
  canvas.height = EXPORT_H;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, EXPORT_W, EXPORT_H);
  ctx.fillStyle = "#000000";
  ctx.textBaseline = "top";
  const pad = 24;
  ctx.font = "bold 30px Arial, Helvetica, sans-serif";
  ctx.fillText(spec.title ?? "Playground", pad, pad);
  ctx.font = "22px Arial, Helvetica, sans-serif";
  let y = pad + 44;
  for (const line of wrap(ctx, numbers().join("   ·   "), EXPORT_W - 2 * pad)) {
    ctx.fillText(line, pad, y);
    y += 28;
  }
  ctx.font = "18px Arial, Helvetica, sans-serif";
  ctx.fillStyle = "#333333";
  for (const line of wrap(ctx, (spec.config ?? []).join("   ·   "), EXPORT_W - 2 * pad)) {
    ctx.fillText(line, pad, y);
    y += 24;
  }
  const top = y + 12;
  const cellW = Math.floor((EXPORT_W - 3 * pad) / 2);
  const cellH = Math.floor((EXPORT_H - top - 2 * pad) / 2);
  const heights = [cellH + 70, cellH + 70, cellH - 70, cellH - 70]; // the map larger
  let at = top;
  for (let i = 0; i < CHARTS.length; i++) {
    const div = document.querySelector(`[data-live-chart-key='${CHARTS[i]}']`);
    const x = pad + (i % 2) * (cellW + pad);
    if (i === 2) at = top + heights[0] + pad;
    if (!div || !div._fullLayout) continue;
    const name = spec.names?.[CHARTS[i]];
    ctx.fillStyle = "#000000";
    ctx.font = "bold 20px Arial, Helvetica, sans-serif";
    if (name) ctx.fillText(name, x, at);
    const h = heights[i] - 28;
    const url = await Plotly.toImage(div, { format: "png", width: cellW, height: h });
    ctx.drawImage(await loadImage(url), x, at + 28);
  }
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

async function download(spec, button) {
  button.disabled = true;
  try {
    const blob = await composite(spec);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = spec.filename ?? "playground.png";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    STATE.exports += 1;
  } catch (error) {
    console.warn("classroom export", error);
    button.textContent = `Could not export: ${error.message ?? error}`;
  } finally {
    button.disabled = false;
  }
}

function exportButton(parentElement, spec) {
  let box = parentElement.querySelector(".pg-export");
  if (!spec) {
    box?.remove();
    return;
  }
  if (!box) {
    box = document.createElement("div");
    box.className = "pg-export";
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Download the view as PNG (for slides)";
    box.appendChild(button);
    parentElement.appendChild(box);
  }
  const button = box.querySelector("button");
  button.onclick = () => download(spec, button);
}

function parse(data) {
  if (data instanceof Uint8Array) return JSON.parse(new TextDecoder().decode(data));
  return typeof data === "string" ? JSON.parse(data) : data;
}

export function setup(component) {
  const msg = parse(component.data);
  STATE.shortcuts = msg.shortcuts ?? [];
  STATE.buttons = msg.buttons ?? {};
  if (!STATE.listening) {
    window.addEventListener("keydown", onKey);
    STATE.listening = true;
  }
  watchCharts();
  nameCharts();
  exportButton(component.parentElement, msg.export);
  return () => {
    if (!component.parentElement.isConnected) STATE.shortcuts = [];
  };
}
