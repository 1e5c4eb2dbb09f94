// The visit page while the citizen may check in or waits to be let in (#28):
// progressive enhancement. Every so often the page is fetched again and, when
// the visit's state has changed (checked in elsewhere, let in by the clinician),
// the state section is replaced; it is a polite live region, so a screen reader
// reads the change. Without JavaScript the page has a link that checks.
(function () {
  "use strict";
  var section = document.getElementById("visit-state");
  if (!section || !window.fetch || !window.DOMParser) {
    return;
  }
  var seconds = parseInt(section.getAttribute("data-refresh"), 10) || 15;

  function check() {
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) {
          return;
        }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("visit-state");
        if (fresh && fresh.getAttribute("data-state") !== section.getAttribute("data-state")) {
          section.innerHTML = fresh.innerHTML;
          section.setAttribute("data-state", fresh.getAttribute("data-state"));
          if (!fresh.getAttribute("data-refresh")) {
            return; // nothing more to wait for
          }
        }
        window.setTimeout(check, seconds * 1000);
      })
      .catch(function () {
        window.setTimeout(check, seconds * 1000);
      });
  }
  window.setTimeout(check, seconds * 1000);
})();
