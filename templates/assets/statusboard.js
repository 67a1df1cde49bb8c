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

  /* Same wording as generator.timeutil.since_age: a wait dated after now is not negative. */
  function sinceAge(ms) {
    return ms < 0 ? "in the future (" + humanAge(ms) + " ahead)" : humanAge(ms);
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
      if (t !== null) el.textContent = sinceAge(now - t);
    });

    each(root, "[data-sb-waiting]", function (el) {
      var since = parse(el.getAttribute("data-since"));
      if (since === null) return;
      var hours = parseFloat(el.getAttribute("data-overdue-hours"));
      each(el, ".sb-wait-age", function (age) { age.textContent = sinceAge(now - since); });
      if (!isNaN(hours)) {
        var overdue = now - since > hours * 3600000;
        el.classList.toggle(el.tagName === "TR" ? "sb-row--overdue" : "sb-overdue", overdue);
      }
    });

    overview(root, now);

    each(root, "[data-sb-now]", function (el) {
      el.textContent = new Date(now).toISOString().slice(0, 16).replace("T", " ") + " UTC";
    });
  }

  /* The overview: sessions stale → never seen → idle → live, the longest in their state first,
   * and the "needs you" count (waiting items + stale sessions) in the heading and the title —
   * the same order and count as generator/render/pages/overview.py at build time. */
  var SESSION_ORDER = ["stale", "unknown", "idle", "live"];

  function stateSince(row, state) {
    var seen = parse(row.getAttribute("data-last-seen"));
    if (seen === null) return null;
    if (state === "stale") return seen + parseFloat(row.getAttribute("data-stale-hours")) * 3600000;
    if (state === "idle") return seen + parseFloat(row.getAttribute("data-live-minutes")) * 60000;
    return seen;
  }

  function overview(root, now) {
    each(root, "[data-sb-sort-sessions]", function (body) {
      var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-sb-liveness]"));
      var stale = 0;
      rows.forEach(function (row) {
        var state = row.getAttribute("data-state") || "unknown";
        var since = stateSince(row, state);
        if (state === "stale") stale += 1;
        row.sbKey = [SESSION_ORDER.indexOf(state), since === null ? -Infinity : since,
          parseInt(row.getAttribute("data-sb-row"), 10) || 0];
        each(row, "[data-sb-in-state]", function (cell) {
          if (since === null) return;
          cell.textContent = state === "live" ? "seen " + ago(now - since) : humanAge(now - since);
        });
      });
      rows.sort(function (a, b) {
        for (var i = 0; i < 3; i++) {
          if (a.sbKey[i] !== b.sbKey[i]) return a.sbKey[i] < b.sbKey[i] ? -1 : 1;
        }
        return 0;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      each(root, "[data-sb-needs]", function (box) {
        var total = (parseInt(box.getAttribute("data-sb-needs"), 10) || 0) + stale;
        each(box, "[data-sb-needs-count]", function (c) { c.textContent = String(total); });
        each(box, "[data-sb-stale-count]", function (c) { c.textContent = String(stale); });
        each(box, "[data-sb-stale-noun]", function (c) { c.textContent = stale === 1 ? "session" : "sessions"; });
        each(box, "[data-sb-stale-note]", function (n) { n.hidden = stale === 0; });
        var title = document.title.replace(/^\(\d+\) /, "");
        document.title = total ? "(" + total + ") " + title : title;
      });
      each(root, "[data-sb-stale-card]", function (card) {
        card.classList.toggle("sb-card--error", stale > 0);
      });
    });
  }

  /* The lint report: one table, grouped by rule (as built), by file or not at all, and filtered
   * by severity, all in the page. Group rows hide when none of their findings shows. */
  function lintTable() {
    each(document, "form[data-sb-lint-controls]", function (form) {
      if (form.getAttribute("data-sb-ready")) return;
      form.setAttribute("data-sb-ready", "1");
      form.hidden = false;
      var body = form.parentNode.querySelector("tbody[data-sb-lint]");
      if (!body) return;
      var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-sb-finding]"));
      var groups = {};
      each(body, "tr[data-sb-group]", function (g) { groups[g.getAttribute("data-sb-group")] = g; });
      function num(row, name) { return parseInt(row.getAttribute(name), 10) || 0; }
      function apply() {
        var mode = (form.querySelector("input[name=group]:checked") || {}).value || "rule";
        var shown = {};
        each(form, "input[name=severity]", function (box) { shown[box.value] = box.checked; });
        var key = {file: "data-file-order", rule: "data-rule-order"}[mode] || "data-order";
        var attr = mode === "file" ? "data-file-group" : "data-rule-group";
        var sorted = rows.slice().sort(function (a, b) { return num(a, key) - num(b, key); });
        var visible = {}, count = 0;
        Object.keys(groups).forEach(function (k) { groups[k].hidden = true; });
        sorted.forEach(function (row) {
          var ok = shown[row.getAttribute("data-severity")] !== false;
          row.hidden = !ok;
          if (ok) count += 1;
          var group = mode === "none" ? null : groups[row.getAttribute(attr)];
          if (group && !visible[row.getAttribute(attr)]) {
            body.appendChild(group);
            visible[row.getAttribute(attr)] = true;
          }
          if (group && ok) group.hidden = false;
          body.appendChild(row);
        });
        each(form, "[data-sb-filter-count]", function (c) {
          c.textContent = count === rows.length ? "" : count + " of " + rows.length + " shown";
        });
      }
      form.addEventListener("change", apply);
      // A link to a rule's or a file's group (the rule pages link `#rule-<name>`) groups so.
      var hash = window.location.hash.slice(1);
      var wanted = hash.indexOf("rule-") === 0 ? "rule" : hash.indexOf("file-") === 0 ? "file" : "";
      var radio = wanted && form.querySelector("input[name=group][value=" + wanted + "]");
      if (radio) radio.checked = true;
      apply();
      if (radio && groups[hash]) groups[hash].scrollIntoView();
    });
  }

  /* Inbox pages: show all, open (not done), waiting or done messages; the waiting banner's link
   * picks "waiting" here (without the script it leads to the index's waiting table). */
  function inboxFilter() {
    each(document, "form[data-sb-msg-filter]", function (form) {
      if (form.getAttribute("data-sb-ready")) return;
      form.setAttribute("data-sb-ready", "1");
      form.hidden = false;
      var page = form.parentNode;
      function apply() {
        var show = (form.querySelector("input[name=show]:checked") || {}).value || "all";
        var shown = 0, total = 0;
        each(page, "article[data-sb-msg]", function (card) {
          var state = card.getAttribute("data-sb-msg");
          var ok = show === "all" || state === show || (show === "open" && state === "waiting");
          card.hidden = !ok;
          total += 1;
          if (ok) shown += 1;
        });
        each(form, "[data-sb-filter-count]", function (c) {
          c.textContent = shown === total ? "" : shown + " of " + total + " shown";
        });
      }
      form.addEventListener("change", apply);
      each(page, "[data-sb-show]", function (link) {
        link.addEventListener("click", function (event) {
          var radio = form.querySelector("input[name=show][value=" + link.getAttribute("data-sb-show") + "]");
          if (!radio) return;
          event.preventDefault();
          radio.checked = true;
          apply();
          form.scrollIntoView({block: "nearest"});
        });
      });
    });
  }

  // Tracker pages: filter the task cards and rows by state, label, assignee and text.
  function filters() {
    each(document, "form[data-sb-task-filter]", function (form) {
      if (form.getAttribute("data-sb-ready")) return;
      form.setAttribute("data-sb-ready", "1");
      var page = form.parentNode;
      function value(name) {
        var field = form.elements[name];
        return field ? field.value : "";
      }
      function apply() {
        var state = value("state"), label = value("label"), who = value("assignee");
        var text = value("text").trim().toLowerCase();
        var shown = 0, total = 0;
        each(page, "[data-sb-task]", function (el) {
          var ok = (!state || el.getAttribute("data-state") === state) &&
            (!label || el.getAttribute("data-labels").split("|").indexOf(label) >= 0) &&
            (!who || el.getAttribute("data-assignees").split("|").indexOf(who) >= 0) &&
            (!text || el.getAttribute("data-text").indexOf(text) >= 0);
          el.hidden = !ok;
          total += 1;
          if (ok) shown += 1;
        });
        each(form, "[data-sb-filter-count]", function (c) {
          c.textContent = shown === total ? "" : shown + " of " + total + " shown";
        });
      }
      form.addEventListener("input", apply);
      form.addEventListener("change", apply);
    });
  }

  var timer = null;
  function start() {
    filters();
    lintTable();
    inboxFilter();
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
