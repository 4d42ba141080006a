// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Live search progress: re-fetch a status fragment until it says it is done.
  function poll(el) {
    var url = el.getAttribute("data-poll");
    if (!url) { return; }
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var box = document.createElement("div");
          box.innerHTML = html;
          var next = box.querySelector("#search-status");
          if (!next) { return; }
          // Keep the live region itself so screen readers announce the change.
          el.innerHTML = next.innerHTML;
          el.setAttribute("data-state", next.getAttribute("data-state") || "");
          el.className = next.className;
          if (next.hasAttribute("data-poll")) { poll(el); } else { el.removeAttribute("data-poll"); }
        })
        .catch(function () { window.setTimeout(function () { poll(el); }, 3000); });
    }, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll]").forEach(poll);
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
    var summary = document.querySelector("[data-focus]");
    if (summary) { summary.focus(); }
  });
})();
