// The 大字 (large text) switch for older readers, without any library or network access.
// Loaded in <head> (overrides/main.html) so a remembered choice applies before the first paint:
// the class gs-large on <html> enlarges every size by 25% (assets/a11y.css). Once the page is
// parsed, a toggle button (aria-pressed) goes into the header. Without JavaScript there is no
// switch and the page is as it always was.
(function () {
  "use strict";

  var KEY = "gridscore.largeText";
  var root = document.documentElement;

  function remembered() {
    try {
      return window.localStorage.getItem(KEY) === "1";
    } catch (error) { // storage disabled (private mode, strict settings): the switch still works on this page
      return false;
    }
  }

  function remember(on) {
    try {
      if (on) window.localStorage.setItem(KEY, "1");
      else window.localStorage.removeItem(KEY);
    } catch (error) { /* not remembered; nothing else to do */ }
  }

  function apply(on) {
    root.classList.toggle("gs-large", on);
    var buttons = document.querySelectorAll(".gs-large-text-switch");
    for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    document.dispatchEvent(new Event("gridscore:textsize")); // tables may now overflow (gridscore.js)
  }

  apply(remembered());

  function addSwitch() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".gs-large-text-switch")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "gs-large-text-switch gs-no-print";
    button.textContent = "大字";
    button.title = "放大页面文字（再按一次恢复）";
    button.setAttribute("aria-label", "大字模式：放大页面文字");
    button.setAttribute("aria-pressed", root.classList.contains("gs-large") ? "true" : "false");
    button.addEventListener("click", function () {
      var on = !root.classList.contains("gs-large");
      apply(on);
      remember(on);
    });
    // After the site title, before the search button: reachable with Tab right after the title.
    var title = header.querySelector(".md-header__title");
    header.insertBefore(button, title ? title.nextSibling : null);
  }

  // Material's search dialog has no name of its own (axe: aria-dialog-name).
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role='dialog']");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "站内搜索");
  }

  function init() {
    addSwitch();
    nameSearchDialog();
  }

  // Another tab changed the choice: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) apply(event.newValue === "1");
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
