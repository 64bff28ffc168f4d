// Editing locks: while this page is open it tells the server every 30 seconds (a heartbeat);
// closing the tab lets go at once. If a colleague takes over, say so, keep the text in the
// form and autosave it. A "desk:heartbeat" event on the document beats at once.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const form = document.getElementById("article_form");
  const panel = document.getElementById("publish-panel");
  const url = panel && panel.dataset.lockUrl;
  if (!form || !url) return;
  const token = form.elements.namedItem("csrfmiddlewaretoken").value;
  const held = document.getElementById("desk-lock");
  const lost = document.getElementById("desk-lock-lost");
  const seconds = Number(panel.dataset.heartbeatSeconds) || 30;
  let mine = !held;

  function post(action) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    body.append("action", action);
    return body;
  }

  async function beat() {
    let state;
    try {
      const response = await fetch(url, {
        method: "POST", body: post("heartbeat"), credentials: "same-origin", headers: { Accept: "application/json" },
      });
      if (!response.ok) return;
      state = await response.json();
    } catch (error) {
      return; // offline for a moment: the next beat tries again
    }
    if (mine && !state.mine) {
      lost.textContent = state.holder + " took over this article (editing since " + state.since + "). " +
        "Your text stays in this form and has been autosaved; a save from here would be refused. " +
        "Copy what you need, then reload to see their version.";
      lost.hidden = false;
      document.dispatchEvent(new Event("desk:autosave"));
    } else if (!mine && state.mine) {
      if (held) held.hidden = true;
      lost.textContent = "The article is free again: you are editing it now. If it was saved meanwhile, " +
        "your save will be refused with a link to the newer version.";
      lost.hidden = false;
    } else if (!mine && held) {
      const line = held.querySelector("strong");
      if (line) line.textContent = state.message;
    }
    mine = state.mine;
  }

  setInterval(beat, seconds * 1000);
  setTimeout(beat, 2000); // after a save, the page we left may have let go just now
  document.addEventListener("desk:heartbeat", beat);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") beat();
  });
  window.addEventListener("pagehide", function () {
    if (mine) navigator.sendBeacon(url, post("release"));
  });
});
