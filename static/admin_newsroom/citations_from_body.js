// Citations from the body: "Add as citation" fills a new row of the citations table at once
// (saved with the article), instead of saving the page. Links to a site that is no source
// yet keep the plain button: the server makes the source (articles/body/citations.py).
(function () {
  "use strict";
  var box = document.querySelector(".body-links");
  if (!box) return;
  var prefix = box.dataset.prefix;
  var group = document.getElementById(prefix + "-group");

  function emptyRow() {
    var rows = group.querySelectorAll("tr.form-row:not(.empty-form)");
    for (var i = 0; i < rows.length; i++) {
      var url = rows[i].querySelector("input[name$='-url']");
      var source = rows[i].querySelector("select[name$='-source']");
      if (url && !url.value && source && !source.value && !rows[i].querySelector("input[name$='-id']").value) {
        return rows[i];
      }
    }
    var add = group.querySelector(".add-row a");
    if (!add) return null;
    add.click();  // Django's inlines.js adds the row
    rows = group.querySelectorAll("tr.form-row:not(.empty-form)");
    return rows[rows.length - 1];
  }

  box.querySelectorAll("button[data-source-id]").forEach(function (button) {
    button.type = "button";
    button.addEventListener("click", function () {
      var row = emptyRow();
      if (!row) return;
      var select = row.querySelector("select[name$='-source']");
      var option = new Option(button.dataset.sourceName, button.dataset.sourceId, true, true);
      select.append(option);
      select.dispatchEvent(new Event("change", { bubbles: true }));
      if (window.django && window.django.jQuery) window.django.jQuery(select).trigger("change");
      row.querySelector("input[name$='-url']").value = button.dataset.url;
      row.querySelector("input[name$='-title']").value = button.dataset.title;
      var item = button.closest("li");
      button.remove();
      var done = document.createElement("span");
      done.className = "body-link-added";
      done.setAttribute("role", "status");
      done.textContent = "Added to the citations above; save to keep it.";
      item.append(done);
    });
  });
})();
