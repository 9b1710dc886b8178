// After htmx replaces an appointment row, put the keyboard focus back on that row and announce
// its new status, so keyboard and screen reader users know what happened (WCAG 2.4.3, 4.1.3).
document.body.addEventListener("htmx:afterSwap", (event) => {
  const id = event.detail.target.id;
  if (!id || !id.startsWith("appointment-")) return;
  const row = document.getElementById(id);
  if (!row) return;
  const header = row.querySelector("th");
  if (header) {
    header.setAttribute("tabindex", "-1");
    header.focus();
  }
  const live = document.getElementById("counter-status");
  const status = row.querySelector(".status");
  if (live && status) {
    live.textContent = `${header ? header.textContent.trim() : ""}: ${status.textContent.trim()}`;
  }
});

// The walk-in queue refreshes itself every few seconds. A refresh would take the focus away from
// someone working in the list with the keyboard, so it waits while the focus is inside it.
document.body.addEventListener("htmx:beforeRequest", (event) => {
  const queue = event.detail.elt;
  if (queue.id !== "walk-in-queue" || event.detail.requestConfig.verb !== "get") return;
  if (queue.contains(document.activeElement)) event.preventDefault();
});

// A refresh after the session ended is redirected to the login page: never swap that page into
// the queue; reload instead, which shows the login page whole.
document.body.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.target.id !== "walk-in-queue") return;
  const url = event.detail.xhr.responseURL || "";
  if (url && !url.includes("/counter/walk-ins/")) {
    event.detail.shouldSwap = false;
    window.location.reload();
  }
});

// After a walk-in action (not a refresh), announce what happened and put the focus on the queue's
// heading: the button that was pressed is gone with the old list.
document.body.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.target.id !== "walk-in-queue" || event.detail.requestConfig.verb === "get") return;
  const said = document.querySelector("#walk-in-queue [data-announce]");
  const live = document.getElementById("queue-status");
  if (live) live.textContent = said ? said.textContent.trim() : "";
  const heading = document.getElementById("walk-in-heading");
  if (heading && !(event.detail.requestConfig.elt || {}).closest?.("#walk-in-form")) heading.focus();
});

// A ticket was given: empty the form for the next person (the language goes back to its preset).
document.body.addEventListener("walk-in-added", () => {
  const form = document.getElementById("walk-in-form");
  if (form) form.reset();
});

// Check-in and "did not come" are shown disabled until they are allowed ("from 10:30"); enable
// them once that moment has passed, without a reload. The server checks the time again.
function enableDueButtons() {
  const now = Date.now();
  document.querySelectorAll("button[data-enable-at]").forEach((button) => {
    if (Date.parse(button.dataset.enableAt) <= now) {
      button.disabled = false;
      button.removeAttribute("data-enable-at");
      const hint = document.getElementById(button.getAttribute("aria-describedby"));
      button.removeAttribute("aria-describedby");
      if (hint) hint.remove();
    }
  });
}
setInterval(enableDueButtons, 15000);
