// The comment queue without reloads: the row buttons post with fetch and update their row;
// keys j/k move, a/s/d approve/spam/trash, r replies, u undoes. Without this file every
// button is a plain form post that comes back to the queue.
"use strict";
// Loaded in the head (the admin's Media): start once the rows exist.
document.addEventListener("DOMContentLoaded", function () {
  const form = document.getElementById("changelist-form");
  const undoBar = document.getElementById("queue-undo");
  if (!form || !undoBar) return;
  const rows = Array.from(form.querySelectorAll("#result_list tbody tr"))
    .filter((row) => row.querySelector(".queue-actions"));
  const undoText = undoBar.querySelector(".queue-undo-text");
  const undoButton = undoBar.querySelector(".queue-undo-button");
  const keys = { a: "approve", s: "spam", d: "trash" };
  let selected = -1;

  function token() {
    return form.querySelector("input[name=csrfmiddlewaretoken]").value;
  }

  function select(index) {
    if (!rows.length) return;
    index = Math.max(0, Math.min(rows.length - 1, index));
    if (selected >= 0) rows[selected].classList.remove("queue-selected");
    selected = index;
    const row = rows[selected];
    row.classList.add("queue-selected");
    row.scrollIntoView({ block: "nearest" });
  }

  function rowOf(id) {
    return rows.find((row) => row.querySelector(`.queue-actions[data-comment="${id}"]`));
  }

  function show(row, data) {
    if (!row || !data.status) return;
    const cell = row.querySelector(".queue-status");
    cell.textContent = data.status_label;
    cell.className = `queue-status status-${data.status}`;
    row.dataset.status = data.status;
    const current = { approved: "approve", spam: "spam", removed: "trash" }[data.status];
    row.querySelectorAll("button[data-action]").forEach((button) => {
      if (button.dataset.action in { approve: 1, spam: 1, trash: 1 }) {
        button.disabled = button.dataset.action === current;
      }
    });
  }

  function say(message, canUndo) {
    undoText.textContent = message;
    undoButton.hidden = !canUndo;
    undoBar.hidden = false;
  }

  async function send(url, fields) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token());
    for (const [name, value] of Object.entries(fields || {})) body.append(name, value);
    const response = await fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token() },
    });
    let data = {};
    try {
      data = await response.json();
    } catch {
      data = { ok: false, message: "The server did not answer; reload the page to try again." };
    }
    return data;
  }

  async function act(button) {
    const row = button.closest("tr");
    const action = button.dataset.action;
    const fields = {};
    if (action === "reply") {
      const box = row.querySelector("textarea");
      fields[box.name] = box.value;
    }
    // The next row at once, so that a fast a-a-a moderates row after row.
    if (action !== "reply" && rows.indexOf(row) === selected) select(selected + 1);
    button.disabled = true;
    const data = await send(button.formAction, fields);
    button.disabled = false;
    show(row, data);
    if (action === "reply" && data.ok) {
      const box = row.querySelector("textarea");
      box.value = "";
      row.querySelector("details").open = false;
      row.classList.add("queue-replied");
    }
    say(data.message, data.ok && action !== "reply");
  }

  async function undo() {
    const data = await send(undoButton.formAction);
    show(rowOf(data.id), data);
    say(data.message, false);
    const row = rowOf(data.id);
    if (row) select(rows.indexOf(row));
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action], .queue-undo-button");
    if (!button) return;
    event.preventDefault();
    if (button.classList.contains("queue-undo-button")) undo();
    else act(button);
  });

  form.addEventListener("keydown", (event) => {
    // Ctrl+Enter in a reply box sends it; Escape closes it.
    const box = event.target.closest(".queue-reply textarea");
    if (!box) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      act(box.closest("details").querySelector("button[data-action=reply]"));
    } else if (event.key === "Escape") {
      box.closest("details").open = false;
      box.blur();
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const key = event.key.toLowerCase();
    if (key === "j") select(selected + 1);
    else if (key === "k") select(selected - 1);
    else if (key === "u") {
      if (!undoButton.hidden && !undoBar.hidden) undo();
    } else if (selected >= 0 && key in keys) {
      const button = rows[selected].querySelector(`button[data-action=${keys[key]}]`);
      if (button && !button.disabled) act(button);
    } else if (selected >= 0 && key === "r") {
      const details = rows[selected].querySelector("details");
      details.open = true;
      details.querySelector("textarea").focus();
    } else return;
    event.preventDefault();
  });

  select(0);
});
