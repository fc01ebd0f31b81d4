// Browser half of ui/web/downloads.py: download buttons whose file comes in the component's data.
//
// A click raises the "request" trigger ({kind}), which reruns the page; the run sends the file,
// {token, kind, name, mime, text}, and this saves it from memory (a Blob), once: the tab
// remembers the tokens it saved (sessionStorage, so a reload does not save it again). The
// button waits, disabled, until its file comes, at most WAIT_MS.
//
// Streamlit calls `setup` whenever the component's data change.

const SAVED_KEY = "pg-downloads-saved";
const WAIT_MS = 20_000;
const STATE = (window.__pgDownloads ??= { saved: 0, tokens: new Set() }); // saved: for tests

function savedTokens() {
  try {
    const list = JSON.parse(sessionStorage.getItem(SAVED_KEY) ?? "[]");
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function remember(token) {
  STATE.tokens.add(token);
  try {
    sessionStorage.setItem(SAVED_KEY, JSON.stringify([...savedTokens(), token].slice(-20)));
  } catch {
    // storage refused (private mode, full): the file is still saved once per page
  }
}

function save(file) {
  const blob = new Blob([file.text], { type: file.mime || "text/plain" });
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

function ready(button) {
  clearTimeout(button._pgWait);
  button.disabled = false;
  button.removeAttribute("aria-busy");
}

function drawButtons(parentElement, specs, setTriggerValue) {
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
      box.appendChild(button);
    }
    parentElement.appendChild(box);
  }
  for (const button of box.querySelectorAll("button")) {
    button.onclick = () => {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      button._pgWait = setTimeout(() => ready(button), WAIT_MS);
      setTriggerValue("request", { kind: button.dataset.kind, at: Date.now() });
    };
  }
  return box;
}

export function setup(component) {
  const msg = parse(component.data);
  const box = drawButtons(component.parentElement, msg.buttons ?? [], component.setTriggerValue);
  const file = msg.file;
  if (file && typeof file.token === "string") {
    const button = [...box.querySelectorAll("button")].find((b) => b.dataset.kind === file.kind);
    if (button) ready(button);
    if (!STATE.tokens.has(file.token) && !savedTokens().includes(file.token)) {
      remember(file.token);
      save(file);
    }
  }
}
