// Enhancements only: every page works without this file.
// Print buttons stay hidden unless the browser can run window.print().
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
