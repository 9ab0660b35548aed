(function () {
  "use strict";
  var token = document.querySelector("meta[name='l10n-token']").content;
  var statusBox = document.getElementById("status");
  var reviewer = document.getElementById("reviewer");
  var current = null;
  var busy = false;
  var pending = [];

  function say(text, bad) {
    statusBox.textContent = text;
    statusBox.className = bad ? "bad" : "ok";
  }
  function units() {
    return Array.prototype.slice.call(document.querySelectorAll("article.unit"));
  }
  function unitOf(node) {
    return node && node.closest ? node.closest("article.unit") : null;
  }
  function select(unit, focus) {
    if (!unit) { return; }
    if (current && current !== unit) { current.classList.remove("current"); }
    current = unit;
    unit.classList.add("current");
    if (focus !== false) {
      unit.focus({ preventScroll: true });
      unit.scrollIntoView({ block: "nearest" });
      history.replaceState(null, "", "#" + unit.id);
    }
  }
  function move(step) {
    if (current && commentOnly(current)) { decide(current, "comment", false); }
    var all = units();
    if (!all.length) { return; }
    var at = all.indexOf(current);
    var next = at === -1 ? 0 : Math.min(all.length - 1, Math.max(0, at + step));
    select(all[next]);
  }
  function showProgress(progress) {
    document.querySelectorAll(".progress[data-lang]").forEach(function (node) {
      var item = progress[node.dataset.lang];
      if (!item) { return; }
      node.textContent = item.label;
      node.classList.toggle("done", Boolean(item.done));
    });
  }
  function editor(unit) { return unit.querySelector("textarea.edit"); }
  function openEditor(unit) {
    var box = editor(unit);
    box.hidden = false;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }
  function draftKey(unit) {
    return "l10n-draft:" + unit.dataset.run + ":" + unit.dataset.article + ":" + unit.id;
  }
  function unsaved(unit) {
    var box = editor(unit);
    var note = unit.querySelector("input.comment");
    return (box && box.value !== box.defaultValue) || (note && note.value !== note.defaultValue);
  }
  function commentOnly(unit) {
    var box = editor(unit);
    var note = unit.querySelector("input.comment");
    return note && note.value !== note.defaultValue && box.value === box.defaultValue;
  }
  function next() {
    busy = false;
    var item = pending.shift();
    if (item) { decide(document.getElementById(item.id), item.action, item.advance); }
  }
  function keepDraft(unit) {
    var box = editor(unit);
    if (!box) { return; }
    unit.classList.toggle("unsaved", unsaved(unit));
    try {
      if (box.value !== box.defaultValue) {
        localStorage.setItem(draftKey(unit), box.value);
      } else {
        localStorage.removeItem(draftKey(unit));
      }
    } catch (ignored) { /* storage disabled: the page still asks before leaving */ }
  }
  function restoreDrafts() {
    units().forEach(function (unit) {
      var text = null;
      try { text = localStorage.getItem(draftKey(unit)); } catch (ignored) { }
      var box = editor(unit);
      if (text !== null && box && text !== box.defaultValue) {
        box.value = text;
        box.hidden = false;
        unit.classList.add("unsaved");
        say("An unsaved edit was kept as a draft: review it and approve (Ctrl+Enter) or Esc.", true);
      }
    });
  }
  function decide(unit, action, advance, base) {
    if (!unit) { return; }
    if (busy) {  // one save at a time, in the order they were asked for
      pending.push({ id: unit.id, action: action, advance: advance });
      return;
    }
    var name = reviewer.value.trim();
    if (!name) {
      say("Type your name in Reviewer first: every decision is saved with it.", true);
      reviewer.focus();
      return;
    }
    var box = editor(unit);
    var payload = {
      run: unit.dataset.run,
      article: unit.dataset.article,
      segment: Number(unit.dataset.segment),
      lang: unit.dataset.lang,
      action: action,
      text: box.value !== box.defaultValue ? box.value : null,
      comment: unit.querySelector("input.comment").value,
      reviewer: name,
      base: base === undefined ? (unit.dataset.version || "") : base
    };
    busy = true;
    unit.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    fetch("/api/decision", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-L10n-Token": token },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) {
        pending = [];
        busy = false;
        unit.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
        say(result.data.error || "Not saved.", true);
        if (result.data.stale) {
          var mine = payload.text === null ? box.defaultValue : payload.text;
          var keep = window.confirm(
            "Another reviewer (" + (result.data.by || "someone") + ") " + result.data.status +
            " this segment since you loaded it.\n\nTheirs: " + result.data.theirs +
            "\n\nYours: " + mine + "\n\nOK saves yours over theirs; Cancel takes theirs.");
          if (keep) {
            box.defaultValue = result.data.theirs;
            box.value = mine;
            decide(unit, action, advance, result.data.version);
          } else {
            box.value = result.data.theirs;
            box.defaultValue = result.data.theirs;
            unit.dataset.version = result.data.version;
            keepDraft(unit);
            say("Theirs is shown; decide again when ready.", false);
          }
        }
        return;
      }
      try { localStorage.removeItem(draftKey(unit)); } catch (ignored) { }
      var id = unit.id;
      var wasCurrent = current === unit;
      unit.outerHTML = result.data.html;
      var fresh = document.getElementById(id);
      if (wasCurrent) { select(fresh); }
      say(result.data.message, Boolean(result.data.warning));
      showProgress(result.data.progress || {});
      if (advance) { move(1); }
      next();
    }).catch(function (error) {
      pending = [];
      busy = false;
      unit.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      say("Not saved: " + error, true);
    });
  }

  function applyName(button) {
    var name = reviewer.value.trim();
    if (!name) {
      say("Type your name in Reviewer first: every edit is saved with it.", true);
      reviewer.focus();
      return;
    }
    var segments = JSON.parse(button.dataset.segments);
    var question = "Write " + button.dataset.form + " as " + button.dataset.text + " (" +
      button.dataset.lang + ") in " + segments.length + " segment(s)?\n\nEach is saved as your " +
      "edit, not approved: approve each in its article.";
    if (!window.confirm(question)) { return; }
    button.disabled = true;
    fetch("/api/names/apply", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-L10n-Token": token },
      body: JSON.stringify({
        run: button.dataset.run,
        lang: button.dataset.lang,
        key: button.dataset.key,
        form: button.dataset.form,
        text: button.dataset.text,
        reviewer: name,
        segments: segments
      })
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) {
        button.disabled = false;
        say(result.data.error || "Not saved.", true);
        return;
      }
      try { sessionStorage.setItem("l10n-flash", result.data.message); } catch (ignored) { }
      say(result.data.message, false);
      location.reload();
    }).catch(function (error) {
      button.disabled = false;
      say("Not saved: " + error, true);
    });
  }
  function copyDraft(button) {
    var text = button.parentNode.querySelector("pre.draft-yaml").textContent;
    var done = function () { say("Glossary draft copied: paste it into your glossary.", false); };
    var manual = function () {
      var range = document.createRange();
      range.selectNodeContents(button.parentNode.querySelector("pre.draft-yaml"));
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      say("Draft selected: press Ctrl+C to copy it.", false);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, manual);
    } else {
      manual();
    }
  }

  document.addEventListener("click", function (event) {
    var named = event.target.closest ? event.target.closest("button.names-apply, button.copy-draft") : null;
    if (named) {
      if (named.classList.contains("names-apply")) { applyName(named); } else { copyDraft(named); }
      return;
    }
    var button = event.target.closest ? event.target.closest("button[data-action]") : null;
    var unit = unitOf(event.target);
    if (unit) { select(unit, false); }
    if (!button || !unit) { return; }
    var action = button.dataset.action;
    if (action === "edit") { openEditor(unit); } else { decide(unit, action, false); }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "INPUT" || tag === "SELECT") {
      var unit = unitOf(target);
      if (event.key === "Escape") {
        event.preventDefault();
        if (target.matches("textarea.edit") && target.value === target.defaultValue) {
          target.hidden = true;
        } else if (unit && unsaved(unit)) {
          keepDraft(unit);
          say("Edit not saved yet — kept as a draft in this segment (Ctrl+Enter approves).", true);
        }
        target.blur();
        if (unit) { select(unit); }
      } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && unit) {
        event.preventDefault();
        decide(unit, "approve", true);
      } else if (event.key === "Enter" && unit && target.matches("input.comment")) {
        event.preventDefault();
        target.blur();
        select(unit);
        if (target.value !== target.defaultValue) { decide(unit, "comment", false); }
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var handled = true;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "e": if (current) { openEditor(current); } break;
      case "a": decide(current, "approve", true); break;
      case "r": decide(current, "reject", true); break;
      case "c": if (current) { current.querySelector("input.comment").focus(); } break;
      case "/":
        if (document.getElementById("filter-q")) { document.getElementById("filter-q").focus(); }
        break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });

  try {
    if (!reviewer.value && localStorage.getItem("l10n-reviewer")) {
      reviewer.value = localStorage.getItem("l10n-reviewer");
    }
  } catch (ignored) { /* storage disabled: the name is asked again after a reload */ }
  reviewer.addEventListener("change", function () {
    try { localStorage.setItem("l10n-reviewer", reviewer.value.trim()); } catch (ignored) { }
  });

  document.addEventListener("input", function (event) {
    var unit = unitOf(event.target);
    if (unit) { keepDraft(unit); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (units().some(unsaved)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  restoreDrafts();

  try {
    var flash = sessionStorage.getItem("l10n-flash");
    if (flash) {
      sessionStorage.removeItem("l10n-flash");
      say(flash, false);
    }
  } catch (ignored) { /* storage disabled: the message was shown before the reload */ }

  var start = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  if (start && start.matches("article.unit")) { select(start); } else if (units().length) {
    select(units()[0], false);
  }
})();
