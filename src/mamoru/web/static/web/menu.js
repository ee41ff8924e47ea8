// The main menu's groups are <details> disclosures and work without this script. With it,
// opening one group closes the others, and Escape or a click elsewhere closes them all.
(function () {
  "use strict";
  function groups() {
    return document.querySelectorAll(".site-nav__details");
  }
  function closeAll(except) {
    groups().forEach(function (group) {
      if (group !== except) {
        group.open = false;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    groups().forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (group.open) {
          closeAll(group);
        }
      });
    });
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest(".site-nav__details")) {
      closeAll(null);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var open = document.querySelector(".site-nav__details[open]");
      if (open) {
        open.open = false;
        open.querySelector("summary").focus();
      }
    }
  });
})();
