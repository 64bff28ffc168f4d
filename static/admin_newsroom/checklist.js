// Re-check the pre-publish checklist as the article form is edited. The server checks
// again on publish; this only saves a round trip. Sources and links stay as last saved.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const form = document.getElementById("article_form");
  const list = document.getElementById("publish-checklist");
  if (!form || !list) return;
  const field = (name) => form.elements.namedItem(name);
  const value = (name) => ((field(name) && field(name).value) || "").trim();

  function heroPresent() {
    const upload = field("hero_image");
    const clear = field("hero_image-clear");
    const current = form.querySelector(".field-hero_image .file-upload a");
    const uploading = upload && upload.files && upload.files.length > 0;
    // Or one chosen from the media library (the server lends it the library's alt text).
    return uploading || value("hero") !== "" || (Boolean(current) && !(clear && clear.checked));
  }

  function bodyImagesWithoutAlt() {
    // DOMParser builds an inert document: nothing in it loads or runs.
    const doc = new DOMParser().parseFromString(value("body"), "text/html");
    return [...doc.querySelectorAll("img")].filter((img) => !(img.getAttribute("alt") || "").trim()).length;
  }

  function bylineCount() {
    return [...form.querySelectorAll("select[name^='bylines-'][name$='-author']")].filter((select) => {
      if (select.name.includes("__prefix__") || !select.value) return false;
      const remove = field(select.name.replace(/-author$/, "-DELETE"));
      return !(remove && remove.checked);
    }).length;
  }

  const checks = {
    headline: () => {
      const length = value("title").length;
      return [length >= 10 && length <= 110, "now " + length];
    },
    dek: () => [value("dek") !== "", ""],
    section: () => [value("section") !== "", ""],
    hero: () => {
      const decorative = field("hero_is_decorative");
      return [heroPresent() && (value("hero_alt") !== "" || Boolean(decorative && decorative.checked)), ""];
    },
    body_images: () => {
      const missing = bodyImagesWithoutAlt();
      return [missing === 0, missing ? missing + " without" : ""];
    },
    bylines: () => [bylineCount() > 0, ""],
  };

  function show(item, ok, detail) {
    const blocking = item.dataset.blocking === "1";
    item.className = ok ? "check-ok" : blocking ? "check-fail" : "check-warn";
    item.querySelector(".check-mark").textContent = ok ? "✓" : blocking ? "✗" : "!";
    item.querySelector(".visually-hidden").textContent = ok ? "done" : blocking ? "required" : "warning";
    let note = item.querySelector(".check-detail");
    if (detail && !note) {
      note = document.createElement("span");
      note.className = "check-detail";
      item.querySelector(".visually-hidden").before(" ", note);
    }
    if (note) note.textContent = detail ? "(" + detail + ")" : "";
  }

  function update() {
    for (const item of list.querySelectorAll("[data-check]")) {
      const check = checks[item.dataset.check];
      if (check) show(item, ...check());
    }
  }

  let timer = null;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(update, 200); // after the editor has copied its text to the textarea
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  update();
});
