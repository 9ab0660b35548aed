(function () {
  "use strict";
  var controls = {
    q: document.getElementById("filter-q"),
    lang: document.getElementById("filter-lang"),
    show: document.getElementById("filter-show")
  };
  var rows = document.querySelectorAll("tr.index-row");
  var counter = document.getElementById("shown");
  function readHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    controls.q.value = params.get("q") || "";
    controls.lang.value = params.get("lang") || "";
    controls.show.value = params.get("show") || "";
  }
  function writeHash() {
    var params = new URLSearchParams();
    if (controls.q.value) { params.set("q", controls.q.value); }
    if (controls.lang.value) { params.set("lang", controls.lang.value); }
    if (controls.show.value) { params.set("show", controls.show.value); }
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }
  function matches(row) {
    var q = controls.q.value.trim().toLowerCase();
    if (q && row.dataset.search.indexOf(q) === -1) { return false; }
    var lang = controls.lang.value;
    var show = controls.show.value;
    if (lang && (" " + row.dataset.langs + " ").indexOf(" " + lang + " ") === -1) { return false; }
    if (!show) { return true; }
    var key = lang ? show + "-" + lang : show;
    return Number(row.dataset[key.replace(/-(\w)/g, function (m, c) { return c.toUpperCase(); })] || 0) > 0;
  }
  function apply() {
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var ok = matches(rows[i]);
      rows[i].hidden = !ok;
      if (ok) { shown++; }
    }
    counter.textContent = String(shown);
  }
  function changed() { writeHash(); apply(); }
  controls.q.addEventListener("input", changed);
  controls.lang.addEventListener("change", changed);
  controls.show.addEventListener("change", changed);
  window.addEventListener("hashchange", function () { readHash(); apply(); });
  readHash();
  apply();
})();
