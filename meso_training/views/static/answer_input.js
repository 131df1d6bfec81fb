// The inputs of one question, drawn with the browser's own form controls.
//
// Why native controls: a <label for> makes the whole option text the click target of its
// radio button or tick box, and text of any length wraps inside its own row, so a click on
// an option's words can only ever choose that option. Fieldsets and legends name each
// group for screen readers; Tab, Space and Enter work as in any web form.
//
// The kernel sends option texts and opaque keys only ("o1", "o2", ...): never which
// option is right. After an answer is graded in practice it sends per-row marks.
// `data-lm-suppress-shortcuts` keeps JupyterLab's command-mode keys (arrows, letters)
// away from these controls.

let counter = 0;
const uid = () => `meso-${Math.random().toString(36).slice(2, 8)}-${++counter}`;
const MARKS = { right: ["✓", "right"], wrong: ["✗", "wrong"] };

// A change goes to the kernel as a message of its own, sent at once, not through the
// widget's synced state: ipywidgets holds back a model's later state changes until the kernel
// has answered the last one, but sends a button's click at once, so on a busy kernel a
// Submit could overtake the last ticks and the kernel grade an older answer. Messages are
// delivered in the order they are sent; the kernel sets its value without echoing it back.
function choose(model, value) {
  model.set("value", value);
  model.send({ event: "value", value });
}

function element(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("aria-") || key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children);
  return node;
}

function mark(kind) {
  if (!MARKS[kind]) return [];
  const [icon, words] = MARKS[kind];
  return [element("span", { className: `meso-mark meso-mark-${kind}` }, [
    element("span", { text: icon, "aria-hidden": "true" }), element("span", { text: ` ${words}` }),
  ])];
}

function choice(type, name, key, text, checked, disabled, onChange) {
  const input = element("input", { type, name, id: uid(), value: key, checked, disabled });
  input.addEventListener("change", onChange);
  const label = element("label", { htmlFor: input.id, text });
  return { input, label };
}

function drawChoices(model, root, many) {
  const value = model.get("value");
  const chosen = new Set(many ? value || [] : value == null ? [] : [value]);
  const marks = model.get("marks");
  const name = uid();
  const fieldset = element("fieldset", { className: "meso-choices" }, [
    element("legend", { text: model.get("legend") }),
  ]);
  for (const option of model.get("options")) {
    const { input, label } = choice(many ? "checkbox" : "radio", name, option.key, option.text,
      chosen.has(option.key), model.get("disabled"), () => {
        const boxes = [...fieldset.querySelectorAll("input")];
        choose(model, many ? boxes.filter((b) => b.checked).map((b) => b.value)
          : boxes.find((b) => b.checked)?.value ?? null);
      });
    input.dataset.key = option.key;
    fieldset.append(element("div", { className: "meso-option meso-choice", "data-key": option.key },
      [input, label, ...mark(marks[option.key])]));
  }
  root.append(fieldset);
}

function drawMatching(model, root) {
  const value = model.get("value") || {};
  const marks = model.get("marks");
  const outer = element("fieldset", { className: "meso-matching" }, [
    element("legend", { text: model.get("legend") }),
  ]);
  for (const item of model.get("options")) {
    const name = uid();
    const row = element("fieldset", { className: "meso-match", "data-key": item.key }, [
      element("legend", { className: "meso-match-item" }, [item.text, ...mark(marks[item.key])]),
    ]);
    const choices = element("div", { className: "meso-match-options" });
    for (const category of model.get("categories")) {
      const { input, label } = choice("radio", name, category.key, category.text,
        value[item.key] === category.key, model.get("disabled"), () => {
          choose(model, { ...(model.get("value") || {}), [item.key]: category.key });
        });
      input.dataset.item = item.key;
      choices.append(element("div", { className: "meso-choice" }, [input, label]));
    }
    row.append(choices);
    outer.append(row);
  }
  root.append(outer);
}

