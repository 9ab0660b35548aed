(function () {
  "use strict";
  var lang = document.getElementById("filter-lang");
  var show = document.getElementById("filter-show");
  function readHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    lang.value = params.get("lang") || "";
    show.value = params.get("show") || "";
  }
  function writeHash() {
    var params = new URLSearchParams();
    if (lang.value) { params.set("lang", lang.value); }
    if (show.value) { params.set("show", show.value); }
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }
  function apply() {
    var rows = document.querySelectorAll("tr.seg");
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var langOk = lang.value === "" || row.dataset.lang === lang.value;
      var showOk = show.value === "" || Number(row.dataset[show.value] || 0) > 0;
      row.hidden = !(langOk && showOk);
    }
  }
  function changed() { writeHash(); apply(); }
  lang.addEventListener("change", changed);
  show.addEventListener("change", changed);
  window.addEventListener("hashchange", function () { readHash(); apply(); });
  readHash();
  apply();
})();
