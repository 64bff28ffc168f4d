// Nothing typed is lost: warn before leaving a changed form, and keep a copy of the
// text in this browser so that it can be restored after an expired session or a crash.
let proseEditor = null;
let onEditorUpdate = function () {};
document.addEventListener("prose-editor:ready", function (event) {
  proseEditor = event.detail.editor;
  proseEditor.on("update", function () {
    onEditorUpdate();
  });
});

document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const prefix = "newsroom-unsaved:";
  // After a successful save the kept copies of submitted forms are no longer needed.
  if (document.querySelector(".messagelist .success")) {
    for (const name of Object.keys(localStorage)) {
      if (name.startsWith(prefix) && (JSON.parse(localStorage.getItem(name)) || {}).submitted) {
        localStorage.removeItem(name);
      }
    }
  }
  const form = document.getElementById("article_form");
  if (!form) return;
  const key = prefix + location.pathname;
  onEditorUpdate = remember;
  const fields = ["title", "dek", "body", "hero_alt", "hero_caption", "change_note"];
  let dirty = false;
  let submitting = false;

  function values() {
    const copy = {};
    for (const name of fields) {
      const field = form.elements.namedItem(name);
      if (field && "value" in field) copy[name] = field.value;
    }
    return copy;
  }

  function remember(submitted) {
    dirty = true;
    try {
      const copy = { at: Date.now(), values: values(), submitted: submitted === true };
      localStorage.setItem(key, JSON.stringify(copy));
    } catch (error) {
      // Storage full or disabled: the leave-page warning still protects the text.
    }
  }

  function offerRestore() {
    let saved;
    try {
      saved = JSON.parse(localStorage.getItem(key) || "null");
    } catch (error) {
      saved = null;
    }
    if (!saved || !saved.values) return;
    const current = values();
    const differs = fields.some((name) => name in saved.values && saved.values[name] !== current[name]);
    if (!differs) return;
    const notice = document.createElement("div");
    notice.className = "unsaved-notice";
    notice.setAttribute("role", "status");
    const when = new Date(saved.at).toLocaleString();
    notice.textContent = "This browser kept text you typed here on " + when + " that was never saved. ";
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button";
    restore.textContent = "Put it back in the form";
    restore.addEventListener("click", function () {
      for (const [name, value] of Object.entries(saved.values)) {
        const field = form.elements.namedItem(name);
        if (name === "body" && proseEditor) {
          proseEditor.commands.setContent(value);
        } else if (field) {
          field.value = value;
        }
      }
      notice.textContent = "Restored. Check the text, then save.";
      dirty = true;
    });
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button";
    discard.textContent = "Discard it";
    discard.addEventListener("click", function () {
      localStorage.removeItem(key);
      notice.remove();
    });
    notice.append(restore, " ", discard);
    form.prepend(notice);
  }

  form.addEventListener("input", remember);
  form.addEventListener("change", remember);
  form.addEventListener("submit", function () {
    submitting = true;
    remember(true); // kept until a success message shows that the save went through
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  offerRestore();
});
