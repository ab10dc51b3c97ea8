// Small enhancements only; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Ask before closing actions that cannot be undone.
  for (const form of document.querySelectorAll('form[action$="/actions/reply"], form[action$="/actions/withdraw"], form[action$="/actions/abandon"]')) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm("该操作将办结此申请，确定吗？")) event.preventDefault();
    });
  }
  // Ask before a step the page warns about (data-confirm holds the question).
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // Fields for some choices only: data-when="kind:reply art35;variant:already_public" shows
  // the field while the form's `kind` is reply or art35 and its `variant` already_public
  // ("|" between such groups: either); otherwise it is hidden and its inputs disabled, so
  // they are not sent. Without JavaScript every field shows (its label says when it applies).
  for (const form of document.querySelectorAll("form")) {
    const parts = Array.from(form.querySelectorAll("[data-when]"));
    if (!parts.length) continue;
    const holds = (condition) => {
      const [name, values] = condition.split(":");
      const control = form.elements.namedItem(name);
      return control !== null && values.split(" ").includes(control.value);
    };
    const applies = (el) => el.dataset.when.split("|").some((group) => group.split(";").every(holds));
    const update = () => {
      for (const el of parts) {
        const shown = applies(el);
        el.hidden = !shown;
        for (const input of el.querySelectorAll("input, select, textarea")) input.disabled = !shown;
      }
    };
    form.addEventListener("change", update);
    update();
  }
  // Keep the open action visible after an error.
  const open = document.querySelector("details[open]");
  if (open) open.scrollIntoView({ block: "center" });
});
