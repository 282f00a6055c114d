// Accessibility and markup gate: every HTML GET route of the route table
// (`cchc routes`), reached by a crawl of same-origin links as an anonymous
// visitor and as each demo role, at desktop and phone widths:
//   - axe-core, WCAG 2.1 A and AA: no violations;
//   - html-validate (html-validate:standard) on the HTML as served: no errors;
//   - keyboard (desktop): the first Tab focuses the "skip to content" link,
//     which points into <main>; Tab reaches every visible link, button and
//     field; every focused element shows a focus indicator.
// Fails when some HTML GET route was reached by no role. Before the crawl the
// administrator uploads a small plan CSV (an import preview) and opens a
// reporting period, and the unit officer submits a report in it.
// Prints "a11y: N passed, M failed" last (N: pages × roles × widths without a
// problem; M: those with one, and routes not reached); exits non-zero on any.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { HtmlValidate } from 'html-validate';
import { BIN, checkTools, demoDataDir, removeDataDir, freePort, startServer, stopServer, launchBrowser } from './server.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// Routes of kind html that are not pages.
const NOT_PAGES = {
  '/static/{name}': 'bundled CSS and JS files',
  '/files/{sha}': 'evidence downloads (attachments, not HTML)',
  '/onestop/register.csv': 'the dossier register as a CSV download for Excel (not HTML)',
};
const PER_PATTERN = 2;           // URLs checked per route pattern and role
const MAX_TABS = 400;            // Tab presses per page at most
const JOBS = Number(process.env.A11Y_JOBS) || 3;   // roles checked at the same time
const ROLES = ['anonymous', 'admin', 'office', 'leader', 'unit', 'viewer', 'onestop', 'specialist', 'head'];   // every role of model.h
const WIDTHS = [
  { name: 'desktop', options: { viewport: { width: 1280, height: 800 } } },
  { name: 'phone', options: { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } },
];
// A plan CSV with one valid row and rows with problems: the preview shows both.
const IMPORT_CSV =
  'plan_code,area_no,area_title,number,title,lead_unit,coordinating_units,product,deadline_text\n' +
  'KH2023,I,Chỉ đạo điều hành,1,Ban hành Kế hoạch CCHC năm 2023,VP,G_PHONG_SO,Kế hoạch,Quý I/2023\n' +
  'KH2023,I,,2,Nhiệm vụ của một đơn vị không có,PHONG_KHONG_CO,,Báo cáo,Cả năm 2023\n' +
  'KH2023,I,,3,Nhiệm vụ có ngày không có thật,TTRA,,Báo cáo,31/02/2023\n';

const problems = [];             // {role, width, url, what}
const checked = new Set();       // "role width url" of every page checked
const htmlErrors = [];
let axeViolations = 0;

function problem(role, width, url, what) {
  problems.push({ role, width, url, what });
  console.log(`  FAIL [${role} ${width}] ${url}: ${what}`);
}

