/* Search-as-you-type for long choice lists (Tom Select, from npm; no inline code, CSP-safe).
 *
 * <select data-choice-search> becomes a searchable choice; the options already in the page
 * are searched locally. With data-choice-url="/…/choices/" the options are fetched as the
 * user types: GET url?q=<text> answers {"results": [{"id": "12", "text": "OCMW Gent"}, …]},
 * already limited to what the user may see. Without JavaScript the plain <select> works.
 * Texts come from data-choice-* attributes so that they are translated by the template.
 */
(function () {
  "use strict";
  function enhance(select) {
    if (select.tomselect || typeof TomSelect === "undefined") {
      return;
    }
    var url = select.dataset.choiceUrl;
    var noResults = select.dataset.choiceEmpty || "—";
    var typeMore = select.dataset.choiceTypeMore || "";
    var options = {
      maxOptions: 50,
      allowEmptyOption: true,
      hidePlaceholder: false,
      plugins: select.multiple ? ["remove_button"] : [],
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = noResults;
          return div;
        },
      },
    };
    if (select.dataset.choicePlaceholder) {
      options.placeholder = select.dataset.choicePlaceholder;
    }
    if (url) {
      options.valueField = "id";
      options.labelField = "text";
      options.searchField = ["text"];
      options.shouldLoad = function (query) {
        return query.length >= 2;
      };
      options.load = function (query, callback) {
        var sep = url.indexOf("?") === -1 ? "?" : "&";
        fetch(url + sep + "q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            callback(data.results || []);
          })
          .catch(function () {
            callback();
          });
      };
      if (typeMore) {
        options.render.not_loading = function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = typeMore;
          return div;
        };
      }
    }
    // Tom Select points the field's <label> at its own search input; the original <select>
    // (kept, hidden, for the form post) keeps an accessible name of its own (axe: select-name).
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    var name = label ? label.textContent.replace(/\*/g, "").trim() : "";
    new TomSelect(select, options);
    if (name && !select.hasAttribute("aria-label")) {
      select.setAttribute("aria-label", name);
    }
  }
  function enhanceAll() {
    document.querySelectorAll("select[data-choice-search]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
})();
