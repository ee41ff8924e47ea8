/*
 * The report's steps: the "今の日時を入れる" (now) button fills its date and time boxes
 * with the current moment in the platform's time zone, without a round trip. Without
 * this script the button submits the form and the server fills them in. Once the person
 * submits a step, autosave stands down (a pending save would only race the real one).
 * No inline code: the Content Security Policy allows only scripts served by the platform.
 */
(function () {
  "use strict";

  function parts(zone) {
    var found = {};
    new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date())
      .forEach(function (part) {
        found[part.type] = part.value;
      });
    return found;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList && form.classList.contains("step-form")) {
      form.setAttribute("data-submitting", "true");
      form.dispatchEvent(new Event("htmx:abort"));
    }
  });

  // htmx asks before each request; none once the step is being submitted.
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (form && form.getAttribute("data-submitting") === "true") {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-now]");
    if (!button || !button.form) {
      return;
    }
    event.preventDefault();
    var name = button.getAttribute("data-now");
    var now = parts(button.getAttribute("data-zone") || "Asia/Tokyo");
    var day = button.form.querySelector('[name="' + name + '_date"]');
    var clock = button.form.querySelector('[name="' + name + '_time"]');
    if (!day || !clock) {
      return;
    }
    day.value = now.year + "-" + now.month + "-" + now.day;
    clock.value = now.hour + ":" + now.minute;
    clock.dispatchEvent(new Event("change", { bubbles: true }));
    var status = document.getElementById(name + "-now-status");
    if (status) {
      status.textContent = day.value + " " + clock.value;
    }
  });
})();
