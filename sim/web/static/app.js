/* advsim — the few behaviours htmx attributes cannot express without evaluating
   code in the page (the Content-Security-Policy allows scripts from files only). */
(function () {
  "use strict";

  // Quote/order editor: "✕" removes its line, then the totals are recomputed.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (!button) return;
    var form = button.form || document.querySelector("form.editor");
    button.closest("tr").remove();
    if (form && window.htmx) htmx.trigger(form, "change");
  });

  // Editor: Enter in a field moves to the next field (as in the ERPs candidates know), never submits
  // a half-typed document; on the last field of the last line it adds a line. Only the button submits.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) return;
    var field = event.target;
    var form = field.closest && field.closest("form.editor");
    if (!form || field.tagName !== "INPUT" || field.type === "submit" || field.type === "button") return;
    event.preventDefault();
    var fields = Array.prototype.filter.call(form.querySelectorAll("input, select, textarea"), function (el) {
      return el.type !== "hidden" && !el.disabled && el.offsetParent !== null;
    });
    var next = fields[fields.indexOf(field) + 1];
    var row = field.closest("#editor-rows tr");
    var lastOfLines = row && (!next || next.closest("#editor-rows") === null);
    if (lastOfLines && row.querySelector("input[name^='product-']").value.trim() !== "") {
      var add = form.querySelector("[data-next-row]");  // leaving the last line: a new empty line first
      if (add && window.htmx) {
        htmx.trigger(add, "click");
        document.body.addEventListener("htmx:afterSettle", function moveOn() {
          document.body.removeEventListener("htmx:afterSettle", moveOn);
          var rows = form.querySelectorAll("#editor-rows tr");
          var input = rows.length && rows[rows.length - 1].querySelector("input");
          if (input) input.focus();
        });
        return;
      }
    }
    if (next) {
      next.focus();
      if (next.select) next.select();
    }
  });

  // "+ Ajouter une ligne" asks the server for row number n: one more than the highest on the page.
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt.hasAttribute("data-next-row")) return;
    var highest = -1;
    document.querySelectorAll("#editor-rows input[name^='qty-']").forEach(function (input) {
      highest = Math.max(highest, parseInt(input.name.slice(4), 10));
    });
    event.detail.parameters.n = highest + 1;
  });

  // The sim clock ticks in the page: from the time the server gave and the
  // clock's speed (0: paused); the server stays the reference at each page.
  var loaded = Date.now();
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    document.querySelectorAll(".simclock[data-sim]").forEach(function (el) {
      var speed = parseFloat(el.getAttribute("data-speed")) || 0;
      var base = new Date(el.getAttribute("data-sim"));
      if (isNaN(base.getTime())) return;
      var t = new Date(base.getTime() + (Date.now() - loaded) * speed);
      el.textContent = pad(t.getDate()) + "/" + pad(t.getMonth() + 1) + "/" + t.getFullYear() + " " +
        pad(t.getHours()) + ":" + pad(t.getMinutes());
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("htmx:afterSwap", function () { loaded = Date.now(); });

  // A fragment that shows its own refusal (data-swap-refusal, e.g. a project's checklist): its 422 (or 409)
  // answer holds the form again with the message next to the field, so it replaces the fragment like a 200.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var status = event.detail.xhr.status;
    if ((status === 422 || status === 409) && target && target.hasAttribute && target.hasAttribute("data-swap-refusal")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A form that ends something asks first (data-confirm="…").
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // Line editor: a product suggestion fills its line, then the totals, stock and flags follow.
  document.addEventListener("click", function (event) {
    var choice = event.target.closest("[data-fill]");
    var form = choice && choice.closest("form.editor, form.compose, form.pick-customer");
    if (!form) return;
    var input = form.querySelector("input[name='" + choice.getAttribute("data-fill") + "']");
    if (!input) return;
    input.value = choice.getAttribute("data-value");
    choice.closest(".suggestions").innerHTML = "";
    input.dispatchEvent(new Event("change", { bubbles: true }));
    var row = input.closest("tr");  // a product: its quantity next; the customer: the first product
    var next = row ? row.querySelector("input[name^='qty-']") : form.querySelector("input[name^='product-']");
    if (next) next.focus();
    else if (form.querySelector("button")) form.querySelector("button").focus();  // a form that only picks the customer
  });

  // ...and the list closes when the line's product field (or the customer field) is left.
  document.addEventListener("focusout", function (event) {
    var cell = event.target.closest && event.target.closest(".product-cell, .suggest-field");
    if (!cell) return;
    setTimeout(function () {
      if (!cell.contains(document.activeElement)) cell.querySelector(".suggestions").innerHTML = "";
    }, 150);
  });
})();
