/* Zhishu: the organisation tree expands in place (R-ORG-1). The first level is rendered by the server; a
 * row with units below gets a disclosure button that loads its children from /api/v1/org-units/?parent=<id>
 * (scoped to the caller, with the same counts as the server-rendered rows). Without JavaScript each name
 * still links to its unit's page.
 */
(function () {
  "use strict";
  var table = document.getElementById("unit-tree");
  if (!table || !window.fetch) return;
  var PAGE_SIZE = 200;
  var apiUrl = table.getAttribute("data-tree-url");
  var unitUrl = table.getAttribute("data-unit-url");  // ".../units/0/"
  var label = function (name) { return table.getAttribute("data-label-" + name); };

  function link(id) { return unitUrl.replace(/\/0\/$/, "/" + id + "/"); }

  function cell(text, cls) {
    var td = document.createElement("td");
    if (cls) td.className = cls;
    td.textContent = text;
    return td;
  }

  function childRow(unit, depth) {
    var tr = document.createElement("tr");
    tr.setAttribute("data-unit-id", unit.id);
    tr.setAttribute("data-depth", depth);
    if (unit.units_below) tr.setAttribute("data-has-children", "");
    var name = document.createElement("td");
    name.className = "tree-cell";
    var a = document.createElement("a");
    a.href = link(unit.id);
    a.textContent = unit.name;
    var code = document.createElement("span");
    code.className = "muted mono small";
    code.textContent = unit.code;
    name.appendChild(a);
    name.appendChild(document.createTextNode(" "));
    name.appendChild(code);
    tr.appendChild(name);
    tr.appendChild(cell(unit.level_display));
    tr.appendChild(cell(unit.sector_display));
    tr.appendChild(cell(unit.units_below, "num"));
    tr.appendChild(cell(unit.branches, "num"));
    tr.appendChild(cell(unit.secretaries, "num"));
    return tr;
  }

  function descendants(tr) {
    var depth = Number(tr.getAttribute("data-depth"));
    var out = [];
    for (var next = tr.nextElementSibling; next; next = next.nextElementSibling) {
      if (Number(next.getAttribute("data-depth")) <= depth) break;
      out.push(next);
    }
    return out;
  }

  function setOpen(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.setAttribute("aria-label", label(open ? "collapse" : "expand"));
    button.title = label(open ? "collapse" : "expand");
  }

  function load(tr, button) {
    var depth = Number(tr.getAttribute("data-depth")) + 1;
    var id = tr.getAttribute("data-unit-id");
    button.disabled = true;
    return fetch(apiUrl + "?parent=" + id + "&page_size=" + PAGE_SIZE + "&ordering=path",
                 { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var anchor = tr;
        data.results.forEach(function (unit) {
          var row = childRow(unit, depth);
          anchor.after(row);
          anchor = row;
          enhance(row);
        });
        if (data.next) {
          var more = document.createElement("tr");
          more.setAttribute("data-depth", depth);
          var td = document.createElement("td");
          td.colSpan = 6;
          td.className = "tree-cell";
          var a = document.createElement("a");
          a.href = link(id);
          a.textContent = label("more") + " (" + data.count + ")";
          td.appendChild(a);
          more.appendChild(td);
          anchor.after(more);
        }
        tr.setAttribute("data-loaded", "");
      })
      .catch(function () {
        var err = document.createElement("tr");
        err.setAttribute("data-depth", depth);
        var td = cell(label("error"), "tree-cell muted");
        td.colSpan = 6;
        err.appendChild(td);
        tr.after(err);
      })
      .then(function () { button.disabled = false; });
  }

  function toggle(tr, button) {
    var open = button.getAttribute("aria-expanded") !== "true";
    setOpen(button, open);
    if (open && !tr.hasAttribute("data-loaded")) return load(tr, button);
    var depth = Number(tr.getAttribute("data-depth"));
    descendants(tr).forEach(function (row) {
      if (!open) { row.hidden = true; return; }
      // Reopening shows the direct children, and below them only what was open before.
      var d = Number(row.getAttribute("data-depth"));
      var parentOpen = d === depth + 1;
      if (!parentOpen) {
        for (var p = row.previousElementSibling; p; p = p.previousElementSibling) {
          if (Number(p.getAttribute("data-depth")) === d - 1) {
            var b = p.querySelector(".tree-toggle");
            parentOpen = !p.hidden && b && b.getAttribute("aria-expanded") === "true";
            break;
          }
        }
      }
      row.hidden = !parentOpen;
    });
  }

  function enhance(tr) {
    var first = tr.querySelector(".tree-cell");
    if (!first) return;
    first.style.paddingLeft = (Number(tr.getAttribute("data-depth")) * 1.25 + 0.5) + "rem";
    if (!tr.hasAttribute("data-has-children")) {
      var spacer = document.createElement("span");
      spacer.className = "tree-spacer";
      first.insertBefore(spacer, first.firstChild);
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "tree-toggle";
    setOpen(button, false);
    button.addEventListener("click", function () { toggle(tr, button); });
    first.insertBefore(button, first.firstChild);
  }

  table.querySelectorAll("tbody tr[data-unit-id]").forEach(enhance);
})();
