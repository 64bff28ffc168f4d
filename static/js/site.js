// Progressive enhancement only: every page works without this script.
// Share buttons: the Web Share API where the browser has it, and "Copy link".
(function () {
  "use strict";
  function announce(button, message) {
    var status = button.closest(".share").querySelector(".share-status");
    if (status) { status.textContent = message; }
  }
  document.querySelectorAll("[data-share-url]").forEach(function (button) {
    if (!navigator.share) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl })
        .catch(function () { /* the reader closed the share sheet */ });
    });
  });
  document.querySelectorAll("[data-copy-url]").forEach(function (button) {
    if (!navigator.clipboard || !window.isSecureContext) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copyUrl).then(
        function () { announce(button, "Link copied."); },
        function () { announce(button, "Could not copy the link; copy it from the address bar."); }
      );
    });
  });
})();

// Comments enhancement: reply forms move under the comment, remembered details are filled in,
// and a form served from the page cache fetches a fresh signed time. Works without it too.
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  if (!respond) return;
  var form = respond.querySelector("form");
  var home = document.createComment("respond-home");
  respond.parentNode.insertBefore(home, respond);
  var title = document.getElementById("reply-title");
  var originalTitle = title.innerHTML;

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : null;
  }

  // Django's signed value is "payload:timestamp:signature"; the payload is URL-safe base64 JSON.
  function remembered() {
    var value = cookie("comment_author");
    if (!value) return null;
    try {
      var b64 = value.split(":")[0].replace(/-/g, "+").replace(/_/g, "/");
      var binary = atob(b64 + "===".slice((b64.length + 3) % 4));
      var bytes = Uint8Array.from(binary, function (c) { return c.charCodeAt(0); });
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      return null;
    }
  }

  var saved = remembered();
  if (saved) {
    ["name", "email", "website"].forEach(function (field) {
      var input = form.elements[field];
      if (input && !input.value && saved[field]) input.value = saved[field];
    });
    form.elements.remember.checked = true;
  }

  function putBack(event) {
    event.preventDefault();
    home.parentNode.insertBefore(respond, home.nextSibling);
    form.elements.parent.value = "";
    title.innerHTML = originalTitle;
  }

  function replyTo(link) {
    link.closest("li.comment").querySelector("article").after(respond);
    form.elements.parent.value = link.dataset.parent;
    title.textContent = "Reply to " + link.dataset.name + " ";
    var cancel = document.createElement("a");
    cancel.href = "#respond";
    cancel.className = "cancel-reply";
    cancel.textContent = "Cancel reply";
    cancel.addEventListener("click", putBack);
    title.appendChild(cancel);
    form.elements.body.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.comment-reply");
    if (!link) return;
    event.preventDefault();
    replyTo(link);
  });

  var refreshed = false;
  form.addEventListener("focusin", function () {
    if (refreshed) return;
    refreshed = true;
    fetch(form.dataset.tokenUrl, { credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) form.elements.issued.value = data.issued; })
      .catch(function () {});
  });
})();

// Embedded posts: the card loads nothing from the provider; a click on "Load ... content"
// swaps in the provider's player (the only hosts the CSP's frame-src lets in).
(function () {
  "use strict";
  var PLAYERS = ["https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/"];
  document.querySelectorAll("figure[data-embed-frame]").forEach(function (figure) {
    var src = figure.dataset.embedFrame;
    var button = figure.querySelector(".embed-load");
    var allowed = PLAYERS.some(function (prefix) { return src.indexOf(prefix) === 0; });
    if (!button || !allowed) return;
    button.closest(".embed-consent").hidden = false;  // without this script the card is a link
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = src;
      frame.title = figure.dataset.embedName + " content";
      frame.className = "embed-frame";
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-popups allow-presentation");
      frame.setAttribute("allowfullscreen", "");
      figure.querySelector(".embed-card").replaceWith(frame);
      figure.classList.add("embed-loaded");
      frame.focus();
    });
  });
})();
