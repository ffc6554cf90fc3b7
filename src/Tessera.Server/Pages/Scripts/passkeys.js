// Tessera's only script: the WebAuthn half of the passkey forms (sign-in, the code page, the security page). It is
// served by the server itself, so the pages' CSP allows it with script-src 'self' and no inline script. A form marked
// data-passkey="get" or "create" asks the server for options (a POST with the form's anti-forgery token), lets the
// browser's authenticator answer, and posts the answer as JSON in the form's "credential" field.
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  for (const form of document.querySelectorAll('form[data-passkey]')) {
    form.addEventListener('submit', event => {
      event.preventDefault();
      usePasskey(form);
    });
  }
});

async function usePasskey(form) {
  const problem = form.querySelector('[data-passkey-problem]');
  // The sentences come from the page (data-* of the problem element), in the page's language; English if absent.
  const words = (name, english) => (problem && problem.dataset[name]) || english;
  const say = text => {
    if (problem) {
      // An alert only once there is something to say: a hidden, empty alert would still count as one.
      problem.setAttribute('role', 'alert');
      problem.textContent = text;
      problem.hidden = false;
    }
  };
  if (!window.PublicKeyCredential || !PublicKeyCredential.parseRequestOptionsFromJSON) {
    say(words('unsupported', 'This browser cannot use passkeys.'));
    return;
  }
  try {
    const token = form.querySelector('input[name="__RequestVerificationToken"]').value;
    const response = await fetch(form.dataset.options, {
      method: 'POST',
      headers: { 'RequestVerificationToken': token },
      credentials: 'same-origin',
    });
    if (!response.ok) {
      say(response.status === 429
        ? words('tooMany', 'Too many attempts. Try again in a minute.')
        : words('notStarted', 'The passkey check could not start.'));
      return;
    }
    const options = await response.json();
    const credential = form.dataset.passkey === 'create'
      ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
      : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
    form.querySelector('input[name="credential"]').value = JSON.stringify(credential.toJSON());
    form.submit();
  } catch (error) {
    say(words('notUsed', 'No passkey was used.') + ' (' + error.name + ')');
  }
}
