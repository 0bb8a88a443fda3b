/* Small enhancements; every page works without this file. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]")) {
      target.form.submit();
    }
  });
  // Too many requests (429): htmx does not swap errors by default; show the server's message
  // inside the element the request targets (HX-Reswap: beforeend), replacing an earlier one.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 429) {
      var old = event.detail.target && event.detail.target.querySelectorAll(".throttled");
      if (old) { old.forEach(function (node) { node.remove(); }); }
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // htmx swaps the vote button; keep keyboard focus on it so keyboard voting flows.
  document.addEventListener("htmx:afterSwap", function (event) {
    var button = event.detail.target && event.detail.target.id && document.querySelector("#" + event.detail.target.id + " .vote__button");
    if (!button && event.detail.elt && event.detail.elt.classList && event.detail.elt.classList.contains("vote")) {
      button = event.detail.elt.querySelector(".vote__button");
    }
    if (button && document.activeElement === document.body) { button.focus(); }
  });
})();
