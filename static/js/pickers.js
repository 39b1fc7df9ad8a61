/* Zhishu: every <select data-picker-url> becomes a search-as-you-type picker (Tom Select, vendored).
 * The page renders only the selected option (core.widgets.ApiPicker); the choices come from the API
 * as you type, with the session cookie, scoped to the user's subtree like every other answer.
 * The API answers {results: [{id, label, parent_name?, unit_name?}], ...}; texts come from data-*
 * attributes so they are translated with the rest of the page. */
(function () {
  "use strict";
  if (!window.TomSelect || !window.fetch) return;

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function message(text) {
    return '<div class="no-results">' + escapeHtml(text || "") + "</div>";
  }

  function init(select) {
    if (select.tomselect) return;
    var data = select.dataset;
    var min = parseInt(data.pickerMin || "2", 10);
    var multiple = select.multiple;
    var plugins = multiple ? ["remove_button"] : (select.required ? [] : ["clear_button"]);
    // The rows the server answered for the last query: only they match it (a chosen row that does not
    // match the new text is not offered again).
    var answered = { query: null, ids: {} };
    var settings = {
      valueField: "id",
      labelField: "label",
      searchField: [],
      plugins: plugins,
      maxOptions: null,
      loadThrottle: 250,
      preload: false,
      closeAfterSelect: true,
      hidePlaceholder: true,
      placeholder: data.pickerPlaceholder || "",
      // The server has matched name, code, initials or ID number: show exactly the rows it answered,
      // in its order (best match first).
      score: function (search) {
        return function (item) {
          if (!search) return 1;
          return answered.query === search && answered.ids[String(item.id)] ? 1 : 0;
        };
      },
      shouldLoad: function (query) { return query.trim().length >= min; },
      load: function (query, callback) {
        var self = this;
        var url = new URL(data.pickerUrl, window.location.href);
        url.searchParams.set("search", query.trim());
        fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (body) {
            var rows = body.results || [];
            answered = { query: query, ids: {} };
            rows.forEach(function (row) { answered.ids[String(row.id)] = true; });
            self.clearOptions();  // keeps the selected item; drops the last query's rows
            callback(rows);
          })
          .catch(function () { callback(); });
      },
      render: {
        option: function (item, escape) {
          var detail = item.parent_name || "";
          return '<div class="picker-option"><span class="picker-label">' + escape(item.label) + "</span>" +
            (detail ? '<span class="picker-detail">' + escape(detail) + "</span>" : "") + "</div>";
        },
        item: function (item, escape) { return "<div>" + escape(item.label || item.text || "") + "</div>"; },
        no_results: function () { return message(data.pickerNoMatch); },
        not_loading: function () { return message(data.pickerTypeMore); },
        loading: function () { return message(data.pickerSearching); }
      }
    };
    new window.TomSelect(select, settings);
  }

  // A multiple choice of a few fixed options (a filter's kinds, say) is a compact tag box, not a tall list.
  function initMultiple(select) {
    if (select.tomselect || !window.TomSelect) { return; }
    new window.TomSelect(select, { plugins: ["remove_button"], maxOptions: null, hidePlaceholder: true });
  }

  function initAll(root) {
    (root || document).querySelectorAll("select[data-picker-url]").forEach(init);
    (root || document).querySelectorAll("select[multiple]:not([data-picker-url])").forEach(initMultiple);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initAll(); });
  } else {
    initAll();
  }
  window.zhishuPickers = { init: initAll };
})();
