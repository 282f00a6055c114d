// The contract check of the HTTP test client (tests/support/contract.c):
// validates every response the suite receives against the served OpenAPI
// document, by operation and status, with ajv (JSON Schema 2020-12).
// Usage: node validate.mjs DOCUMENT.json, then one JSON line per response
// on stdin: {"method","path","status","content_type","body"}; answers one
// line each: "ok", "skip" (not an API path) or "fail: why". "ping" answers "ok"
// once the schemas are compiled.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const doc = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc, 'openapi.json');

// Paths with the fewest {parameters} first: /calendar/add before /calendar/{year}.
const routes = Object.keys(doc.paths).map((p) => ({
  template: p,
  params: (p.match(/\{/g) || []).length,
  re: new RegExp('^' + p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+') + '$'),
})).sort((a, b) => a.params - b.params);

const pointer = (...parts) => parts.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const compiled = new Map();
function validatorAt(ref) {
  if (!compiled.has(ref)) compiled.set(ref, ajv.getSchema('openapi.json#' + ref));
  return compiled.get(ref);
}

function isApiPath(path) { return path.startsWith('/api/') || path === '/healthz'; }

// The JSON-pointer of the response object declared for the operation and status.
function declaredResponse(template, method, status) {
  const op = doc.paths[template][method];
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => op.responses[k]);
  if (!key) return null;
  let ref = '/' + pointer('paths', template, method, 'responses', key);
  let obj = op.responses[key];
  if (obj.$ref) { ref = obj.$ref.slice(1); obj = obj.$ref.slice(2).split('/').reduce((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc); }
  return { ref, obj };
}

function checkBody(r, ref, obj) {
  const media = obj.content && obj.content['application/json'];
  if (!media) return r.body.length === 0 ? 'ok' : `fail: ${r.status} is declared without a body, got ${r.body.length} bytes`;
  if (r.method === 'HEAD') return 'ok';
  if (!/^application\/json\b/i.test(r.content_type || '')) return `fail: Content-Type ${r.content_type || '(none)'} instead of application/json`;
  let value;
  try { value = JSON.parse(r.body); } catch (e) { return `fail: the body is not JSON (${e.message})`; }
  const validate = validatorAt(ref + '/' + pointer('content', 'application/json', 'schema'));
  if (!validate) return `fail: no schema at ${ref}`;
  if (validate(value)) return 'ok';
  return 'fail: ' + ajv.errorsText(validate.errors, { dataVar: 'body', separator: '; ' }).slice(0, 800);
}

const errorRef = '/components/schemas/Error';
function checkAsError(r, why) {
  if (r.status < 400) return `fail: ${why}`;
  let value;
  try { value = JSON.parse(r.body); } catch { return `fail: ${why}, and the error body is not JSON`; }
  const v = validatorAt(errorRef);
  return v(value) ? 'ok' : 'fail: error body: ' + ajv.errorsText(v.errors, { dataVar: 'body' });
}

function check(r) {
  const path = r.path.split('?')[0].split('#')[0];
  if (!isApiPath(path)) return 'skip';
  const route = routes.find((x) => x.re.test(path));
  const method = r.method.toLowerCase() === 'head' ? 'get' : r.method.toLowerCase();
  if (!route) return checkAsError(r, `${r.method} ${path}: no such path in the document`);
  if (!doc.paths[route.template][method]) return checkAsError(r, `${r.method} ${route.template}: no such operation`);
  const d = declaredResponse(route.template, method, r.status);
  if (!d) return `fail: ${r.method} ${route.template} answered ${r.status}, which the document does not declare`;
  return checkBody(r, d.ref, d.obj);
}

// Compile every declared response schema now, so that answers come at once.
for (const [template, item] of Object.entries(doc.paths))
  for (const method of Object.keys(item))
    for (const status of Object.keys(item[method].responses)) {
      const d = declaredResponse(template, method, status);
      if (d.obj.content) validatorAt(d.ref + '/' + pointer('content', 'application/json', 'schema'));
    }
validatorAt(errorRef);

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  let answer;
  try { answer = line === 'ping' ? 'ok' : check(JSON.parse(line)); } catch (e) { answer = `fail: validator: ${e.message}`; }
  process.stdout.write(answer.replace(/\n/g, ' ') + '\n');
});