function drawOrdering(model, root, focus) {
  const texts = Object.fromEntries(model.get("options").map((o) => [o.key, o.text]));
  const order = model.get("value") || [];
  const marks = model.get("marks");
  const list = element("ol", { className: "meso-ordering", "aria-label": model.get("legend") });
  order.forEach((key, index) => {
    const move = (delta) => {
      const next = [...order];
      [next[index], next[index + delta]] = [next[index + delta], next[index]];
      choose(model, next);
      // Keep the focus on the step that moved, so pressing Enter again moves it further.
      pendingFocus.set(model, { key, direction: delta < 0 ? "up" : "down" });
    };
    const disabled = model.get("disabled");
    const up = element("button", { type: "button", className: "meso-up", text: "↑ Up", disabled: disabled || index === 0,
      "aria-label": `Move up: ${texts[key]}` });
    const down = element("button", { type: "button", className: "meso-down", text: "↓ Down",
      disabled: disabled || index === order.length - 1, "aria-label": `Move down: ${texts[key]}` });
    up.addEventListener("click", () => move(-1));
    down.addEventListener("click", () => move(+1));
    const row = element("li", { className: "meso-order-row", "data-key": key }, [
      element("span", { className: "meso-step-number", text: `${index + 1}.` }), up, down,
      element("span", { className: "meso-step-text", text: texts[key] }), ...mark(marks[key]),
    ]);
    list.append(row);
    if (focus && focus.key === key) {
      const target = focus.direction === "up" && !up.disabled ? up : !down.disabled ? down : up;
      queueMicrotask(() => target.focus());
    }
  });
  root.append(list);
}

function drawEntry(model, root, numeric) {
  const input = element("input", { type: "text", id: uid(), value: model.get("value") ?? "",
    disabled: model.get("disabled"), autocomplete: "off", spellcheck: !numeric,
    placeholder: model.get("placeholder") });
  if (numeric) input.inputMode = "decimal";
  const label = element("label", { htmlFor: input.id, text: model.get("legend") });
  const save = () => {
    if (model.get("value") !== input.value) {
      choose(model, input.value);
    }
  };
  input.addEventListener("change", save);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      save();
      model.send({ event: "submit" });
    }
  });
  const parts = [label, input];
  if (model.get("unit")) parts.push(element("span", { className: "meso-unit", text: model.get("unit") }));
  root.append(element("div", { className: "meso-entry" }, parts));
}

const pendingFocus = new WeakMap();
const GROUP_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End"]);

// JupyterLab's notebook moves between cells on the arrow keys, even from a radio button
// (data-lm-suppress-shortcuts is not enough there). One listener on the window, in the
// capture phase, runs before the notebook's and keeps those keys for the radio group: the
// browser's own action (move the choice) still happens.
function guardGroupKeys() {
  if (window.__mesoTrainingKeyGuard) return;
  window.__mesoTrainingKeyGuard = true;
  window.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.type === "radio" && GROUP_KEYS.has(event.key)
        && target.closest(".meso-input")) {
      event.stopPropagation();
    }
  }, true);
}

function render({ model, el }) {
  guardGroupKeys();
  el.classList.add("meso-input", `meso-${model.get("kind")}`);
  el.setAttribute("data-lm-suppress-shortcuts", "true");
  const draw = () => {
    const kind = model.get("kind");
    const focused = el.contains(document.activeElement) ? document.activeElement : null;
    const focusKey = focused?.dataset?.key;
    const focus = pendingFocus.get(model);
    pendingFocus.delete(model);
    el.replaceChildren();
    if (kind === "single" || kind === "multiple") drawChoices(model, el, kind === "multiple");
    else if (kind === "matching") drawMatching(model, el);
    else if (kind === "ordering") drawOrdering(model, el, focus);
    else drawEntry(model, el, kind === "number");
    if (focusKey && !focus) el.querySelector(`input[data-key="${CSS.escape(focusKey)}"]`)?.focus();
  };
  draw();
  const redraw = () => {
    const kind = model.get("kind");
    const value = model.get("value");
    if (kind === "single" || kind === "multiple") {
      // A click already set its own input; keep the drawn controls (and the focus) and only tick.
      const chosen = new Set(kind === "multiple" ? value || [] : value == null ? [] : [value]);
      for (const input of el.querySelectorAll("input")) input.checked = chosen.has(input.value);
    } else if (kind === "matching") {
      for (const input of el.querySelectorAll("input")) input.checked = (value || {})[input.dataset.item] === input.value;
    } else if (kind === "ordering") {
      draw();
    } else {
      // Typing into a field must not redraw it under the cursor; only a value set by the kernel does.
      const input = el.querySelector("input");
      if (input && input.value !== (value ?? "")) input.value = value ?? "";
    }
  };
  model.on("change:value", redraw);
  for (const name of ["options", "categories", "marks", "disabled", "legend"]) model.on(`change:${name}`, draw);
  return () => {
    model.off("change:value", redraw);
    for (const name of ["options", "categories", "marks", "disabled", "legend"]) model.off(`change:${name}`, draw);
  };
}

export default { render };
