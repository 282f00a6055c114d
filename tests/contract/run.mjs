// The API contract gates of make test, on the served document:
//   1. @redocly/cli lint (recommended rules, redocly.yaml): 0 errors, 0 warnings;
//   2. openapi-typescript generates the client types, and tsc --noEmit
//      type-checks client.ts against them;
//   3. client.ts, compiled, runs against the live server: it logs in, lists
//      plans and units, reads a task and posts an update.
// (Every JSON response of the HTTP tests is validated against the same
// document by tests/support/contract.c and validate.mjs.)
// Prints the document's counts and "contract: N passed, M failed".
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoDataDir, removeDataDir, freePort, startServer, stopServer } from '../browser/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const tests = resolve(here, '..');
const bin = (name) => join(tests, 'node_modules', '.bin', name);

let passed = 0;
const failures = [];
function check(name, ok, detail = '') {
  if (ok) { passed++; console.log(`  ok   ${name}`); }
  else { failures.push(name); console.log(`  FAIL ${name}${detail ? ': ' + detail : ''}`); }
  return ok;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: tests, ...opts });
  return { status: r.status, stdout: r.stdout || '', out: (r.stdout || '') + (r.stderr || '') };
}

async function main() {
  const { dir, init, accounts } = demoDataDir('cchc-contract-');
  let server = null;
  try {
    if (!check('cchc init --demo', init.status === 0, init.stderr)) return;
    const port = await freePort();
    server = await startServer(dir, port);
    const base = `http://127.0.0.1:${port}`;
    const res = await fetch(`${base}/api/v1/openapi.json`);
    const text = await res.text();
    if (!check('GET /api/v1/openapi.json', res.status === 200)) return;
    const docPath = join(dir, 'openapi.json');
    writeFileSync(docPath, text);
    const doc = JSON.parse(text);
    const ops = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    console.log(`  document: OpenAPI ${doc.openapi}, ${ops} operations, ${Object.keys(doc.components.schemas).length} schemas, ` +
                `${Object.keys(doc.components.responses).length} shared error responses, ` +
                `${doc.components.schemas.ErrorDetail.properties.code.enum.length} error codes`);

    const lint = run(bin('redocly'), ['lint', '--config', join(here, 'redocly.yaml'), '--format=json', docPath]);
    let totals = null;
    try { totals = JSON.parse(lint.stdout).totals; } catch { /* reported below */ }
    check('redocly lint: 0 errors, 0 warnings', totals && totals.errors === 0 && totals.warnings === 0,
          totals ? JSON.stringify(totals) + '\n' + run(bin('redocly'), ['lint', '--config', join(here, 'redocly.yaml'), docPath]).out.slice(-3000)
                 : lint.out.slice(-2000));

    mkdirSync(join(here, 'generated'), { recursive: true });
    const gen = run(bin('openapi-typescript'), [docPath, '-o', join(here, 'generated', 'cchc-api.d.ts')]);
    if (!check('openapi-typescript generates the client types', gen.status === 0, gen.out)) return;
    const tsc = run(bin('tsc'), ['--noEmit', '-p', join(here, 'tsconfig.json')]);
    if (!check('tsc --noEmit: client.ts type-checks against the document', tsc.status === 0, tsc.out)) return;

    const outDir = join(dir, 'js');
    const emit = run(bin('tsc'), ['-p', join(here, 'tsconfig.json'), '--outDir', outDir]);
    if (!check('tsc compiles client.ts', emit.status === 0, emit.out)) return;
    const thanhtra = accounts.find((a) => a[0] === 'thanhtra');
    const motcua = accounts.find((a) => a[0] === 'motcua');
    writeFileSync(join(outDir, 'package.json'), '{"type":"module"}');
    const client = run(process.execPath, [join(outDir, 'client.js')],
                       { env: { ...process.env, CCHC_URL: base, CCHC_USER: 'thanhtra', CCHC_PASSWORD: thanhtra[2], CCHC_UNIT: 'TTRA',
                                CCHC_ONESTOP_USER: 'motcua', CCHC_ONESTOP_PASSWORD: motcua[2] } });
    check('the typed client logs in, reads a task and posts an update', client.status === 0 && client.out.includes('updated task'), client.out);
    check('the typed client receives a dossier and looks it up by its code', client.status === 0 && client.out.includes('received dossier'), client.out);
    if (client.status === 0) console.log('  ' + client.out.trim());
  } finally {
    await stopServer(server);
    removeDataDir(dir);
  }
}

main().catch((e) => { failures.push('contract'); console.log(`  FAIL ${e.stack || e}`); })
  .finally(() => {
    console.log(`contract: ${passed} passed, ${failures.length} failed`);
    process.exitCode = failures.length ? 1 : 0;
  });
