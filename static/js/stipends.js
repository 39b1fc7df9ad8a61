// R-STP-4: a sheet's actions ask first (the server refuses what the state does not allow, with or without this).
document.addEventListener("submit", function (event) {
  var button = event.submitter || event.target.querySelector("[data-confirm]");
  var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) { event.preventDefault(); }
});
// The what-if table: show only the lines whose amount changes.
document.addEventListener("change", function (event) {
  if (!event.target.matches("[data-only-changed]")) { return; }
  var only = event.target.checked;
  document.querySelectorAll("[data-preview-row]").forEach(function (row) {
    row.hidden = only && row.getAttribute("data-changed") !== "1";
  });
});
