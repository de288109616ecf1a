// Attendance: "Everyone present" ticks every "present" choice in the page at once (without
// JavaScript the same link reloads the form with everyone present). The user then changes the
// few absent ones with the keyboard or the mouse, and saves.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector("[data-all-present]");
  if (!button) {
    return;
  }
  button.addEventListener("click", function (event) {
    var radios = document.querySelectorAll('.attendance-table input[type="radio"][value="present"]');
    if (!radios.length) {
      return;
    }
    event.preventDefault();
    Array.prototype.forEach.call(radios, function (radio) {
      radio.checked = true;
    });
    var status = document.getElementById("all-present-status");
    if (status) {
      status.textContent = status.getAttribute("data-done");
    }
    radios[0].focus();
  });
});
