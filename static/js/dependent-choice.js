/* A choice that follows another field of its form (partnerships/widgets.py,
 * DependentChoiceSelect): the contacts of the chosen partner, the facilitators of the chosen
 * agreement. The page holds only the options under the parent's current value; when the
 * parent changes (also through Tom Select, which fires "change" on the original select),
 * the options under the new value are fetched: GET url?<parent>=<id> answers
 * {"results": [{"id": "12", "text": "Els Peeters (OCMW Gent)"}, …]}. No inline code (CSP).
 * Without JavaScript the options follow the parent after the form is submitted.
 */
(function () {
  "use strict";
  function follow(select) {
    var name = select.dataset.dependsOn;
    var parent = select.form ? select.form.elements.namedItem(name) : null;
    var url = select.dataset.choiceUrl;
    if (!parent || !url) {
      return;
    }
    var empty = select.querySelector('option[value=""]');
    function fill(results) {
      var keep = select.value;
      while (select.options.length) {
        select.remove(0);
      }
      if (empty) {
        select.add(empty);
      }
      var kept = false;
      results.forEach(function (row) {
        var option = new Option(row.text, row.id);
        if (row.id === keep) {
          option.selected = true;
          kept = true;
        }
        select.add(option);
      });
      if (!kept) {
        select.value = "";
      }
    }
    parent.addEventListener("change", function () {
      var chosen = parent.value;
      if (!chosen) {
        fill([]);
        return;
      }
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + sep + encodeURIComponent(name) + "=" + encodeURIComponent(chosen), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          fill(data.results || []);
        })
        .catch(function () {
          fill([]);
        });
    });
  }
  function followAll() {
    document.querySelectorAll("select[data-depends-on]").forEach(follow);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", followAll);
  } else {
    followAll();
  }
})();
