// A career path's roadmap from the Pathways API, and a learner's progress on it.
//
// Plain ES module, no build step. Configuration comes from the query string:
//   ?api=http://127.0.0.1:8080   the API's origin (default below)
//   &path=backend-developer      the path to show
// The page must be served from an origin listed in the API's CORS_ORIGINS.
//
// Tokens (see README, "Accounts and tokens"): the access token lives in a variable only;
// the refresh token in sessionStorage, so a reload keeps the learner signed in. A request
// answered 401 is retried once after one refresh. Every text that comes from the API is
// put into the page with textContent, never parsed as HTML.

const DEFAULT_API = 'http://127.0.0.1:8080';
const DEFAULT_PATH = 'backend-developer';
const REFRESH_KEY = 'pathways.refresh_token';
const SLUG_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const $ = (id) => document.getElementById(id);

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

// ---------------------------------------------------------------------------
// Configuration

function readConfig() {
  const params = new URLSearchParams(window.location.search);
  let api;
  try {
    api = new URL(params.get('api') || DEFAULT_API);
  } catch {
    throw new Error('The api parameter is not a URL.');
  }
  if (api.protocol !== 'http:' && api.protocol !== 'https:') {
    throw new Error('The api parameter must be an http or https URL.');
  }
  const path = params.get('path') || DEFAULT_PATH;
  if (!SLUG_RE.test(path) || path.length > 64) {
    throw new Error('The path parameter is not a path slug.');
  }
  return { api: api.href.replace(/\/+$/, ''), path };
}

// ---------------------------------------------------------------------------
// HTTP and tokens

let config;
let accessToken = null;
let refreshing = null; // the refresh in flight, shared by every caller

