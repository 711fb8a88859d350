// "Manage billing": ask the Billing API for a portal session of the signed-in user's tenant, then go there.
// The tenant comes from the token, never from this page; the URL is used at once and never stored.
const apiBase = new URLSearchParams(window.location.search).get('api')
  ?? document.querySelector('meta[name="billing-api"]').content;
const button = document.getElementById('manage-billing');
const tokenField = document.getElementById('access-token');
const errorText = document.getElementById('billing-error');

function showError(message) {
  errorText.textContent = message;
  errorText.hidden = false;
}

button.addEventListener('click', async () => {
  errorText.hidden = true;
  button.disabled = true;
  try {
    const response = await fetch(`${apiBase}/api/subscriptions/portal`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokenField.value.trim()}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok && body.url) {
      window.location.assign(body.url);
      return;
    }
    // Every error body of the API carries a human-readable "error".
    showError(body.error ?? `The billing service answered ${response.status}.`);
  } catch {
    showError('The billing service could not be reached.');
  } finally {
    button.disabled = false;
  }
});