// The HTML GET routes of the table, as {pattern, re}.
function htmlRoutes() {
  const out = spawnSync(BIN, ['routes'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`cchc routes failed: ${out.stderr}`);
  return out.stdout.trim().split('\n').map((l) => l.split('\t'))
    .filter(([method, pattern, kind]) => method === 'GET' && kind === 'html' && !(pattern in NOT_PAGES))
    .map(([, pattern]) => ({
      pattern,
      re: new RegExp('^' + pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+') + '$'),
    }));
}

// The route pattern of a path, or null.
function patternOf(routes, path) {
  const r = routes.find((x) => x.re.test(path));
  return r ? r.pattern : null;
}

// Logs in as username in a new context of width; returns the context.
async function loginContext(browser, base, width, username, password) {
  const context = await browser.newContext({ locale: 'vi-VN', ...width.options });
  if (!username) return context;
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form[action="/login"] button[type="submit"]')]);
  await page.close();
  return context;
}

// As the administrator: uploads IMPORT_CSV through the import form.
async function createImport(context, base) {
  const page = await context.newPage();
  await page.goto(`${base}/admin/imports`);
  const form = page.locator('form[action="/admin/imports"][method="post"]');
  await form.locator('input[type="file"]').setInputFiles({ name: 'kh2023-a11y.csv', mimeType: 'text/csv', buffer: Buffer.from(IMPORT_CSV) });
  const title = form.locator('input[name="plan_title"]');
  if (await title.count()) await title.fill('Kế hoạch CCHC năm 2023 (kiểm thử)');
  for (const f of ['year_from', 'year_to']) {
    const input = form.locator(`input[name="${f}"]`);
    if (await input.count()) await input.fill('2023');
  }
  await Promise.all([page.waitForURL(/\/admin\/imports\/\d+/), form.locator('button[type="submit"]').first().click()]);
  await page.close();
}

// As the administrator: opens a reporting period with the form's defaults.
async function openPeriod(context, base) {
  const page = await context.newPage();
  await page.goto(`${base}/reports`);
  await Promise.all([page.waitForURL(/\/reports\/\d+$/), page.click('form[action="/reports"] button[type="submit"]')]);
  await page.close();
}

// As a unit officer: submits the unit's report in the first period listed.
async function submitReport(context, base) {
  const page = await context.newPage();
  await page.goto(`${base}/reports`);
  await Promise.all([page.waitForURL(/\/reports\/\d+$/), page.locator('main a[href^="/reports/"]').first().click()]);
  page.on('dialog', (d) => d.accept());          // the form asks for confirmation (data-confirm)
  const form = page.locator('form[action$="/submit"]');
  await form.locator('textarea[name="body"]').fill('Đơn vị đã hoàn thành các nhiệm vụ của kỳ (kiểm thử khả năng tiếp cận).');
  await Promise.all([page.waitForNavigation(), form.locator('button[type="submit"]').click()]);
  await page.close();
}

// Same-origin GET links of the page, without fragments, downloads or non-pages.
async function pageLinks(page, base) {
  const hrefs = await page.$$eval('a[href]:not([download])', (as) => as.map((a) => a.href));
  const out = [];
  for (const h of hrefs) {
    const u = new URL(h);
    if (u.origin !== base || u.pathname.startsWith('/static/') || u.pathname.startsWith('/files/')) continue;
    u.hash = '';
    out.push(u.pathname + u.search);
  }
  return out;
}

// Breadth-first crawl from starts at desktop width, checking each page (check:
// async (page, {url, pattern, html})); at most PER_PATTERN URLs a pattern.
// Adds role to seen[pattern] for each pattern reached; returns the URLs checked.
async function crawl(context, base, routes, starts, role, seen, check) {
  const page = await context.newPage();
  const queue = [...starts], queued = new Set(starts), perPattern = new Map(), visited = [];
  while (queue.length) {
    const url = queue.shift();
    const pat = patternOf(routes, new URL(url, base).pathname);
    if (!pat || (perPattern.get(pat) || 0) >= PER_PATTERN) continue;
    let resp;
    try { resp = await page.goto(base + url); } catch (e) { problem(role, 'desktop', url, `cannot load: ${e.message.split('\n')[0]}`); continue; }
    const final = new URL(page.url());
    const finalPath = final.pathname + final.search;
    const finalPat = patternOf(routes, final.pathname);
    if (!resp || resp.status() >= 400) { problem(role, 'desktop', url, `HTTP ${resp ? resp.status() : 'no response'}`); continue; }
    if (!(resp.headers()['content-type'] || '').startsWith('text/html')) continue;
    if (finalPath !== url && visited.includes(finalPath)) continue;   // a redirect to a page already checked
    if (!finalPat) continue;
    perPattern.set(finalPat, (perPattern.get(finalPat) || 0) + 1);
    visited.push(finalPath);
    if (!seen.has(finalPat)) seen.set(finalPat, new Set());
    seen.get(finalPat).add(role);
    for (const l of await pageLinks(page, base))
      if (!queued.has(l)) { queued.add(l); queue.push(l); }
    await check(page, { url: finalPath, pattern: finalPat, html: await resp.text() });
  }
  await page.close();
  return visited;
}

// axe-core on the loaded page: WCAG 2.1 A/AA violations.
async function runAxe(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    // empty-table-header is a best-practice rule of axe, enabled besides the WCAG ones
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, rules: { 'empty-table-header': { enabled: true } }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, AXE_TAGS);
}

// Keyboard check of the loaded page; returns a list of problems. Tab is
// pressed once per focusable element (up to MAX_TABS), then the skip link is
// followed: the next Tab must land in <main>.
async function keyboard(page) {
  const found = [];
  // Number the elements that should be reachable with Tab.
  const expected = await page.evaluate(() => {
    const sel = 'a[href], button, input, select, textarea, summary, [tabindex]';
    let n = 0;
    const list = [];
    for (const el of document.querySelectorAll(sel)) {
      const cs = getComputedStyle(el);
      if (el.matches(':disabled') || el.tabIndex < 0 || el.type === 'hidden' || el.closest('[hidden], [inert]')) continue;
      if (!el.getClientRects().length || cs.visibility === 'hidden') continue;
      if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') continue;
      el.dataset.kb = String(n++);
      // Tab stops once in a group of radio buttons (arrow keys move within it)
      const group = el.type === 'radio' && el.name ? `radio:${el.form ? [...document.forms].indexOf(el.form) : ''}:${el.name}` : el.dataset.kb;
      list.push({ group, html: el.outerHTML.slice(0, 120) });
    }
    window.__kb = [];
    document.addEventListener('focusin', (e) => {
      const el = e.target, cs = getComputedStyle(el);
      const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
      const shadow = cs.boxShadow && cs.boxShadow !== 'none';
      const r = el.getBoundingClientRect();
      const onScreen = r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
      window.__kb.push({ kb: el.dataset ? el.dataset.kb : undefined, visible: outline || shadow, onScreen, html: el.outerHTML.slice(0, 120) });
    });
    return list;
  });
  const presses = Math.min(MAX_TABS, expected.length + 3);
  for (let i = 0; i < presses; i++) await page.keyboard.press('Tab');
  const log = await page.evaluate(() => window.__kb);
  if (!log.length) return ['Tab focuses nothing'];
  const skip = await page.evaluate((kb) => {
    const el = document.querySelector(`[data-kb="${kb}"]`);
    if (!el || el.tagName !== 'A') return { ok: false, why: 'not a link' };
    const href = el.getAttribute('href') || '';
    const target = href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
    return { ok: !!target && !!target.closest('main'), text: el.textContent.trim(), href };
  }, log[0].kb);
  if (!skip.ok || !skip.text) found.push(`first Tab does not focus a skip link into <main> (${log[0].html})`);
  else if (!log[0].onScreen) found.push('the skip link stays hidden when focused');
  // Every element in DOM order is reached (all of them unless there are more than MAX_TABS).
  const reached = new Set(log.map((e) => e.kb && expected[Number(e.kb)] ? expected[Number(e.kb)].group : null));
  const inReach = expected.slice(0, presses - 3);
  const missed = [...new Map(inReach.filter((e) => !reached.has(e.group)).map((e) => [e.group, e.html])).values()];
  const groups = new Set(inReach.map((e) => e.group)).size;
  if (missed.length)
    found.push(`${missed.length} of ${groups} focusable elements (radio groups as one) not reached with Tab, e.g. ${missed.slice(0, 3).join(' | ')}`);
  const invisible = log.filter((e) => !e.visible);
  if (invisible.length)
    found.push(`${invisible.length} focused elements without a visible focus indicator, e.g. ${invisible.slice(0, 3).map((e) => e.html).join(' | ')}`);
  if (skip.ok) {
    await page.evaluate((kb) => document.querySelector(`[data-kb="${kb}"]`).focus(), log[0].kb);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(() => {
      const main = document.querySelector('main');
      const any = main && [...main.querySelectorAll('[data-kb]')].length > 0;
      return !any || !!(document.activeElement && document.activeElement.closest('main'));
    });
    if (!inMain) found.push('Enter on the skip link, then Tab, does not focus an element of <main>');
  }
  return found;
}

// The checks of a loaded page in one role and width (html-validate on v.html
// and the keyboard at desktop width only); problems go to problems[].
async function checkPage(page, v, role, width, validator) {
  const t0 = Date.now();
  for (const viol of await runAxe(page)) {
    axeViolations++;
    problem(role, width, v.url, `axe ${viol.id} (${viol.impact}): ${viol.targets.slice(0, 4).join(', ')}${viol.targets.length > 4 ? ` … (${viol.targets.length})` : ''}`);
  }
  const t1 = Date.now();
  if (width === 'desktop') {
    const report = await validator.validateString(v.html, v.url);
    for (const res of report.results)
      for (const m of res.messages)
        if (m.severity === 2) {
          htmlErrors.push(m);
          problem(role, width, v.url, `html-validate ${m.ruleId} at ${m.line}:${m.column}: ${m.message}`);
        }
    for (const k of await keyboard(page)) problem(role, width, v.url, `keyboard: ${k}`);
  }
  checked.add(`${role} ${width} ${v.url}`);
  if (process.env.A11Y_VERBOSE) console.log(`  ${Date.now() - t0} ms (axe ${t1 - t0}) [${role} ${width}] ${v.url}`);
}

// Logs in as role (none for anonymous); returns its desktop context.
async function roleContext(browser, base, accounts, role) {
  if (role === 'anonymous') return loginContext(browser, base, WIDTHS[0]);
  const acct = accounts.find((a) => a[1] === role);
  if (!acct) throw new Error(`no demo account with role ${role}`);
  return loginContext(browser, base, WIDTHS[0], acct[0], acct[2]);
}

// Crawls and checks as role at desktop width, then checks the same URLs at
// phone width. Returns the number of URLs.
async function checkRole(browser, base, routes, desktop, role, seen, validator) {
  const starts = role === 'anonymous' ? ['/public', '/login'] : ['/'];
  const urls = await crawl(desktop, base, routes, starts, role, seen, (page, v) => checkPage(page, v, role, 'desktop', validator));
  const phone = await browser.newContext({ locale: 'vi-VN', ...WIDTHS[1].options, storageState: await desktop.storageState() });
  const page = await phone.newPage();
  for (const url of urls) {
    const resp = await page.goto(base + url);
    if (!resp || resp.status() >= 400) { problem(role, 'phone', url, `HTTP ${resp ? resp.status() : 'no response'}`); continue; }
    await checkPage(page, { url }, role, 'phone', validator);
  }
  await phone.close();
  return urls.length;
}

async function main() {
  checkTools();
  const routes = htmlRoutes();
  const { dir, init, accounts } = demoDataDir('cchc-a11y-');
  let server = null, browser = null;
  const started = Date.now();
  const seen = new Map(), pagesPerRole = {};   // pattern → roles that reached it
  try {
    if (init.status !== 0) throw new Error(`cchc init --demo failed: ${init.stderr}`);
    const port = await freePort();
    server = await startServer(dir, port);
    const base = `http://127.0.0.1:${port}`;
    browser = await launchBrowser();
    const validator = new HtmlValidate({ extends: ['html-validate:standard'] });
    // One login per role; the data the pages show is made first, in order.
    const contexts = {};
    for (const role of ROLES) contexts[role] = await roleContext(browser, base, accounts, role);
    await createImport(contexts.admin, base);
    await openPeriod(contexts.admin, base);
    await submitReport(contexts.unit, base);
    // Then the roles are checked JOBS at a time.
    const todo = [...ROLES];
    const worker = async () => {
      for (let role; (role = todo.shift());) {
        pagesPerRole[role] = await checkRole(browser, base, routes, contexts[role], role, seen, validator);
        await contexts[role].close();
      }
    };
    await Promise.all(Array.from({ length: JOBS }, worker));
    const unreached = routes.filter((r) => !seen.has(r.pattern)).map((r) => r.pattern);
    for (const p of unreached) problem('any', '-', p, 'route not reached by any role (link it from a page, or add a start URL)');
    console.log(`a11y: ${routes.length} HTML routes (not pages: ${Object.entries(NOT_PAGES).map(([p, why]) => `${p}, ${why}`).join('; ')}), ${routes.length - unreached.length} reached:`);
    for (const r of routes) if (seen.has(r.pattern)) console.log(`  ${r.pattern.padEnd(28)} ${ROLES.filter((x) => seen.get(r.pattern).has(x)).join(' ')}`);
    console.log(`a11y: pages per role: ${ROLES.map((r) => `${r} ${pagesPerRole[r]}`).join(', ')}; ${checked.size} page × role × width checks`);
    console.log(`a11y: ${axeViolations} axe violations, ${htmlErrors.length} html-validate errors, ${problems.length} problems in all, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const failing = new Set(problems.map((p) => `${p.role} ${p.width} ${p.url}`));
    return { passed: [...checked].filter((k) => !failing.has(k)).length, failed: failing.size };
  } finally {
    if (browser) await browser.close().catch(() => {});
    await stopServer(server);
    removeDataDir(dir);
  }
}

let result = { passed: 0, failed: 1 };
try {
  result = await main();
} catch (e) {
  console.log(`  FAIL ${e && e.stack ? e.stack : e}`);
}
console.log(`a11y: ${result.passed} passed, ${result.failed} failed`);
process.exit(result.failed || problems.length ? 1 : 0);
