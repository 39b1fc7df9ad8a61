// Every form or button with data-confirm asks first (the server refuses what it must without this): deleting a
// case's item (R-RCT-1), a sheet's approve / correct / discard (R-STP-4), a jurisdiction's dossier export (R-DOS-2).
document.addEventListener("submit", function (event) {
  var button = event.submitter || event.target.querySelector("[data-confirm]");
  var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) { event.preventDefault(); }
});
/* Zhishu: a little progressive enhancement; every page works without it. */
(function () {
  "use strict";

  // Mobile navigation toggle.
  var toggle = document.querySelector("[data-nav-toggle]");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = document.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Close an open dropdown when clicking elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });

  // Selects that submit their form on change (language switcher, filter shortcuts).
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });

  // Job progress: poll the job API every 2 s until it ends (R-JOB-3).
  var job = document.querySelector("[data-job-url]");
  if (job && window.fetch) {
    var url = job.getAttribute("data-job-url");
    var bar = job.querySelector("[data-job-bar]");
    var pct = job.querySelector("[data-job-percent]");
    var state = job.querySelector("[data-job-state]");
    var message = job.querySelector("[data-job-message]");
    var error = job.querySelector("[data-job-error]");
    var labels = JSON.parse(job.getAttribute("data-state-labels") || "{}");
    var tones = JSON.parse(job.getAttribute("data-state-tones") || "{}");
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) {
          var p = Math.max(0, Math.min(100, data.progress || 0));
          if (bar) { bar.style.width = p + "%"; bar.setAttribute("aria-valuenow", p); }
          if (pct) pct.textContent = p + "%";
          if (state) {
            var tag = document.createElement("span");
            tag.className = "tag tag-" + (tones[data.state] || "grey");
            tag.textContent = labels[data.state] || "";
            state.replaceChildren(tag);
          }
          if (message) message.textContent = data.message || "";
          if (error && data.error) { error.textContent = data.error; error.hidden = false; }
          job.setAttribute("data-state", data.state);
          if (data.state === "succeeded" || data.state === "failed") {
            if (data.download_url || data.result) { window.setTimeout(function () { window.location.reload(); }, 600); }
            return;
          }
          window.setTimeout(poll, 2000);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    var initial = job.getAttribute("data-state");
    if (initial !== "succeeded" && initial !== "failed") window.setTimeout(poll, 2000);
  }
})();
