// The billing page: the tenant's current plan, the plans it can subscribe to (Stripe Checkout), and "Manage billing"
// (Stripe's portal). The tenant comes from the token, never from this page; Stripe's URLs are used at once, never stored.
const pageUrl = new URL(window.location.href);
// A real SPA stays signed in across the round trip to Stripe (its sign-in library sees to it). This one keeps the
// pasted token, and the ?api= override that Stripe's redirect drops, in this tab's sessionStorage.
const session = window.sessionStorage;
if (pageUrl.searchParams.has('api')) {
  session.setItem('billing-api', pageUrl.searchParams.get('api'));
}
const apiBase = session.getItem('billing-api') ?? document.querySelector('meta[name="billing-api"]').content;
const tokenField = document.getElementById('access-token');
tokenField.value = session.getItem('billing-token') ?? '';
const errorText = document.getElementById('billing-error');
const currentPlan = document.getElementById('current-plan');
const plansSection = document.getElementById('plans');

// Subscriptions that still bill or can be revived in the portal: subscribing again would double-bill (the API answers 409).
const liveStatuses = new Set(['active', 'trialing', 'past_due', 'unpaid', 'paused']);
// The query marker of the portal's way back.
const returnMarker = 'returned';
// The page is in English, and so are its amounts and dates, whatever the browser's language.
const locale = document.documentElement.lang;

function showError(message) {
  errorText.textContent = message;
  errorText.hidden = false;
}

// Calls the API as the token's user. Throws an Error whose message can be shown as it is.
async function api(method, path, body) {
  let response;
  try {
    response = await fetch(`${apiBase}/api/subscriptions/${path}`, {
      method,
      headers: { Authorization: `Bearer ${tokenField.value.trim()}`, ...(body && { 'Content-Type': 'application/json' }) },
      body: body && JSON.stringify(body),
    });
  } catch {
    throw new Error('The billing service could not be reached.');
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    // Every error body of the API carries a human-readable "error".
    throw Object.assign(new Error(answer.error ?? `The billing service answered ${response.status}.`), { status: response.status });
  }
  return answer;
}

// Asks for a Stripe session (portal or Checkout) and goes there; every button waits meanwhile, so one click is one session.
async function redirectTo(path, body) {
  errorText.hidden = true;
  const buttons = document.querySelectorAll('main button');
  buttons.forEach(button => { button.disabled = true; });
  try {
    const { url } = await api('POST', path, body);
    window.location.assign(url);
  } catch (error) {
    showError(error.message);
  } finally {
    buttons.forEach(button => { button.disabled = false; });
  }
}

const formatDate = iso => new Date(iso).toLocaleDateString(locale, { dateStyle: 'long' });

function formatPrice(plan) {
  if (plan.unitAmount === null) {
    return `per ${plan.interval}`; // a tiered or custom price: Checkout shows it
  }
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency: plan.currency });
  // Stripe counts in the currency's smallest unit: cents for USD, yen itself for JPY.
  const amount = plan.unitAmount / 10 ** money.resolvedOptions().maximumFractionDigits;
  return `${money.format(amount)} / ${plan.interval}`;
}

// Without a Stripe customer (404) the tenant never subscribed.
async function loadState(sync) {
  try {
    return await (sync ? api('POST', 'sync') : api('GET', 'current'));
  } catch (error) {
    if (error.status === 404) {
      return { status: 'none' };
    }
    throw error;
  }
}

function showState(state, plans) {
  const subscribed = state.status !== 'none';
  document.getElementById('no-subscription').hidden = subscribed;
  document.getElementById('subscription').hidden = !subscribed;
  if (subscribed) {
    const plan = plans.find(offered => offered.priceId === state.priceId);
    document.getElementById('subscription-status').textContent = state.status.replaceAll('_', ' ');
    document.getElementById('subscription-plan').textContent = plan ? `${plan.name}, ${formatPrice(plan)}` : state.priceId;
    document.getElementById('subscription-period-end').textContent = state.currentPeriodEnd ? formatDate(state.currentPeriodEnd) : '–';
  }
  // cancelAt is a date chosen in the portal; cancelAtPeriodEnd ends it with the current period.
  const cancelsOn = liveStatuses.has(state.status) && (state.cancelAt ?? (state.cancelAtPeriodEnd ? state.currentPeriodEnd : null));
  const cancels = document.getElementById('subscription-cancels');
  cancels.textContent = cancelsOn ? `Cancels on ${formatDate(cancelsOn)}` : '';
  cancels.hidden = !cancelsOn;
  currentPlan.hidden = false;
}

function showPlans(plans) {
  const template = document.getElementById('plan-template').content.firstElementChild;
  document.getElementById('plan-list').replaceChildren(...plans.map(plan => {
    const item = template.cloneNode(true);
    item.querySelector('.plan-name').textContent = plan.name;
    item.querySelector('.plan-price').textContent = formatPrice(plan);
    item.querySelector('button').addEventListener('click', () => redirectTo('checkout', { priceId: plan.priceId }));
    return item;
  }));
  plansSection.hidden = plans.length === 0;
}

async function loadBilling() {
  if (!tokenField.value.trim()) {
    currentPlan.hidden = plansSection.hidden = true;
    return;
  }
  // Back from Checkout or the portal, Stripe's event may not have arrived yet: sync, so the page shows what the user
  // just did there.
  const backFromStripe = pageUrl.searchParams.get('checkout') === 'success' || pageUrl.searchParams.get('portal') === returnMarker;
  try {
    const [state, { plans }] = await Promise.all([loadState(backFromStripe), api('GET', 'plans')]);
    showState(state, plans);
    showPlans(liveStatuses.has(state.status) ? [] : plans);
    // Only once that worked, so that a reload or a corrected token syncs again.
    pageUrl.searchParams.delete('checkout');
    pageUrl.searchParams.delete('session_id');
    pageUrl.searchParams.delete('portal');
    history.replaceState(history.state, '', pageUrl);
  } catch (error) {
    showError(error.message);
  }
}

// The portal sends the user back to this page, marked so that the page knows to sync (a path: the API resolves it on
// App:PublicUrl, the only origin it lets the portal return to).
document.getElementById('manage-billing').addEventListener('click', () =>
  redirectTo('portal', { returnUrl: `${pageUrl.pathname}?portal=${returnMarker}` }));

// The token is pasted or typed: ask the API once it stops changing, not on every keystroke.
let loadTimer;
tokenField.addEventListener('input', () => {
  errorText.hidden = true;
  session.setItem('billing-token', tokenField.value.trim());
  clearTimeout(loadTimer);
  loadTimer = setTimeout(loadBilling, 300);
});
loadBilling();
