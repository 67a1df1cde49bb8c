/* statusboard: recompute liveness states and ages in the reader's browser.
 *
 * The page is built once; a reader may open it hours later. Every row carries its timestamps
 * and thresholds as data attributes, so this script re-derives what the build wrote (the
 * server-rendered values stay as the no-script fallback). Works with Material's instant
 * navigation: when `document$` exists it re-runs on every page swap.
 */
(function () {
  "use strict";

  var REFRESH_MS = 30000;
  var STATES = ["live", "idle", "stale", "unknown"];

  function parse(text) {
    if (!text) return null;
    var t = Date.parse(text);
    return isNaN(t) ? null : t;
  }

  /* Same wording as generator.timeutil.human_age: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`. */
  function humanAge(ms) {
    var seconds = Math.floor(Math.abs(ms) / 1000);
    if (seconds < 60) return seconds + " s";
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + " min";
    var hours = Math.floor(minutes / 60);
    minutes = minutes % 60;
    if (hours < 24) return minutes ? hours + " h " + minutes + " min" : hours + " h";
    var days = Math.floor(hours / 24);
    hours = hours % 24;
    return hours ? days + " d " + hours + " h" : days + " d";
  }

  function ago(ms) {
    return ms < 0 ? "in " + humanAge(ms) : humanAge(ms) + " ago";
  }

  function classify(ageMs, liveMinutes, staleHours) {
    if (ageMs <= liveMinutes * 60000) return "live";
    if (ageMs <= staleHours * 3600000) return "idle";
    return "stale";
  }

  function each(root, selector, fn) {
    var nodes = root.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) fn(nodes[i]);
  }

  function update() {
    var root = document;
    var now = Date.now();

    each(root, "[data-sb-liveness]", function (row) {
      var seen = parse(row.getAttribute("data-last-seen"));
      var live = parseFloat(row.getAttribute("data-live-minutes"));
      var stale = parseFloat(row.getAttribute("data-stale-hours"));
      var state = seen === null || isNaN(live) || isNaN(stale)
        ? "unknown" : classify(now - seen, live, stale);
      row.setAttribute("data-state", state);
      each(row, "[data-sb-state]", function (badge) {
        for (var i = 0; i < STATES.length; i++) {
          badge.classList.remove("sb-liveness--" + STATES[i]);
        }
        badge.classList.add("sb-liveness--" + state);
        badge.textContent = state;
      });
    });

    each(root, "[data-sb-age]", function (el) {
      var t = parse(el.getAttribute("datetime"));
      if (t !== null) el.textContent = ago(now - t);
    });

    each(root, "[data-sb-age-plain]", function (el) {
      var t = parse(el.getAttribute("datetime"));
      if (t !== null) el.textContent = humanAge(now - t);
    });

    each(root, "[data-sb-waiting]", function (el) {
      var since = parse(el.getAttribute("data-since"));
      if (since === null) return;
      var hours = parseFloat(el.getAttribute("data-overdue-hours"));
      each(el, ".sb-wait-age", function (age) { age.textContent = humanAge(now - since); });
      if (!isNaN(hours)) {
        var overdue = now - since > hours * 3600000;
        el.classList.toggle(el.tagName === "TR" ? "sb-row--overdue" : "sb-overdue", overdue);
      }
    });

    each(root, "[data-sb-now]", function (el) {
      el.textContent = new Date(now).toISOString().slice(0, 16).replace("T", " ") + " UTC";
    });
  }

  var timer = null;
  function start() {
    update();
    if (timer === null) timer = window.setInterval(update, REFRESH_MS);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
