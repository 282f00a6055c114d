// The API contract gates of make test, on the served document:
//   1. @redocly/cli lint (recommended rules, redocly.yaml): 0 errors, 0 warnings;
//   2. openapi-typescript generates the client types, and tsc --noEmit
//      type-checks client.ts against them;
//   3. client.ts, compiled, runs against the live server: it logs in, lists
//      plans and units, reads a task and posts an update.
// (Every JSON response of the HTTP tests is validated against the same
// document by tests/support/contract.c and validate.mjs.)
// Prints the document's counts and "contract: N passed, M failed".
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tests = resolve(here, '..');
const BIN = process.env.CCHC_BIN || resolve(here, '../../build/cchc');
const bin = (name) => join(tests, 'node_modules', '.bin', name);

let passed = 0;
const failures = [];
function check(name, ok, detail = '') {
  if (ok) { passed++; console.log(`  ok   ${name}`); }
  else { failures.push(name); console.log(`  FAIL ${name}${detail ? ': ' + detail : ''}`); }
  return ok;
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

function startServer(dataDir, port) {
  return new Promise((res, rej) => {
    const proc = spawn(BIN, ['serve', '--data', dataDir, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => rej(new Error(`server did not start\n${out}`)), 20000);
    proc.stdout.on('data', (d) => { out += d; if (out.includes('serving')) { clearTimeout(timer); res(proc); } });
    proc.stderr.on('data', (d) => { out += d; });
    proc.once('exit', (code) => { clearTimeout(timer); rej(new Error(`server exited (${code})\n${out}`)); });
  });
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: tests, ...opts });
  return { status: r.status, stdout: r.stdout || '', out: (r.stdout || '') + (r.stderr || '') };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cchc-contract-'));
  let server = null;
  try {
    const init = spawnSync(BIN, ['init', '--data', join(dir, 'data'), '--demo'], { encoding: 'utf8' });
    if (!check('cchc init --demo', init.status === 0, init.stderr)) return;
    const port = await freePort();
    server = await startServer(join(dir, 'data'), port);
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
    const accounts = readFileSync(join(dir, 'data', 'demo-accounts.txt'), 'utf8').split('\n').map((l) => l.split('\t'));
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
    if (server) { server.kill('SIGTERM'); await new Promise((r) => server.once('exit', r)); }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { failures.push('contract'); console.log(`  FAIL ${e.stack || e}`); })
  .finally(() => {
    console.log(`contract: ${passed} passed, ${failures.length} failed`);
    process.exitCode = failures.length ? 1 : 0;
  });
