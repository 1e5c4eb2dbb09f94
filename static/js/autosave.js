// Autosave for forms marked data-autosave: a short pause after typing sends the
// form in the background. Without JavaScript the Save button does the same.
(function () {
  "use strict";
  function setup(form) {
    var status = form.querySelector("[data-autosave-status]");
    var timer = null;
    var dirty = false;
    function say(text) { if (status) { status.textContent = text; } }
    function save() {
      timer = null;
      if (form.querySelector("input[type=file]") && Array.prototype.some.call(
          form.querySelectorAll("input[type=file]"), function (input) { return input.files.length > 0; })) {
        say(form.dataset.msgFile || "");
        return;
      }
      var body = new FormData(form);
      say(form.dataset.msgSaving || "…");
      fetch(form.getAttribute("action") || window.location.href, { method: "POST", body: body, headers: { "X-Autosave": "1" }, credentials: "same-origin" })
        .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
        .then(function (result) {
          if (result[0] && result[1].ok) {
            dirty = false;
            var values = result[1].set || {};
            Object.keys(values).forEach(function (name) {
              var input = form.elements.namedItem(name);
              if (input) { input.value = values[name]; }
            });
            say(result[1].message || form.dataset.msgSaved || "");
          }
          else { say((form.dataset.msgNotSaved || "") + " " + (result[1].errors || []).join(" ")); }
        })
        .catch(function () { say(form.dataset.msgOffline || ""); });
    }
    function changed() {
      dirty = true;
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, 1200);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), setup);
  });
})();
