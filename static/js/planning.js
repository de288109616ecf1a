// Module form: offer only the partner facilitators of the chosen agreement's partners.
// Progressive enhancement: without JavaScript all contacts are listed and the server checks.
document.addEventListener("DOMContentLoaded", function () {
  var agreement = document.getElementById("id_partnership");
  var facilitator = document.getElementById("id_partner_facilitator");
  if (!agreement || !facilitator) {
    return;
  }
  function sync() {
    var chosen = agreement.value;
    Array.prototype.forEach.call(facilitator.options, function (option) {
      if (!option.value) {
        return;
      }
      var agreements = (option.getAttribute("data-partnerships") || "").split(" ");
      var fits = !chosen || agreements.indexOf(chosen) !== -1;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) {
        facilitator.value = "";
      }
    });
  }
  agreement.addEventListener("change", sync);
  sync();
});
