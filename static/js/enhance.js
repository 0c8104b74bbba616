// Progressive enhancement only: every page works without this file.
import { initAll } from "/static/build/govuk-frontend.min.js";

initAll();

document.querySelectorAll("[data-mle-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

// Warn before the session ends, and let the person extend it (WCAG 2.2.1).
const warning = document.getElementById("session-timeout");
if (warning) {
  const after = Number(warning.dataset.after) * 1000;
  let timer;
  let returnFocus;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      returnFocus = document.activeElement;
      warning.hidden = false;
      document.getElementById("session-timeout-title").focus();
    }, after);
  };
  warning.querySelector("[data-mle-extend]").addEventListener("click", async () => {
    await fetch(warning.dataset.extendUrl, {
      method: "POST",
      headers: { "X-CSRFToken": warning.dataset.csrf },
      credentials: "same-origin",
    });
    warning.hidden = true;
    if (returnFocus && returnFocus.focus) returnFocus.focus();
    schedule();
  });
  warning.addEventListener("keydown", (event) => {
    // Keep focus inside the dialog while it is open.
    if (event.key === "Tab") {
      event.preventDefault();
      warning.querySelector("[data-mle-extend]").focus();
    } else if (event.key === "Escape") {
      warning.querySelector("[data-mle-extend]").click();
    }
  });
  schedule();
}
