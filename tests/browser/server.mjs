// Shared by the browser tests: the release binary on a fresh demo database,
// served on a free port, and Debian's headless Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const BIN = process.env.CCHC_BIN || resolve(here, '../../build/cchc');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let liveServer = null;   // killed on any exit, even an interrupted one
process.on('exit', () => { if (liveServer && liveServer.exitCode === null) liveServer.kill('SIGKILL'); });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

// Throws when the release binary or Chromium is missing.
export function checkTools() {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "make" first`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run "scripts/deps browser"`);
}

// A fresh data directory with `cchc init --demo`; returns {dir, init, accounts}
// (accounts: [username, role, password] lines of demo-accounts.txt, [] if init failed).
export function demoDataDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const init = spawnSync(BIN, ['init', '--data', dir, '--demo'], { encoding: 'utf8' });
  const accounts = init.status !== 0 ? [] :
    readFileSync(join(dir, 'demo-accounts.txt'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
  return { dir, init, accounts };
}

// Removes a data directory made by demoDataDir.
export function removeDataDir(dir) { rmSync(dir, { recursive: true, force: true }); }

// A TCP port free on 127.0.0.1.
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

// Starts `cchc serve` and resolves once it prints that it is serving.
export function startServer(dataDir, port) {
  return new Promise((res, rej) => {
    const proc = liveServer = spawn(BIN, ['serve', '--data', dataDir, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const timer = setTimeout(() => rej(new Error(`server did not start in 20 s\n${out}${err}`)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      if (out.includes('serving')) { clearTimeout(timer); res(proc); }
    });
    proc.stderr.on('data', (d) => { err += d; });
    proc.once('exit', (code) => { clearTimeout(timer); rej(new Error(`server exited (${code})\n${out}${err}`)); });
  });
}

// Stops a server started by startServer (SIGTERM, then SIGKILL after 8 s).
export function stopServer(proc) {
  return new Promise((res) => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) { res(); return; }
    const kill = setTimeout(() => proc.kill('SIGKILL'), 8000);
    proc.once('exit', () => { clearTimeout(kill); res(); });
    proc.kill('SIGTERM');
  });
}

// Launches headless Chromium.
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
