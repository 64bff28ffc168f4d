// Autosave: every 30 seconds, when the text changed, the form's text goes to the server (not
// a revision; the server offers it back when the article is opened). A "desk:autosave" event
// on the document saves at once (lock.js sends one when a colleague takes over).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const form = document.getElementById("article_form");
  const panel = document.getElementById("publish-panel");
  if (!form || !panel || !panel.dataset.autosaveUrl) return;
  const status = document.getElementById("autosave-status");
  const names = ["title", "slug", "dek", "body", "dateline", "hero_alt", "hero_caption",
    "hero_credit", "tags", "change_note"];
  const seconds = Number(panel.dataset.autosaveSeconds) || 30;

  function values() {
    const data = {};
    for (const name of names) {
      const field = form.elements.namedItem(name);
      if (field && "value" in field) data[name] = field.value;
    }
    return data;
  }

  let last = JSON.stringify(values()); // what the page opened with is already saved
  let sending = false;

  async function save() {
    const now = values();
    const text = JSON.stringify(now);
    if (text === last || sending) return;
    sending = true;
    const body = new FormData();
    for (const [name, value] of Object.entries(now)) body.append(name, value);
    body.append("csrfmiddlewaretoken", form.elements.namedItem("csrfmiddlewaretoken").value);
    try {
      const response = await fetch(panel.dataset.autosaveUrl, {
        method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(response.status);
      last = text;
      if (status) status.textContent = "Autosaved at " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".";
    } catch (error) {
      if (status) status.textContent = "Autosave failed; your text is still here. Save to keep it.";
    } finally {
      sending = false;
    }
  }

  setInterval(save, seconds * 1000);
  document.addEventListener("desk:autosave", save);
});
