/* The archive's small, optional enhancements. Every page works without them.
 *
 * - Timeline: "Expand all" / "Collapse all" buttons for the years.
 * - Print: every closed <details> (timeline years, "more" lists) opens before printing
 *   and closes again afterwards.
 * - "Cite this article": a Copy button next to the Chicago and APA references.
 * - Material's search dialog gets an accessible name.
 */
(function () {
  "use strict";

  function timelineControls() {
    var tl = document.querySelector(".md-typeset .tl");
    if (!tl || tl.previousElementSibling && tl.previousElementSibling.classList.contains("tl-controls")) {
      return;
    }
    var years = tl.querySelectorAll("details.tl-year");
    if (years.length < 2) {
      return;
    }
    var bar = document.createElement("div");
    bar.className = "tl-controls";
    [["Expand all years", true], ["Collapse all years", false]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = spec[0];
      button.addEventListener("click", function () {
        years.forEach(function (d) { d.open = spec[1]; });
      });
      bar.appendChild(button);
    });
    tl.parentNode.insertBefore(bar, tl);
  }

  function copyButtons() {
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    document.querySelectorAll(".md-typeset .archive-cite p").forEach(function (p) {
      var label = p.querySelector("strong");
      var name = label ? label.textContent.replace(/:$/, "").trim() : "";
      if ((name !== "Chicago" && name !== "APA") || p.querySelector(".archive-copy")) {
        return;
      }
      var text = p.textContent.slice(label.textContent.length).trim();
      var button = document.createElement("button");
      button.type = "button";
      button.className = "archive-copy";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy the " + name + " reference");
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(text).then(
          function () { button.textContent = "Copied"; },
          function () { button.textContent = "Select and copy"; }
        );
      });
      p.appendChild(button);
    });
  }

  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".md-typeset details:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  /* Material's search overlay has role="dialog" but no accessible name. */
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role='dialog']:not([aria-label]):not([aria-labelledby])");
    var input = dialog && dialog.querySelector("input[aria-label]");
    if (dialog) {
      dialog.setAttribute("aria-label", input ? input.getAttribute("aria-label") : "Search");
    }
  }

  function init() {
    nameSearchDialog();
    timelineControls();
    copyButtons();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  /* Material: runs on every page, instant navigation too */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
