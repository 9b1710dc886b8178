// After htmx replaces an appointment row, put the keyboard focus back on that row and announce
// its new status, so keyboard and screen reader users know what happened (WCAG 2.4.3, 4.1.3).
document.body.addEventListener("htmx:afterSwap", (event) => {
  const row = document.getElementById(event.detail.target.id);
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
