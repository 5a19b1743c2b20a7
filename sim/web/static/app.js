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

  // "+ Ajouter une ligne" asks the server for row number n: one more than the highest on the page.
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt.hasAttribute("data-next-row")) return;
    var highest = -1;
    document.querySelectorAll("#editor-rows input[name^='qty-']").forEach(function (input) {
      highest = Math.max(highest, parseInt(input.name.slice(4), 10));
    });
    event.detail.parameters.n = highest + 1;
  });
})();
