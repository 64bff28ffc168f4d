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
