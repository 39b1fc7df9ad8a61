/* R-DOS-2: every unfinished export on the page follows its progress from the API every 2 s;
   the page reloads once one ends, to show its download link and failures. */
(function () {
  "use strict";
  var table = document.getElementById("exports-table");
  if (!table || !window.fetch) return;
  var labels = JSON.parse(table.getAttribute("data-state-labels") || "{}");
  var tones = JSON.parse(table.getAttribute("data-state-tones") || "{}");
  table.querySelectorAll("tr[data-export-url]").forEach(function (row) {
    var state = row.getAttribute("data-state");
    if (state === "succeeded" || state === "failed") return;
    var url = row.getAttribute("data-export-url");
    var bar = row.querySelector("[data-export-bar]");
    var pct = row.querySelector("[data-export-percent]");
    var tag = row.querySelector("[data-export-state]");
    var message = row.querySelector("[data-export-message]");
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) {
          var p = Math.max(0, Math.min(100, data.progress || 0));
          bar.style.width = p + "%";
          bar.setAttribute("aria-valuenow", p);
          pct.textContent = p + "%";
          if (tag && labels[data.status]) {
            var span = document.createElement("span");
            span.className = "tag tag-" + (tones[data.status] || "grey");
            span.textContent = labels[data.status];
            tag.replaceChildren(span);
          }
          if (message) message.textContent = data.error || data.message || "";
          row.setAttribute("data-state", data.status);
          if (data.status === "succeeded" || data.status === "failed") {
            window.setTimeout(function () { window.location.reload(); }, 800);
            return;
          }
          window.setTimeout(poll, 2000);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 1000);
  });
})();
