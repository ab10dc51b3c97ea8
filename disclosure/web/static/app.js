// Small enhancements only; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Ask before closing actions that cannot be undone.
  for (const form of document.querySelectorAll('form[action$="/actions/reply"], form[action$="/actions/withdraw"], form[action$="/actions/abandon"]')) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm("该操作将办结此申请，确定吗？")) event.preventDefault();
    });
  }
  // Keep the open action visible after an error.
  const open = document.querySelector("details[open]");
  if (open) open.scrollIntoView({ block: "center" });
});
