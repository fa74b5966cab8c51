// Filter a ranking table by community, without any library or network access.
// A table is filterable when it sits in <div class="gs-filterable">; the column
// headed 社区 gives the choices. Works with Material's instant navigation.
(function () {
  "use strict";

  function setUp(wrapper) {
    if (wrapper.dataset.ready) return;
    var table = wrapper.querySelector("table");
    if (!table) return;
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    var column = headers.indexOf("社区");
    if (column < 0) return;
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var names = [];
    rows.forEach(function (row) {
      var name = row.cells[column].textContent.trim();
      if (names.indexOf(name) < 0) names.push(name);
    });
    var bar = document.createElement("div");
    bar.className = "gs-filter-bar gs-no-print";
    var label = document.createElement("label");
    label.textContent = "按社区筛选：";
    var select = document.createElement("select");
    select.setAttribute("aria-label", "按社区筛选");
    [["", "全部社区"]].concat(names.map(function (n) { return [n, n]; })).forEach(function (pair) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      rows.forEach(function (row) {
        var match = !select.value || row.cells[column].textContent.trim() === select.value;
        row.style.display = match ? "" : "none";
      });
    });
    label.appendChild(select);
    bar.appendChild(label);
    wrapper.insertBefore(bar, wrapper.firstChild);
    wrapper.dataset.ready = "1";
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".gs-filterable"), setUp);
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(init); // Material's instant loading
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
