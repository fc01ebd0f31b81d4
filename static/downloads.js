// Browser half of ui/web/downloads.py: download buttons whose file comes in the component's data.
//
// A click gives the button a new id and raises the "request" trigger with every file the page
// still waits for, {kinds: {kind: id}}, which reruns the page; the run sends the files,
// [{click, kind, name, mime, text}], and this saves a file from memory (a Blob) only if its
// button still waits for that id: once per click, and never after a reload (nothing waits).
// Clicks faster than the server's runs are not lost: the newest trigger names them all. A
// button waiting longer than RETRY_MS asks again with the same id (its file can be lost on the
// way), then after twice as long, and so on (a request for a whole run interrupts a run of the
// page in progress: a server slower than RETRY_MS must get time to finish one); after WAIT_MS
// it gives up and can be clicked again.
//
// A waiting button stays focusable (aria-disabled, not disabled: a keyboard user keeps their
// place) and says so (aria-busy; its label is kept); a click on it does nothing.
//
// Streamlit calls `setup` whenever the component's data change.

const RETRY_MS = 5_000;
const WAIT_MS = 30_000;
// saved: files saved, for tests. waiting: kind -> {id, since}. ask: the trigger of the latest
// mount. The page keeps one state: the component may be mounted anew.
const STATE = (window.__pgDownloads ??= { saved: 0, waiting: new Map(), ask: null, timer: 0 });

function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(8)); // randomUUID needs https
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function save(file) {
  const blob = new Blob([String(file.text ?? "")], { type: file.mime || "text/plain" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = file.name || "download.txt";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  STATE.saved += 1;
}

function parse(data) {
  if (data instanceof Uint8Array) return JSON.parse(new TextDecoder().decode(data));
  return typeof data === "string" ? JSON.parse(data) : data;
}

function ask() {
  const kinds = Object.fromEntries([...STATE.waiting].map(([kind, w]) => [kind, w.id]));
  STATE.ask?.("request", { kinds, at: Date.now() });
}

/** Every second while something waits: ask again after RETRY_MS, 2 RETRY_MS, 4 RETRY_MS...
 * (from the last time it asked), give up after WAIT_MS. */
function watch() {
  clearTimeout(STATE.timer);
  if (STATE.waiting.size === 0) return;
  STATE.timer = setTimeout(() => {
    const now = Date.now();
    let again = false;
    for (const [kind, w] of STATE.waiting) {
      if (now - w.since > WAIT_MS) STATE.waiting.delete(kind);
      else if (now - w.asked > RETRY_MS * 2 ** w.retries) again = true;
    }
    if (again) {
      for (const w of STATE.waiting.values()) {
        if (now - w.asked > RETRY_MS * 2 ** w.retries) w.retries += 1;
        w.asked = now;
      }
      ask();
    }
    showBusy();
    watch();
  }, 1_000);
}

function showBusy() {
  for (const button of document.querySelectorAll(".pg-downloads button")) {
    const busy = STATE.waiting.has(button.dataset.kind);
    button.toggleAttribute("aria-busy", busy);
    if (busy) button.setAttribute("aria-disabled", "true");
    else button.removeAttribute("aria-disabled");
  }
}

function drawButtons(parentElement, specs) {
  let box = parentElement.querySelector(".pg-downloads");
  const labels = specs.map((s) => `${s.kind}:${s.label}`).join("|");
  if (!box || box.dataset.labels !== labels) {
    box?.remove();
    box = document.createElement("div");
    box.className = "pg-export pg-downloads";
    box.dataset.labels = labels;
    for (const spec of specs) {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.kind = spec.kind;
      button.textContent = spec.label;
      button.onclick = () => {
        if (STATE.waiting.has(spec.kind)) return; // its file is on its way
        const now = Date.now();
        STATE.waiting.set(spec.kind, { id: newId(), since: now, asked: now, retries: 0 });
        showBusy();
        ask();
        watch();
      };
      box.appendChild(button);
    }
    parentElement.appendChild(box);
  }
}

export function setup(component) {
  const msg = parse(component.data);
  STATE.ask = component.setTriggerValue;
  drawButtons(component.parentElement, Array.isArray(msg.buttons) ? msg.buttons : []);
  for (const file of Array.isArray(msg.files) ? msg.files : []) {
    const w = STATE.waiting.get(file?.kind);
    if (w === undefined || w.id !== file.click) continue; // not asked for, or saved already
    STATE.waiting.delete(file.kind);
    save(file);
  }
  showBusy();
  watch();
}
