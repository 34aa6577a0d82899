// Real responses of the running API validated against the schemas of its own
// OpenAPI document (GET /openapi.json) with ajv (JSON Schema 2020-12, as
// OpenAPI 3.1 uses): drift between the code and openapi.yaml fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const API = process.env.PW_E2E_API;
const doc = await (await fetch(`${API}/openapi.json`)).json();
const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc, 'oas.json');

const pointer = (parts) =>
  parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** The documented path template that @a path matches. */
function templateOf(path) {
  for (const t of Object.keys(doc.paths)) {
    const re = new RegExp('^' + t.replace(/\{[^}]+\}/g, '[^/]+') + '$');
    if (re.test(path)) return t;
  }
  return null;
}

/** Follow a response $ref to components.responses. */
function responseAt(op, status) {
  let r = op.responses[String(status)] ?? op.responses.default;
  const parts = [];
  if (r && r.$ref) {
    const name = r.$ref.split('/').pop();
    return { r: doc.components.responses[name], at: ['components', 'responses', name] };
  }
  return { r, at: parts };
}

async function check(method, url, { body, token, status } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${API}${url}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (status !== undefined) assert.equal(res.status, status, `${method} ${url}: ${text}`);
  const path = url.split('?')[0];
  const t = templateOf(path);
  assert.ok(t, `${path} is not documented`);
  const op = doc.paths[t][method.toLowerCase()];
  assert.ok(op, `${method} ${t} is not documented`);
  const { r, at } = responseAt(op, res.status);
  assert.ok(r, `${method} ${t}: status ${res.status} is not documented`);
  if (res.status === 204 || res.status === 304 || !r.content) return text ? JSON.parse(text) : null;
  const type = (res.headers.get('content-type') || '').split(';')[0].trim();
  assert.ok(r.content[type], `${method} ${t} ${res.status}: content type ${type} is not documented`);
  const base = at.length
    ? [...at, 'content', type, 'schema']
    : ['paths', t, method.toLowerCase(), 'responses', op.responses[String(res.status)] ? String(res.status) : 'default', 'content', type, 'schema'];
  const validate = ajv.getSchema(`oas.json#/${pointer(base)}`) ?? ajv.compile({ $ref: `oas.json#/${pointer(base)}` });
  const data = type.endsWith('json') ? JSON.parse(text) : text;
  const ok = validate(data);
  assert.ok(ok, `${method} ${url} ${res.status} does not match the document: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 400)}`);
  return data;
}

test('public reads match their schemas', async () => {
  const roadmap = await check('GET', '/v1/paths/backend-developer/roadmap', { status: 200 });
  const stage = roadmap.stages[0];
  const step = stage.steps[0];
  const reads = [
    '/v1/paths', '/v1/paths?count=true&limit=3', '/v1/paths/backend-developer',
    '/v1/paths/backend-developer/stages', `/v1/stages/${stage.id}`, `/v1/stages/${stage.id}/steps`,
    `/v1/steps/${step.id}`, `/v1/steps/${step.id}/resources`, '/v1/skills?category=database',
    '/v1/skills/postgresql', '/v1/resources?limit=5', '/v1/paths/backend-developer/salaries',
    '/v1/paths/backend-developer/related', '/v1/mentors', '/v1/articles',
    '/v1/search?q=postgres', '/healthz', '/readyz',
  ];
  for (const url of reads) await check('GET', url, { status: 200 });
  const resources = await check('GET', '/v1/resources?limit=1', { status: 200 });
  await check('GET', `/v1/resources/${resources.data[0].id}`, { status: 200 });
  const articles = await check('GET', '/v1/articles?limit=1', { status: 200 });
  await check('GET', `/v1/articles/${articles.data[0].slug}`, { status: 200 });
  const bands = await check('GET', '/v1/paths/backend-developer/salaries', { status: 200 });
  await check('GET', `/v1/salaries/${bands.data[0].id}`, { status: 200 });
});

test('errors match the Problem schema', async () => {
  await check('GET', '/v1/skills/no-such-skill', { status: 404 });
  await check('GET', '/v1/skills?limit=0', { status: 400 });
  await check('POST', '/v1/skills', { body: {}, status: 401 });
  await check('POST', '/v1/auth/login', { body: { email: 'x' }, status: 422 });
});

test('accounts, progress and the plan match their schemas', async () => {
  const email = `contract-${process.pid}-${Date.now()}@example.com`;
  const password = 'a long enough password';
  await check('POST', '/v1/auth/register', { body: { email, password, display_name: 'Contract' }, status: 201 });
  const tokens = await check('POST', '/v1/auth/login', { body: { email, password }, status: 200 });
  const token = tokens.access_token;
  await check('GET', '/v1/me', { token, status: 200 });
  const roadmap = await check('GET', '/v1/paths/backend-developer/roadmap', { status: 200 });
  const step = roadmap.stages[0].steps[0];
  await check('PUT', `/v1/me/progress/${step.id}`, { token, body: { status: 'done' } });
  await check('GET', '/v1/me/progress?path=backend-developer', { token, status: 200 });
  await check('GET', '/v1/me/paths/backend-developer/plan?hours_per_week=10&start=2026-01-05', { token, status: 200 });
  const pair = await check('POST', '/v1/auth/refresh', { body: { refresh_token: tokens.refresh_token }, status: 200 });
  await check('POST', '/v1/auth/logout', { body: { refresh_token: pair.refresh_token } });
});
