// Suggest existing tags for the comma-separated tags field, using a native <datalist>:
// each suggestion is the text typed so far with the last term completed.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const input = document.querySelector("input[data-suggest-url]");
  if (!input) return;
  const list = document.createElement("datalist");
  list.id = input.id + "-suggestions";
  input.after(list);
  input.setAttribute("list", list.id);
  let timer = null;

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });

  async function suggest() {
    const parts = input.value.split(",");
    const term = parts.pop().trim();
    const chosen = parts.map((part) => part.trim().toLowerCase()).filter(Boolean);
    list.replaceChildren();
    if (!term) return;
    const url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(term);
    let tags;
    try {
      const response = await fetch(url, { credentials: "same-origin", redirect: "error" });
      if (!response.ok) return;
      ({ tags } = await response.json());
    } catch (error) {
      return; // offline or logged out: typing still works, just without suggestions
    }
    const prefix = parts.length ? parts.join(",").trim() + ", " : "";
    for (const name of tags) {
      if (chosen.includes(name.toLowerCase())) continue;
      const option = document.createElement("option");
      option.value = prefix + name;
      list.append(option);
    }
  }
});
