// Enhancements only: every page works without this file.
// Print buttons stay hidden unless the browser can run window.print().
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});

// Reload and the back gesture keep the person's place. Each screen's answers live in its
// form (hidden fields); here each screen also becomes an entry in the browser's own session
// history (history.state), never in the address, a cookie or the server. The back gesture
// shows the previous screen, a reload shows the same screen, by posting the kept answers
// again with action "show". Nothing is sent that the form would not send.
(function () {
  var moves = 0;  // back and forward gestures so far: a reply asked for before one is stale

  function interviewForm() {
    return document.querySelector("#main form[data-interview]");
  }

  function field(form, name) {
    return form.elements[name] ? form.elements[name].value : "";
  }

  function stateOf(form) {
    return {
      backspasm: 1,
      path: form.getAttribute("action"),
      answers: field(form, "answers"),
      steps: field(form, "steps"),
      understood: field(form, "understood"),
      about: field(form, "about"),
      embed: field(form, "embed")
    };
  }

  function same(a, b) {
    return !!a && !!b && a.backspasm === 1 && a.answers === b.answers &&
      a.steps === b.steps && (a.understood || "") === b.understood &&
      (a.about || "") === b.about;
  }

  function address(state) {
    return state.path + (state.embed === "1" ? "?embed=1" : "");
  }

  function shown(detail) {  // was this reply the page for a kept state?
    var sent = detail && detail.requestConfig && detail.requestConfig.formData;
    return !!(sent && sent.get && sent.get("action") === "show");
  }

  // Each screen the person moves to by answering (or Back, or fixing what was read) becomes
  // a new entry; a kept state shown again already has its entry.
  function record(event) {
    var form = interviewForm();
    if (!form || shown(event.detail)) { return; }
    var state = stateOf(form);
    if (!same(history.state, state)) {
      history.pushState(state, "", address(state));
    }
  }

  function show(state) {
    var values = { answers: state.answers, steps: state.steps, action: "show" };
    ["understood", "about", "embed"].forEach(function (name) {
      if (state[name]) { values[name] = state[name]; }
    });
    window.htmx.ajax("POST", state.path, {
      target: "#main", select: "#main", swap: "outerHTML", values: values
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var kept = history.state;
    var form = interviewForm();
    if (kept && kept.backspasm === 1 && window.htmx && !(form && same(kept, stateOf(form)))) {
      show(kept);  // a reload: the page came back empty, the browser still has the answers
      return;
    }
    if (form && !kept) {
      history.replaceState(stateOf(form), "", window.location.href);  // a page loaded whole
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    event.detail.xhr.backspasmMoves = moves;
  });

  // A reply that arrives after a back or forward gesture would put the wrong screen over
  // the one the person went to: it is dropped.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.backspasmMoves !== moves) { event.detail.shouldSwap = false; }
  });

  document.addEventListener("htmx:afterSwap", record);

  window.addEventListener("popstate", function (event) {
    var state = event.state;
    moves += 1;
    if (state && state.backspasm === 1 && window.htmx) {
      show(state);
    } else if (interviewForm()) {
      window.location.reload();  // back to the start page, which holds no answers
    }
  });
})();
