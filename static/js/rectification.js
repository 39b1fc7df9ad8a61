// R-RCT-1: deleting an item of a case's list asks first (the page works without it: the server deletes on POST).
document.addEventListener("submit", function (event) {
  var button = event.submitter || event.target.querySelector("[data-confirm]");
  var message = button && button.getAttribute("data-confirm");
  if (message && !window.confirm(message)) { event.preventDefault(); }
});
