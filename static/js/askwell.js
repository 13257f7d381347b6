// Small progressive enhancements; every page works without this file.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-tag-suggestion]");
  if (!button) return;
  const input = button.closest(".field").querySelector("[data-tag-input]");
  const parts = input.value.split(/[,\s]+/).filter(Boolean);
  parts.pop();
  parts.push(button.dataset.tagSuggestion);
  input.value = parts.join(", ") + ", ";
  input.focus();
  button.closest(".tag-suggestions").remove();
});
