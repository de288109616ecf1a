/* "Copy" buttons next to a read-only field (the account page's new token and calendar
   address). Without JavaScript the buttons stay hidden and the field can be selected. */
"use strict";
document.querySelectorAll("[data-copy-target]").forEach(function (button) {
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field || !navigator.clipboard) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(field.value).then(function () {
      button.textContent = button.dataset.copiedText || button.textContent;
    });
  });
});
