// examples/web in Debian's Chromium, driven by playwright-core: what a person sees.
// Run by tests/e2e/run.sh, which starts the API and the static servers and sets:
//   PW_E2E_API       the API's origin
//   PW_E2E_WEB       an origin listed in the API's CORS_ORIGINS, serving examples/web
//   PW_E2E_FOREIGN   another origin serving the same page, NOT listed in CORS_ORIGINS
//   PW_E2E_CHROMIUM  the browser executable
//   PW_E2E_SCREENSHOTS (optional) a directory for screenshots
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const API = process.env.PW_E2E_API;
const WEB = process.env.PW_E2E_WEB;
const FOREIGN = process.env.PW_E2E_FOREIGN;
const SHOTS = process.env.PW_E2E_SCREENSHOTS || '';
assert.ok(API && WEB && FOREIGN, 'PW_E2E_API, PW_E2E_WEB and PW_E2E_FOREIGN must be set');

const SLUG = 'backend-developer';
const pageUrl = (origin) => `${origin}/?api=${encodeURIComponent(API)}&path=${SLUG}`;
const TIMEOUT = 15000;

// Poll fn() until it returns true (or throw its last message after TIMEOUT ms).
async function eventually(what, fn) {
  const end = Date.now() + TIMEOUT;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last === true) return;
    } catch (err) {
      last = err.message;
    }
    if (Date.now() > end) assert.fail(`${what}: still ${JSON.stringify(last)} after ${TIMEOUT} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function textIs(locator, expected) {
  await eventually(`text of ${locator}`, async () => {
    const t = (await locator.innerText()).trim();
    return t === expected ? true : t;
  });
}

// The API asked directly, without the browser. Connection: close, so no idle keep-alive
// socket holds the process open after the last test.
function api(path, { headers = {}, ...init } = {}) {
  return fetch(API + path, { ...init, headers: { ...headers, Connection: 'close' } });
}

async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

let browser;
let roadmap; // the document as the API serves it, to compare the page with
const errors = []; // uncaught exceptions in pages served from the allowed origin

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.PW_E2E_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const res = await api(`/v1/paths/${SLUG}/roadmap`);
  assert.equal(res.status, 200);
  roadmap = await res.json();
});

after(async () => {
  if (browser) await browser.close();
});

async function openPage(origin) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  if (origin === WEB) page.on('pageerror', (err) => errors.push(err.message));
  return { context, page };
}

const stageHeadings = (page) => page.locator('#roadmap').getByRole('heading', { level: 2 });
const box = (page, title) => page.getByRole('checkbox', { name: `Done: ${title}`, exact: true });

describe('the roadmap page, served from an allowed origin', () => {
  let context;
  let page;
  const email = `e2e-${Date.now()}-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'a long enough e2e password';
  let first; // the first two Foundation steps
  let second;

  before(async () => {
    ({ context, page } = await openPage(WEB));
    first = roadmap.stages[0].steps[0].title;
    second = roadmap.stages[0].steps[1].title;
  });
  after(async () => {
    if (context) await context.close();
  });

  test('shows the path, its stages in order, steps with hours and skills', async () => {
    const roadmapResponse = page.waitForResponse((r) => r.url().endsWith(`/v1/paths/${SLUG}/roadmap`));
    await page.goto(pageUrl(WEB));
    const res = await roadmapResponse;
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['access-control-allow-origin'], WEB, 'the API allows the page origin');

    await page.getByRole('heading', { level: 1, name: 'Backend Developer' }).waitFor();
    await eventually('four stage headings', async () => (await stageHeadings(page).count()) === 4);
    assert.deepEqual(await stageHeadings(page).allInnerTexts(), [
      'Foundation',
      'Intermediate',
      'Advanced',
      'Professional',
    ]);
    // The same stages and steps, in the same order, as the API's document.
    assert.deepEqual(
      await stageHeadings(page).allInnerTexts(),
      roadmap.stages.map((s) => s.title),
    );
    const stages = page.locator('section.stage');
    for (let i = 0; i < roadmap.stages.length; i++) {
      const titles = await stages.nth(i).getByRole('heading', { level: 3 }).allInnerTexts();
      assert.deepEqual(titles, roadmap.stages[i].steps.map((s) => s.title), `steps of stage ${i + 1}`);
    }
    const foundation = stages.first();
    assert.match(await foundation.locator('.stage-meta').innerText(), /Months 0–3/);
    assert.match(await stages.last().locator('.stage-meta').innerText(), /Months 12\+/);

    const step = foundation.locator('li.step').first();
    assert.equal(first, 'Choose and master one programming language');
    assert.equal((await step.getByRole('heading', { level: 3 }).innerText()).trim(), first);
    assert.equal((await step.locator('.step-hours').innerText()).trim(), '60 hours');
    const skills = await step.getByRole('list', { name: `Skills for ${first}` }).getByRole('listitem').allInnerTexts();
    assert.ok(skills.includes('Python'), `skills of the first step: ${skills}`);
    assert.ok(skills.includes('JavaScript'), `skills of the first step: ${skills}`);

    const salaries = page.getByRole('table');
    await salaries.getByRole('rowheader', { name: 'Junior Backend Developer' }).waitFor();
    assert.match(await salaries.innerText(), /\$60,000–\$80,000/);
    await page.getByRole('region', { name: 'Related paths' }).getByRole('link', { name: 'Frontend Developer' }).waitFor();

    // Signed out: no checkboxes, a login form.
    assert.equal(await page.getByRole('checkbox').count(), 0);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    assert.equal(await page.getByRole('alert').filter({ hasText: /./ }).count(), 0, 'no error shown');
  });

  test('a new learner creates an account and ticks two Foundation steps', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Display name').fill('Edie Tester');
    await page.getByRole('button', { name: 'Create account' }).click();

    await textIs(page.locator('#user-name'), 'Edie Tester');
    await textIs(page.locator('#percent'), '0% done (0 of 20 steps)');
    await eventually('20 visible checkboxes', async () => (await page.getByRole('checkbox').count()) === 20);
    assert.equal(await box(page, first).isChecked(), false);

    await box(page, first).check();
    await textIs(page.locator('#percent'), '5% done (1 of 20 steps)');
    await box(page, second).check();
    await textIs(page.locator('#percent'), '10% done (2 of 20 steps)');
    const doneHours = roadmap.stages[0].steps[0].estimated_hours + roadmap.stages[0].steps[1].estimated_hours;
    const leftHours = roadmap.totals.estimated_hours - doneHours;
    await textIs(page.locator('#hours'), `${doneHours} hours done, ${leftHours} hours to go`);
    await shot(page, 'signed-in');
  });

  test('after a reload the ticks are still there (fetched again from the API)', async () => {
    const progressResponse = page.waitForResponse((r) => r.url().includes('/v1/me/progress?'));
    await page.reload();
    assert.equal((await progressResponse).status(), 200);
    await textIs(page.locator('#percent'), '10% done (2 of 20 steps)');
    assert.equal(await box(page, first).isChecked(), true);
    assert.equal(await box(page, second).isChecked(), true);
    assert.equal(await box(page, roadmap.stages[0].steps[2].title).isChecked(), false);
  });

  test('log out, a wrong password, log in again, untick one', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    assert.equal(await page.getByRole('checkbox').count(), 0);
    // The learner's figures are gone too (and the ones shown after logging in are fresh).
    assert.equal((await page.locator('#percent').textContent()).trim(), '');
    assert.equal((await page.locator('#hours').textContent()).trim(), '');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Log in' }).click();
    await textIs(page.locator('#form-error'), 'The email or password is wrong.');

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await textIs(page.locator('#percent'), '10% done (2 of 20 steps)');
    assert.equal(await box(page, first).isChecked(), true);

    await box(page, first).uncheck();
    await textIs(page.locator('#percent'), '5% done (1 of 20 steps)');

    // The API agrees, asked directly.
    const login = await api('/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    assert.equal(login.status, 200);
    const { access_token: token } = await login.json();
    const res = await api(`/v1/me/progress?path=${SLUG}`, { headers: { Authorization: `Bearer ${token}` } });
    const progress = await res.json();
    const done = progress.stages.flatMap((s) => s.steps).filter((s) => s.status === 'done').map((s) => s.title);
    assert.deepEqual(done, [second]);
    assert.deepEqual(errors, [], 'no uncaught errors in the page');
  });
});

describe('the same page served from an origin the API does not allow', () => {
  test('cannot load the roadmap and says so', async () => {
    const { context, page } = await openPage(FOREIGN);
    try {
      await page.goto(pageUrl(FOREIGN));
      const alert = page.getByRole('alert').filter({ hasText: 'Could not load the roadmap' });
      await alert.waitFor();
      assert.match(await alert.innerText(), /CORS_ORIGINS/);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Career path roadmap');
      assert.equal(await stageHeadings(page).count(), 0);
      await shot(page, 'foreign-origin');
    } finally {
      await context.close();
    }
    // The API is up and answers; only the browser withholds the answer from that page.
    const res = await api(`/v1/paths/${SLUG}/roadmap`, { headers: { Origin: FOREIGN } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });
});
