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
  // The idea page has one reply form (<template id="reply-form-template">): opening "Reply"
  // under a comment puts a copy of it there, for that comment. Without this file, the link in
  // its place reloads the page with the form under the comment (?reply=<comment>).
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.matches || !details.matches("details.reply") || !details.open) { return; }
    var slot = details.querySelector(".reply__slot");
    var template = document.getElementById("reply-form-template");
    var pk = slot && slot.getAttribute("data-reply-to");
    if (!template || !/^[0-9]+$/.test(pk || "") || slot.querySelector("form")) { return; }
    slot.innerHTML = template.innerHTML.split("__reply__").join(pk);
    if (window.htmx) { window.htmx.process(slot); }
  }, true);
  // htmx swaps the vote button, a like button, a comment form: keep keyboard focus in the
  // new one so keyboard voting, liking and commenting flow.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (document.activeElement !== document.body) { return; }
    var target = event.detail.target;
    var swapped = target && target.id && document.getElementById(target.id);
    if (!swapped && event.detail.elt && event.detail.elt.classList && event.detail.elt.classList.contains("vote")) {
      swapped = event.detail.elt;
    }
    var focus = swapped && swapped.querySelector(".vote__button, .comment-like button, .comment-form textarea");
    if (focus) { focus.focus(); }
  });
})();
