// The copy buttons (a new personal access token): data-copy names the element whose text is copied. The button is
// hidden until this script runs, so a browser without script (or without the clipboard API) shows no dead button.
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const source = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.status);
    if (!source) continue;
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        if (status) status.textContent = button.dataset.copied;
      } catch {
        if (status) status.textContent = button.dataset.failed;
      }
    });
  }
});
