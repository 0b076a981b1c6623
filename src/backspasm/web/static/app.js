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
// again. Nothing is sent that the form would not send.
(function () {
  var restoring = false;

  function interviewForm() {
    return document.querySelector("#main form[data-interview]");
  }

  function stateOf(form) {
    var fields = form.elements;
    return {
      backspasm: 1,
      path: form.getAttribute("action"),
      answers: fields.answers ? fields.answers.value : "",
      steps: fields.steps ? fields.steps.value : "",
      embed: fields.embed ? fields.embed.value : ""
    };
  }

  function same(a, b) {
    return !!a && !!b && a.backspasm === 1 && a.answers === b.answers && a.steps === b.steps;
  }

  function address(state) {
    return state.path + (state.embed === "1" ? "?embed=1" : "");
  }

  function record() {
    var form = interviewForm();
    if (!form) { restoring = false; return; }
    var state = stateOf(form);
    if (same(history.state, state)) { restoring = false; return; }
    if (restoring) {
      history.replaceState(state, "", address(state));
    } else {
      history.pushState(state, "", address(state));
    }
    restoring = false;
  }

  function show(state) {
    restoring = true;
    var values = { answers: state.answers, steps: state.steps, action: "show" };
    if (state.embed) { values.embed = state.embed; }
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

  document.addEventListener("htmx:afterSettle", record);

  window.addEventListener("popstate", function (event) {
    var state = event.state;
    if (state && state.backspasm === 1 && window.htmx) {
      show(state);
    } else if (interviewForm()) {
      window.location.reload();  // back to the start page, which holds no answers
    }
  });
})();
