// The media library in the admin.
// On an image's page: a click on the picture sets the focal point (the number fields work
// without JavaScript). On the article form: the body editor gets an Image button (upload or
// choose from the library), and an image file dropped or pasted into it is uploaded to the
// library and inserted as a reference (<img data-file="id">) the site renders responsively.
"use strict";

(function () {
  // Focal point ------------------------------------------------------------------------
  function initFocalPicker(picker) {
    const image = picker.querySelector("img");
    const marker = picker.querySelector(".focal-marker");
    const xInput = document.getElementById("id_focal_x");
    const yInput = document.getElementById("id_focal_y");
    if (!image || !marker || !xInput || !yInput) return;
    const place = () => {
      marker.style.left = `${(parseFloat(xInput.value) || 0) * 100}%`;
      marker.style.top = `${(parseFloat(yInput.value) || 0) * 100}%`;
    };
    image.addEventListener("click", (event) => {
      const box = image.getBoundingClientRect();
      const clamp = (value) => Math.min(1, Math.max(0, value));
      xInput.value = clamp((event.clientX - box.left) / box.width).toFixed(3);
      yInput.value = clamp((event.clientY - box.top) / box.height).toFixed(3);
      xInput.dispatchEvent(new Event("change", { bubbles: true }));
      place();
    });
    xInput.addEventListener("input", place);
    yInput.addEventListener("input", place);
    picker.classList.add("is-active");
    place();
  }

  // Body editor --------------------------------------------------------------------------
  function endpoint(name) {
    const at = location.pathname.indexOf("/articles/article/");
    return at < 0 ? null : `${location.pathname.slice(0, at)}/articles/image/${name}/`;
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function element(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) node.append(child);
    return node;
  }

  function field(id, label, input) {
    input.id = id;
    return element("p", {}, [element("label", { for: id, text: label }), input]);
  }

  function insertFigure(editor, image, position) {
    const content = [
      { type: "image", attrs: { src: image.url, alt: image.is_decorative ? "" : image.alt, file: String(image.id) } },
    ];
    if (image.caption) content.push({ type: "caption", content: [{ type: "text", text: image.caption }] });
    const figure = { type: "figure", content };
    const chain = editor.chain().focus();
    (position == null ? chain.insertContent(figure) : chain.insertContentAt(position, figure)).run();
  }

  async function upload(file, details) {
    const data = new FormData();
    data.append("file", file);
    for (const [key, value] of Object.entries(details)) data.append(key, value);
    const response = await fetch(endpoint("upload"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    });
    const answer = await response.json().catch(() => ({ error: "The upload failed; try again." }));
    if (!response.ok) throw new Error(answer.error || "The upload failed; try again.");
    return answer;
  }

  // One dialog per editor: describe files being uploaded, or pick from the library.
  function makeDialog(editor) {
    const dialog = element("dialog", { class: "media-dialog", "aria-labelledby": "media-dialog-title" });
    const title = element("h2", { id: "media-dialog-title", text: "Insert an image" });
    const fileInput = element("input", { type: "file", accept: "image/jpeg,image/png,image/webp,image/gif" });
    const fileName = element("p", { class: "media-file-name" });
    const alt = element("textarea", { rows: "2" });
    const decorative = element("input", { type: "checkbox" });
    const caption = element("input", { type: "text", maxlength: "500" });
    const credit = element("input", { type: "text", maxlength: "200" });
    const status = element("p", { class: "media-status", role: "status" });
    const insert = element("button", { type: "button", class: "default", text: "Upload and insert" });
    const cancel = element("button", { type: "button", text: "Cancel" });
    const search = element("input", { type: "search", placeholder: "alt text, caption, credit, file name" });
    const results = element("ul", { class: "media-results" });
    const uploadPart = element("div", { class: "media-upload" }, [
      field("media-file", "Image file", fileInput),
      fileName,
      field("media-alt", "Alt text (what the image shows)", alt),
      element("p", {}, [decorative, element("label", { for: "media-decorative", text: " Decorative (needs no alt text)" })]),
      field("media-caption", "Caption", caption),
      field("media-credit", "Credit", credit),
    ]);
    decorative.id = "media-decorative";
    const libraryPart = element("div", { class: "media-library" }, [
      element("h3", { text: "Or choose from the library" }),
      field("media-search", "Search", search),
      results,
    ]);
    dialog.append(title, uploadPart, status, element("p", { class: "media-actions" }, [insert, cancel]), libraryPart);
    document.body.append(dialog);

    let pending = [];
    let position = null;

    function open(files, at) {
      pending = files;
      position = at;
      alt.value = caption.value = credit.value = "";
      decorative.checked = false;
      status.textContent = "";
      fileInput.value = "";
      fileInput.closest("p").hidden = files.length > 0;
      fileName.textContent = files.map((f) => f.name || "pasted image").join(", ");
      libraryPart.hidden = files.length > 0;
      if (!files.length) loadLibrary("");
      dialog.showModal();
      (files.length ? alt : fileInput).focus();
    }

    async function loadLibrary(query) {
      const url = `${endpoint("library")}?q=${encodeURIComponent(query)}`;
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const { results: images } = await response.json();
      results.replaceChildren(
        ...images.map((image) => {
          const button = element("button", { type: "button", class: "media-choice" }, [
            element("img", { src: image.thumbnail, alt: "", width: "96", loading: "lazy" }),
            element("span", { text: image.alt || image.caption || "(no description)" }),
          ]);
          button.addEventListener("click", () => {
            dialog.close();
            insertFigure(editor, image, position);
          });
          return element("li", {}, [button]);
        }),
      );
      if (!images.length) results.append(element("li", { text: "No image matches." }));
    }

    let timer = null;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => loadLibrary(search.value), 250);
    });
    fileInput.addEventListener("change", () => {
      pending = Array.from(fileInput.files);
    });
    cancel.addEventListener("click", () => dialog.close());
    insert.addEventListener("click", async () => {
      if (!pending.length) {
        status.textContent = "Choose an image file, or pick one from the library.";
        return;
      }
      if (!alt.value.trim() && !decorative.checked) {
        status.textContent = "Describe the image, or mark it as decorative.";
        alt.focus();
        return;
      }
      insert.disabled = true;
      status.textContent = "Uploading…";
      try {
        for (const file of pending) {
          const image = await upload(file, {
            alt: alt.value,
            caption: caption.value,
            credit: credit.value,
            is_decorative: decorative.checked ? "1" : "",
          });
          insertFigure(editor, image, position);
          position = null; // the next ones go after it
        }
        dialog.close();
      } catch (error) {
        status.textContent = error.message;
      } finally {
        insert.disabled = false;
      }
    });
    return { open };
  }

  function imageFiles(transfer) {
    return Array.from((transfer && transfer.files) || []).filter((file) => file.type.startsWith("image/"));
  }

  function initEditor(editor, textarea) {
    if (!textarea || textarea.name !== "body" || !endpoint("upload")) return;
    const dialog = makeDialog(editor);
    const root = editor.view.dom;
    // Capture: the editor would otherwise insert nothing (or a raw file) before we see it.
    root.addEventListener(
      "drop",
      (event) => {
        const files = imageFiles(event.dataTransfer);
        if (!files.length) return;
        event.preventDefault();
        event.stopPropagation();
        const spot = editor.view.posAtCoords({ left: event.clientX, top: event.clientY });
        dialog.open(files, spot ? spot.pos : null);
      },
      true,
    );
    root.addEventListener(
      "paste",
      (event) => {
        const files = imageFiles(event.clipboardData);
        if (!files.length) return;
        event.preventDefault();
        event.stopPropagation();
        dialog.open(files, null);
      },
      true,
    );
    watchForeignImages(editor, root);
    const button = element("button", {
      type: "button",
      class: "media-insert-button",
      title: "Insert an image: upload one or choose from the library",
      text: "Image…",
    });
    button.addEventListener("click", () => dialog.open([], null));
    const menubar = root.closest(".prose-editor")?.querySelector(".prose-menubar");
    (menubar || root.parentElement).prepend(button);
  }

  // Images shown from other sites: readers never see them (the page drops them), so say so
  // and offer to fetch them into the library.
  function isForeign(src) {
    return Boolean(src) && !(src.startsWith("/") && !src.startsWith("//"));
  }

  function foreignImages(editor) {
    const found = [];
    editor.state.doc.descendants((node, pos) => {
      if (node.type.name === "image" && isForeign(node.attrs.src)) found.push({ node, pos });
    });
    return found;
  }

  function watchForeignImages(editor, root) {
    const text = element("span");
    const button = element("button", { type: "button", text: "Import them into the library" });
    const notice = element("p", { class: "media-foreign", role: "status" }, [text, " ", button]);
    notice.hidden = true;
    (root.closest(".prose-editor") || root).before(notice);
    const refresh = () => {
      const count = foreignImages(editor).length;
      notice.hidden = count === 0;
      text.textContent = `${count} image${count === 1 ? "" : "s"} in the body come${count === 1 ? "s" : ""} from another site: readers will not see ${count === 1 ? "it" : "them"}.`;
    };
    editor.on("update", refresh);
    refresh();
    button.addEventListener("click", async () => {
      button.disabled = true;
      const sources = [...new Set(foreignImages(editor).map(({ node }) => node.attrs.src))];
      for (const src of sources) {
        const data = new FormData();
        data.append("url", src);
        data.append("alt", foreignImages(editor).find(({ node }) => node.attrs.src === src)?.node.attrs.alt || "");
        const response = await fetch(endpoint("import"), {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
        });
        const answer = await response.json().catch(() => ({ error: "The import failed." }));
        if (!response.ok) {
          text.textContent = `${src}: ${answer.error || "The import failed."}`;
          continue;
        }
        const tr = editor.state.tr;
        for (const { node, pos } of foreignImages(editor)) {
          if (node.attrs.src === src) {
            tr.setNodeMarkup(pos, undefined, { ...node.attrs, src: answer.url, file: String(answer.id) });
          }
        }
        editor.view.dispatch(tr);
      }
      button.disabled = false;
    });
  }

  document.addEventListener("prose-editor:ready", (event) => {
    initEditor(event.detail.editor, event.detail.textarea);
  });
  // A hero chosen from the library brings its description into the article's blank fields
  // (each article may then say it differently). The select is Django's autocomplete, whose
  // change events are jQuery's.
  function initHeroChooser() {
    const select = document.getElementById("id_hero");
    const $ = window.django && window.django.jQuery;
    if (!select || !$ || !endpoint("library")) return;
    $(select).on("change", async () => {
      if (!select.value) return;
      const response = await fetch(`${endpoint("library")}?id=${encodeURIComponent(select.value)}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const image = response.ok ? (await response.json()).results[0] : null;
      if (!image) return;
      const fill = (name, text) => {
        const input = document.getElementById(`id_${name}`);
        if (input && !input.value.trim() && text) {
          input.value = text;
          input.dispatchEvent(new Event("input", { bubbles: true }));
        }
      };
      const decorative = document.getElementById("id_hero_is_decorative");
      if (image.is_decorative && decorative && !document.getElementById("id_hero_alt").value.trim()) {
        decorative.checked = true;
        decorative.dispatchEvent(new Event("change", { bubbles: true }));
      }
      fill("hero_alt", image.alt);
      fill("hero_caption", image.caption);
      fill("hero_credit", image.credit);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-focal-picker]").forEach(initFocalPicker);
    initHeroChooser();
  });
})();
