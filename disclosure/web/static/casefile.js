// The case file's upload: drop a file onto the upload field (the field itself still works).
document.addEventListener("DOMContentLoaded", () => {
  for (const zone of document.querySelectorAll(".dropzone")) {
    const input = zone.querySelector("input[type=file]");
    if (!input) continue;
    const stop = (event) => { event.preventDefault(); event.stopPropagation(); };
    for (const name of ["dragenter", "dragover"]) {
      zone.addEventListener(name, (event) => { stop(event); zone.classList.add("dragging"); });
    }
    for (const name of ["dragleave", "dragend"]) {
      zone.addEventListener(name, () => zone.classList.remove("dragging"));
    }
    zone.addEventListener("drop", (event) => {
      stop(event);
      zone.classList.remove("dragging");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }
});
