// Ranking tables: filter by community and sort by a column, without any library or network access.
// A table in <div class="gs-filterable"> has a filter bar rendered with the page (communities in the
// organization's order, hidden until this script runs); each row says its community in data-community.
// ?community=<id> in the address chooses one, and choosing one updates the address (a link can be shared).
// A table in <div class="gs-sortable"> sorts by a column when its header is clicked or pressed (Enter/Space).
// Works with Material's instant navigation.
(function () {
  "use strict";

  function filterable(wrapper) {
    var bar = wrapper.querySelector(".gs-filter-bar");
    var select = bar && bar.querySelector("select");
    var table = wrapper.querySelector("table");
    if (!select || !table) return;
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    function apply() {
      rows.forEach(function (row) {
        row.hidden = !!select.value && row.getAttribute("data-community") !== select.value;
      });
    }
    var wanted = new URLSearchParams(window.location.search).get("community");
    if (wanted && Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) {
      select.value = wanted;
    }
    select.addEventListener("change", function () {
      var url = new URL(window.location.href);
      if (select.value) url.searchParams.set("community", select.value);
      else url.searchParams.delete("community");
      window.history.replaceState(window.history.state, "", url.toString());
      apply();
    });
    bar.hidden = false;
    apply();
  }

  function key(cell) {
    var text = cell.getAttribute("data-sort") || cell.textContent.trim();
    var number = parseFloat(text);
    return isNaN(number) || !/^[-\d.]/.test(text) ? { text: text } : { number: number };
  }

  function compare(a, b) {
    if (a.number !== undefined && b.number !== undefined) return a.number - b.number;
    if (a.number !== undefined) return -1;
    if (b.number !== undefined) return 1;
    return a.text.localeCompare(b.text, "zh-CN");
  }

  function sortable(wrapper) {
    var table = wrapper.querySelector("table");
    if (!table || !table.tBodies.length) return;
    var body = table.tBodies[0];
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    headers.forEach(function (th, column) {
      th.tabIndex = 0;
      th.setAttribute("role", "columnheader");
      th.setAttribute("aria-sort", "none");
      th.title = "按“" + th.textContent.trim() + "”排序";
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var rows = Array.prototype.slice.call(body.rows);
        var keyed = rows.map(function (row, index) {
          return { row: row, key: key(row.cells[column]), index: index };
        });
        keyed.sort(function (x, y) {
          var order = compare(x.key, y.key);
          return (ascending ? order : -order) || x.index - y.index;
        });
        keyed.forEach(function (item) { body.appendChild(item.row); });
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sort();
        }
      });
    });
  }

  // A table wider than the screen scrolls sideways: its scroll box must be reachable by keyboard
  // (WCAG 2.1.1), so one that overflows gets a tab stop and a name.
  function scrollable() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "表格（可左右滚动）");
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  function init() {
    scrollable();
    Array.prototype.forEach.call(document.querySelectorAll(".gs-filterable"), function (wrapper) {
      if (wrapper.dataset.ready) return;
      filterable(wrapper);
      if (wrapper.classList.contains("gs-sortable")) sortable(wrapper);
      wrapper.dataset.ready = "1";
    });
  }

  window.addEventListener("resize", scrollable);
  document.addEventListener("gridscore:textsize", scrollable);

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(init); // Material's instant loading
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
