// Progressive enhancement only: every page works without this file.
import { initAll } from "/static/build/govuk-frontend.min.js";

initAll();

document.querySelectorAll("[data-mle-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
