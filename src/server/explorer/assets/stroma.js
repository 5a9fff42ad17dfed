// Stroma's explorer: progressive enhancement only. Every page works without this script; it
// adds suggestions as you type (the browser's own <datalist>, filled from /api/suggest with
// the resolver's ranking) and the query editor (vendored CodeMirror, Ctrl+Enter to run).
"use strict";

(function () {
  const list = document.getElementById("suggestions");
  const hrefs = new Map();
  let pending = null;
  let asked = "";

  async function suggest(text) {
    asked = text;
    try {
      const response = await fetch("/api/suggest?q=" + encodeURIComponent(text));
      if (!response.ok || asked !== text) return;
      const hits = await response.json();
      if (asked !== text) return;
      hrefs.clear();
      list.replaceChildren(
        ...hits.map((hit) => {
          const option = document.createElement("option");
          option.value = hit.label;
          option.label = hit.type + " · " + hit.id;
          // Two entities may share a label: the better-ranked one keeps it.
          if (!hrefs.has(hit.label)) hrefs.set(hit.label, hit.href);
          return option;
        })
      );
    } catch (_) {
      // Suggestions are a convenience: a failed request leaves the box as it was.
    }
  }

  for (const input of document.querySelectorAll("input[data-suggest]")) {
    input.addEventListener("input", () => {
      const text = input.value.trim();
      clearTimeout(pending);
      if (text.length === 0) {
        asked = ""; // an answer still on its way is for a text that is gone
        list.replaceChildren();
        return;
      }
      pending = setTimeout(() => suggest(text), 120);
    });
    // A search for exactly a suggested name opens that entity's page; any other text lists
    // the matches.
    if (input.name === "q" && input.form) {
      input.form.addEventListener("submit", (event) => {
        const href = hrefs.get(input.value);
        if (href) {
          event.preventDefault();
          window.location.assign(href);
        }
      });
    }
  }

  // The query editor: CodeMirror (vendored, loaded by the query page only) over the page's
  // <textarea>, which still carries the query when the form is sent. Ctrl+Enter runs; the line
  // a syntax error names is marked.
  const textarea = document.querySelector("textarea[data-editor]");
  if (textarea) {
    let editor = null;
    const run = () => {
      if (editor) editor.save();
      textarea.form.requestSubmit();
    };
    editor = window.CodeMirror
      ? window.CodeMirror.fromTextArea(textarea, {
          mode: "application/sparql-query",
          lineNumbers: true,
          matchBrackets: true,
          indentUnit: 2,
          viewportMargin: Infinity,
          extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run },
          screenReaderLabel: textarea.getAttribute("aria-label"),
        })
      : null;
    if (editor) {
      const failure = document.querySelector(".error pre");
      const at = failure && / at (\d+):(\d+):/.exec(failure.textContent);
      if (at) {
        const line = Number(at[1]) - 1;
        editor.addLineClass(line, "background", "cm-error-line");
        editor.setCursor({ line, ch: Math.max(Number(at[2]) - 1, 0) });
      }
    } else {
      textarea.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          run();
        }
      });
    }
  }
})();
