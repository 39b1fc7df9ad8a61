// The what-if table: show only the lines whose amount changes.
document.addEventListener("change", function (event) {
  if (!event.target.matches("[data-only-changed]")) { return; }
  var only = event.target.checked;
  document.querySelectorAll("[data-preview-row]").forEach(function (row) {
    row.hidden = only && row.getAttribute("data-changed") !== "1";
  });
});
