// The publish panel: the schedule picker in the browser's own zone beside the site's, and a
// main button that says what it will do. Without this script the date and time fields (in
// the site's zone) and the server's button label do the same job.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const form = document.getElementById("article_form");
  const panel = document.getElementById("publish-panel");
  if (!form || !panel) return;
  const field = (name) => form.elements.namedItem(name);
  const status = field("status");
  const day = field("published_at_0");
  const time = field("published_at_1");
  const scheduleAt = field("schedule_at");
  const button = document.getElementById("publish-primary");
  const note = document.getElementById("schedule-note");
  const siteZone = panel.dataset.siteZone || "UTC";
  const ownZone = Intl.DateTimeFormat().resolvedOptions().timeZone || siteZone;
  const wasLive = panel.dataset.live === "1";
  const pad = (n) => String(n).padStart(2, "0");

  // Wall-clock parts of an instant in a zone.
  function partsIn(zone, date) {
    const options = { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" };
    const parts = {};
    for (const p of new Intl.DateTimeFormat("en-CA", options).formatToParts(date)) parts[p.type] = p.value;
    return parts;
  }

  function offsetOf(zone, ms) {
    const p = partsIn(zone, new Date(ms));
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - ms;
  }

  // The instant shown as "YYYY-MM-DD" + "HH:MM[:SS]" on a clock in the site's zone.
  function fromSiteFields() {
    const d = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec((day && day.value || "").trim());
    const t = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec((time && time.value || "").trim());
    if (!d || !t) return null;
    const wall = Date.UTC(+d[1], +d[2] - 1, +d[3], +t[1], +t[2], +(t[3] || 0));
    let ms = wall - offsetOf(siteZone, wall);
    ms = wall - offsetOf(siteZone, ms); // again, in case the offset changes in between (DST)
    return new Date(ms);
  }

  function toSiteFields(date) {
    const p = partsIn(siteZone, date);
    day.value = p.year + "-" + p.month + "-" + p.day;
    time.value = p.hour + ":" + p.minute + ":" + p.second;
  }

  const show = (date, zone) =>
    new Intl.DateTimeFormat(undefined, { timeZone: zone, dateStyle: "medium", timeStyle: "short" }).format(date);
  const clock = (date, zone) =>
    new Intl.DateTimeFormat(undefined, { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(date);

  // The picker in the browser's zone, next to the site's date and time fields.
  let picker = null;
  if (day && time && scheduleAt) {
    const row = document.createElement("div");
    row.className = "form-row schedule-local";
    const label = document.createElement("label");
    label.htmlFor = "schedule-local";
    label.textContent = "Publish at, your time (" + ownZone + "):";
    picker = document.createElement("input");
    picker.type = "datetime-local";
    picker.id = "schedule-local";
    picker.step = "1";
    row.append(label, " ", picker);
    const siteRow = form.querySelector(".field-published_at");
    (siteRow || note).after(row);
    const current = scheduleAt.value ? new Date(scheduleAt.value) : fromSiteFields();
    if (current) picker.value = localValue(current);
    picker.addEventListener("change", function () {
      if (!picker.value) return;
      const chosen = new Date(picker.value); // read in the browser's own zone
      if (isNaN(chosen)) return;
      scheduleAt.value = chosen.toISOString();
      toSiteFields(chosen);
      // Picking a time here means publishing then (as WordPress's Schedule does); the status
      // can still be set back to Draft before saving.
      if (status && chosen.getTime() > Date.now()) status.value = "published";
      update();
    });
    for (const input of [day, time]) {
      for (const type of ["input", "change"]) {
        input.addEventListener(type, function () {
          scheduleAt.value = ""; // the site's fields rule again
          const typed = fromSiteFields();
          if (typed) picker.value = localValue(typed);
          update();
        });
      }
    }
  }

  function localValue(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds());
  }

  function update() {
    const when = scheduleAt && scheduleAt.value ? new Date(scheduleAt.value) : fromSiteFields();
    const publishing = status && status.value === "published";
    let label;
    if (!publishing) label = wasLive ? "Unpublish" : "Save draft";
    else if (when && when.getTime() > Date.now()) label = "Schedule for " + show(when, ownZone);
    else label = wasLive ? "Update" : "Publish";
    if (button) button.textContent = label;
    if (note) {
      note.textContent = when
        ? (publishing ? "Publishes " : "Publication time: ") + clock(when, ownZone) + " " + ownZone +
          " (" + clock(when, siteZone) + " " + siteZone + ", the site's time)."
        : "Times are in the site's zone (" + siteZone + ").";
    }
  }
  // The admin's calendar and "Now" links set the fields without an input event.
  setInterval(function () {
    if (!scheduleAt || !scheduleAt.value) {
      const typed = fromSiteFields();
      if (picker && typed && document.activeElement !== picker) picker.value = localValue(typed);
    }
    update();
  }, 1000);
  if (status) status.addEventListener("change", update);
  update();

  // Word count and reading time under the body, as the server counts them.
  const body = field("body");
  const words = document.getElementById("word-count-words");
  const minutes = document.getElementById("word-count-minutes");
  function count() {
    const text = (body && body.value || "").replace(/<[^>]*>/g, " ");
    const n = text.split(/\s+/).filter(Boolean).length;
    if (words) words.textContent = n;
    if (minutes) minutes.textContent = Math.max(1, Math.ceil(n / 230));
  }
  if (body) setInterval(count, 1000);
});
