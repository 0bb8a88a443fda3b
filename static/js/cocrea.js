/* Small enhancements; every page works without this file. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]")) {
      target.form.submit();
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