function storedRefreshToken() {
  try {
    return window.sessionStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

function keepTokens(pair) {
  accessToken = pair.access_token;
  try {
    window.sessionStorage.setItem(REFRESH_KEY, pair.refresh_token);
  } catch {
    // no sessionStorage: the session ends with the page
  }
}

function forgetTokens() {
  accessToken = null;
  try {
    window.sessionStorage.removeItem(REFRESH_KEY);
  } catch {
    // nothing stored
  }
}

async function request(method, path, { body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(config.api + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  });
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json() : null;
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// One refresh at a time: concurrent 401s wait for the same one (a second refresh with the
// same token would look like a stolen token and end the session).
function refreshTokens() {
  if (!refreshing) {
    const token = storedRefreshToken();
    refreshing = (async () => {
      if (!token) throw new ApiError(401, { detail: 'Not signed in.' });
      try {
        keepTokens(await request('POST', '/v1/auth/refresh', { body: { refresh_token: token } }));
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) forgetTokens();
        throw err;
      }
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

// A request as the signed-in learner: on 401, refresh once and retry once.
async function authed(method, path, body) {
  if (!accessToken) await refreshTokens();
  try {
    return await request(method, path, { body, token: accessToken });
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    await refreshTokens();
    return request(method, path, { body, token: accessToken });
  }
}

// ---------------------------------------------------------------------------
// Rendering (textContent only)

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'text') node.textContent = value;
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function months(stage) {
  if (stage.end_month === null || stage.end_month === undefined) {
    return `Months ${stage.start_month}+`;
  }
  return `Months ${stage.start_month}–${stage.end_month}`;
}

function hours(n) {
  return n === 1 ? '1 hour' : `${n} hours`;
}

function renderStep(step) {
  const titleId = `step-${step.id}-title`;
  const li = el('li', { class: 'step', 'data-step-id': String(step.id) });
  const head = el('div', { class: 'step-head' });
  head.append(
    el('h3', { id: titleId, text: step.title }),
    el('span', { class: 'step-hours', text: hours(step.estimated_hours) }),
  );
  li.append(head);

  // The checkbox is there from the start and shown once a learner is signed in.
  // Its name says which step ("Done: <title>"); the visible label is just "Done".
  const box = el('input', {
    type: 'checkbox',
    id: `step-${step.id}-done`,
    class: 'done-box',
    'aria-label': `Done: ${step.title}`,
  });
  box.dataset.stepId = String(step.id);
  const label = el('label', { for: box.id, class: 'done-label' }, box, ' Done');
  label.hidden = true;
  head.append(label);

  if (step.description) li.append(el('p', { class: 'description', text: step.description }));
  if (step.skills && step.skills.length) {
    const list = el('ul', { class: 'skills', 'aria-label': `Skills for ${step.title}` });
    for (const skill of step.skills) list.append(el('li', { class: 'skill', text: skill.name }));
    li.append(list);
  }
  return li;
}

function renderStage(stage) {
  const headingId = `stage-${stage.id}-title`;
  const section = el('section', { class: 'stage', 'aria-labelledby': headingId });
  section.append(el('h2', { id: headingId, text: stage.title }));
  const meta = el('p', { class: 'stage-meta' });
  meta.append(
    el('span', { class: 'stage-number', text: `Stage ${stage.position}` }),
    ' · ',
    el('span', { class: 'months', text: months(stage) }),
    ' · ',
    el('span', { text: hours(stage.estimated_hours) }),
  );
  section.append(meta);
  if (stage.goal) section.append(el('p', { class: 'goal', text: stage.goal }));
  const list = el('ol', { class: 'steps' });
  for (const step of stage.steps) list.append(renderStep(step));
  section.append(list);
  return section;
}

function money(amount, currency) {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

function renderSalaries(bands) {
  const body = $('salaries-body');
  body.replaceChildren();
  if (!bands.length) return;
  for (const b of bands) {
    const years = b.max_years === null ? `${b.min_years}+ years` : `${b.min_years}–${b.max_years} years`;
    const pay =
      b.max_amount === null
        ? `from ${money(b.min_amount, b.currency)}`
        : `${money(b.min_amount, b.currency)}–${money(b.max_amount, b.currency)}`;
    body.append(el('tr', {}, el('th', { scope: 'row', text: b.level }), el('td', { text: years }), el('td', { text: pay })));
  }
  const first = bands[0];
  const source = [first.region, first.currency, first.as_of && `as of ${first.as_of}`].filter(Boolean).join(', ');
  $('salaries-caption').textContent = source ? `Yearly pay (${source})` : 'Yearly pay';
  $('salaries').hidden = false;
}

function renderRelated(related) {
  const list = $('related-list');
  list.replaceChildren();
  if (!related.length) return;
  for (const p of related) {
    const url = new URL(window.location.href);
    url.searchParams.set('path', p.slug);
    const item = el('li', {}, el('a', { href: url.href, text: p.title }));
    if (p.summary) item.append(el('p', { class: 'related-summary', text: p.summary }));
    list.append(item);
  }
  $('related').hidden = false;
}

function renderRoadmap(doc) {
  document.title = `${doc.title} roadmap`;
  $('path-title').textContent = doc.title;
  $('path-summary').textContent = doc.summary || '';
  const main = $('roadmap');
  main.replaceChildren();
  if (doc.totals) {
    main.append(
      el('p', {
        class: 'totals',
        text: `${doc.totals.stages} stages, ${doc.totals.steps} steps, about ${hours(doc.totals.estimated_hours)} of study`,
      }),
    );
  }
  if (!doc.stages.length) main.append(el('p', { text: 'This path has no roadmap yet.' }));
  for (const stage of doc.stages) main.append(renderStage(stage));
  main.setAttribute('aria-busy', 'false');
  renderSalaries(doc.salary_bands || []);
  renderRelated(doc.related || []);
}

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = !message;
}

function setStatus(message) {
  $('status').textContent = message;
}

// ---------------------------------------------------------------------------
// Progress

function boxes() {
  return Array.from(document.querySelectorAll('input.done-box'));
}

function showBoxes(visible) {
  for (const box of boxes()) box.closest('label').hidden = !visible;
}

function renderProgress(progress) {
  const done = new Set();
  for (const stage of progress.stages) {
    for (const step of stage.steps) if (step.status === 'done') done.add(String(step.id));
  }
  for (const box of boxes()) {
    box.checked = done.has(box.dataset.stepId);
    box.closest('li.step').classList.toggle('is-done', box.checked);
  }
  $('percent').textContent =
    `${progress.percent_done}% done (${progress.steps_done} of ${progress.steps_total} steps)`;
  $('percent-bar').value = progress.percent_done;
  $('hours').textContent = `${hours(progress.hours_done)} done, ${hours(progress.hours_left)} to go`;
}

async function loadProgress() {
  renderProgress(await authed('GET', `/v1/me/progress?path=${encodeURIComponent(config.path)}`));
}

async function onToggle(event) {
  const box = event.target;
  if (!box.classList.contains('done-box')) return;
  const id = encodeURIComponent(box.dataset.stepId);
  const wanted = box.checked;
  box.disabled = true;
  try {
    if (wanted) await authed('PUT', `/v1/me/progress/${id}`, { status: 'done' });
    else await authed('DELETE', `/v1/me/progress/${id}`);
    await loadProgress();
    showError('');
  } catch (err) {
    box.checked = !wanted;
    handleAuthError(err, 'Could not save your progress');
  } finally {
    box.disabled = false;
  }
}

// ---------------------------------------------------------------------------
// Account

async function enterSignedIn() {
  const me = await authed('GET', '/v1/me');
  $('user-name').textContent = me.display_name || me.email;
  $('login-form').hidden = true;
  $('signed-in').hidden = false;
  showBoxes(true);
  await loadProgress();
}

function enterSignedOut() {
  forgetTokens();
  $('signed-in').hidden = true;
  $('login-form').hidden = false;
  showBoxes(false);
  for (const box of boxes()) {
    box.checked = false;
    box.closest('li.step').classList.remove('is-done');
  }
  // Nothing of the last learner's stays in the page (a shared computer).
  $('percent').textContent = '';
  $('percent-bar').value = 0;
  $('hours').textContent = '';
}

function handleAuthError(err, what) {
  if (err instanceof ApiError && err.status === 401) {
    enterSignedOut();
    showError('Your session has ended. Please log in again.');
  } else {
    showError(`${what}: ${describe(err)}`);
  }
}

function describe(err) {
  if (!(err instanceof ApiError)) return 'the API could not be reached.';
  const p = err.problem;
  if (Array.isArray(p.errors) && p.errors.length) {
    return p.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  }
  if (err.status === 429) {
    return 'too many attempts; please wait a minute and try again.';
  }
  return p.detail || p.title || `HTTP ${err.status}`;
}

async function onSubmit(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const action = event.submitter && event.submitter.value === 'register' ? 'register' : 'login';
  const email = form.email.value.trim();
  const password = form.password.value;
  const formError = $('form-error');
  formError.hidden = true;
  if (!email || !password) {
    formError.textContent = 'Enter your email and password.';
    formError.hidden = false;
    return;
  }
  for (const b of form.querySelectorAll('button')) b.disabled = true;
  try {
    if (action === 'register') {
      const name = form.display_name.value.trim() || email.split('@')[0];
      await request('POST', '/v1/auth/register', { body: { email, password, display_name: name } });
    }
    keepTokens(await request('POST', '/v1/auth/login', { body: { email, password } }));
    form.password.value = '';
    await enterSignedIn();
    showError('');
  } catch (err) {
    let message;
    if (err instanceof ApiError && err.status === 401) message = 'The email or password is wrong.';
    else if (err instanceof ApiError && err.status === 409) message = 'An account with this email exists: log in instead.';
    else message = `${action === 'register' ? 'Could not create the account' : 'Could not log in'}: ${describe(err)}`;
    formError.textContent = message;
    formError.hidden = false;
  } finally {
    for (const b of form.querySelectorAll('button')) b.disabled = false;
  }
}

async function onLogout() {
  const token = storedRefreshToken();
  enterSignedOut();
  if (token) {
    try {
      await request('POST', '/v1/auth/logout', { body: { refresh_token: token } });
    } catch {
      // the tokens are gone from the page either way
    }
  }
}

// ---------------------------------------------------------------------------
// Start

async function main() {
  try {
    config = readConfig();
  } catch (err) {
    setStatus('');
    showError(err.message);
    return;
  }
  $('login-form').addEventListener('submit', onSubmit);
  $('logout').addEventListener('click', onLogout);
  $('roadmap').addEventListener('change', onToggle);

  try {
    renderRoadmap(await request('GET', `/v1/paths/${config.path}/roadmap`));
    setStatus('');
  } catch (err) {
    setStatus('');
    $('roadmap').setAttribute('aria-busy', 'false');
    $('account').hidden = true;
    if (err instanceof ApiError && err.status === 404) {
      showError(`There is no career path "${config.path}".`);
    } else {
      showError(
        `Could not load the roadmap from ${config.api}: ${describe(err)} ` +
          '(Is the API running, and does its CORS_ORIGINS list this page’s origin?)',
      );
    }
    return;
  }

  if (storedRefreshToken()) {
    try {
      await enterSignedIn();
    } catch (err) {
      handleAuthError(err, 'Could not load your progress');
    }
  }
}

main();
