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
  // The same for the report form of a comment (<template id="flag-form-template-comment">),
  // posted to the widget's own address (data-flag-url); without this file, the link in its
  // place opens the form on a page of its own.
  function fill(slot, html) {
    slot.innerHTML = html;
    if (window.htmx) { window.htmx.process(slot); }
  }
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.open || !details.matches) { return; }
    var slot, template, pk;
    if (details.matches("details.reply")) {
      slot = details.querySelector(".reply__slot");
      template = document.getElementById("reply-form-template");
      pk = slot && slot.getAttribute("data-reply-to");
      if (!template || !/^[0-9]+$/.test(pk || "") || slot.querySelector("form")) { return; }
      fill(slot, template.innerHTML.split("__reply__").join(pk));
    } else if (details.matches("details.flag")) {
      slot = details.querySelector(":scope > .flag__slot");
      template = slot && document.getElementById("flag-form-template-" + slot.getAttribute("data-flag-kind"));
      pk = slot && slot.getAttribute("data-flag-item");
      if (!template || !/^[0-9]+$/.test(pk || "") || slot.querySelector("form")) { return; }
      var url = slot.getAttribute("data-flag-url");
      var form = document.createElement("div");
      form.innerHTML = template.innerHTML.split("__item__").join(pk);
      form.querySelectorAll("form").forEach(function (f) {
        f.setAttribute("action", url);
        f.setAttribute("hx-post", url);
      });
      fill(slot, form.innerHTML);
    }
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
