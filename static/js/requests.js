// Offer request form: offer only the contact persons of the chosen partner.
// Progressive enhancement: without JavaScript every contact is listed with its organisation
// and the server refuses a contact of another partner.
document.addEventListener("DOMContentLoaded", function () {
  var partner = document.getElementById("id_partner");
  var contact = document.getElementById("id_contact");
  if (!partner || !contact) {
    return;
  }
  function sync() {
    var chosen = partner.value;
    Array.prototype.forEach.call(contact.options, function (option) {
      if (!option.value) {
        return;
      }
      var fits = !!chosen && option.getAttribute("data-organisation") === chosen;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) {
        contact.value = "";
      }
    });
  }
  partner.addEventListener("change", sync);
  sync();
});
