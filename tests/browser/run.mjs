// End-to-end test in a real browser: the release binary with a demo database,
// Debian's headless Chromium driven by playwright-core. A unit officer of the
// Inspectorate (thanhtra, unit TTRA) logs in, reads the dashboard, filters the
// task list, opens a task of the unit from "Việc của đơn vị", posts an update
// with a PDF and sees it on the timeline.
// Prints "browser: N passed, M failed"; exits non-zero on any failure. The
// server is stopped and the data directory removed in every case.
import { checkTools, demoDataDir, removeDataDir, freePort, startServer, stopServer, launchBrowser } from './server.mjs';

const STEP_TIMEOUT = 15000;

let passed = 0;
const failures = [];
function check(name, ok, detail = '') {
  if (ok) { passed++; console.log(`  ok   ${name}`); }
  else { failures.push(name); console.log(`  FAIL ${name}${detail ? ': ' + detail : ''}`); }
  return ok;
}

// A small valid PDF.
function pdfBytes(tag) {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n' +
    `% ${tag}\ntrailer << /Size 4 /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

async function main() {
  checkTools();
  const { dir: dataDir, init, accounts } = demoDataDir('cchc-browser-');
  let server = null, browser = null;
  try {
    if (!check('cchc init --demo', init.status === 0, init.stderr)) return;
    const me = accounts.find((a) => a[0] === 'thanhtra');
    if (!check('demo account thanhtra (unit)', me && me[1] === 'unit' && me[2].length >= 10)) return;
    const password = me[2];

    const port = await freePort();
    server = await startServer(dataDir, port);
    const base = `http://127.0.0.1:${port}`;

    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    const consoleErrors = [];
    // Errors of the pages themselves (CSP violations, script errors, failed loads);
    // the favicon the browser asks for on its own does not count.
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const where = (m.location() && m.location().url) || '';
      if (where.endsWith('/favicon.ico')) return;
      consoleErrors.push(`${m.text()} (${where})`);
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));

    // Log in.
    await page.goto(`${base}/tasks`);
    check('anonymous visitor is sent to the login page', page.url().startsWith(`${base}/login`));
    await page.fill('input[name="username"]', 'thanhtra');
    await page.fill('input[name="password"]', password);
    await Promise.all([page.waitForURL(`${base}/tasks`), page.click('form[action="/login"] button[type="submit"]')]);
    check('login returns to the requested page', page.url() === `${base}/tasks`);

    // Dashboard of the 2022 plan (chosen in its select): the overdue card links
    // to the list with the same count.
    await page.goto(`${base}/`);
    const plan2022 = await page.locator('main select[name="plan"] option', { hasText: 'năm 2022' }).first().getAttribute('value');
    await page.selectOption('main select[name="plan"]', plan2022);
    await Promise.all([page.waitForURL(new RegExp(`plan=${plan2022}`)), page.click('main form.filters button[type="submit"]')]);
    check('the dashboard shows the chosen plan', (await page.inputValue('main select[name="plan"]')) === plan2022);
    const overdue = page.locator('a.stat.bad').first();
    const shown = parseInt(await overdue.locator('b').innerText(), 10);
    check('dashboard shows the overdue count', Number.isInteger(shown) && shown > 0, await overdue.innerText());
    await Promise.all([page.waitForURL(/overdue=1/), overdue.click()]);
    const pager = await page.locator('.pager span').first().innerText();
    check('overdue card count equals its list', pager.includes(`${shown} `), `card ${shown}, list "${pager}" at ${page.url()}`);

    // Task list: search box plus a select.
    await page.goto(`${base}/tasks`);
    await page.fill('input[name="q"]', 'ra soat van ban');
    const ttraOption = page.locator('select[name="unit"] option', { hasText: 'Thanh tra Sở Giáo dục và Đào tạo' }).first();
    const ttraId = await ttraOption.getAttribute('value');
    await page.selectOption('select[name="unit"]', ttraId);
    await Promise.all([page.waitForURL(/q=ra\+soat\+van\+ban/), page.click('form.filters button[type="submit"]')]);
    const url = new URL(page.url());
    check('filter form puts the search and the unit in the URL', url.searchParams.get('q') === 'ra soat van ban' && url.searchParams.get('unit') === ttraId, page.url());
    const rows = page.locator('table.tasks tbody tr');
    const n = await rows.count();
    const leads = await page.locator('table.tasks tbody td[data-label="Chủ trì"]').allInnerTexts();
    const titles = await page.locator('table.tasks tbody td:nth-child(2) a').allInnerTexts();
    check('search without diacritics finds "rà soát văn bản" led by TTRA',
      n > 0 && leads.length === n && leads.every((l) => l.includes('Thanh tra')) && titles.some((t) => t.toLowerCase().includes('rà soát văn bản')),
      `${n} rows: ${titles.join(' | ')}`);
    check('filters stay selected', (await page.inputValue('input[name="q"]')) === 'ra soat van ban' &&
      (await page.inputValue('select[name="unit"]')) === ttraId);

    // "Việc của đơn vị": open a task led by the unit.
    await page.goto(`${base}/my`);
    const myRows = page.locator('table.tasks tbody tr');
    const count = await myRows.count();
    let link = null;
    for (let i = 0; i < count && !link; i++) {
      const lead = await myRows.nth(i).locator('td[data-label="Chủ trì"]').innerText();
      if (lead.includes('Thanh tra')) link = myRows.nth(i).locator('td:nth-child(2) a').first();
    }
    if (!check('"Việc của đơn vị" lists a task led by TTRA', link !== null,
      `${count} rows at ${page.url()}: ${(await page.locator('main').innerText()).slice(0, 300)}`)) return;
    const taskTitle = (await link.innerText()).trim();
    await Promise.all([page.waitForURL(/\/tasks\/\d+$/), link.click()]);
    check('the task page opens', (await page.locator('h1').innerText()).includes(taskTitle));

    // Post an update with a PDF.
    const note = `Kiểm thử trình duyệt ${Date.now()}: đã ban hành kế hoạch`;
    const fileName = 'Biên bản kiểm tra.pdf';
    await page.selectOption('#update-form select[name="status"]', 'in_progress');
    await page.fill('#update-form input[name="percent"]', '55');
    await page.fill('#update-form textarea[name="note"]', note);
    await page.setInputFiles('#update-form input[name="files"]', { name: fileName, mimeType: 'application/pdf', buffer: pdfBytes(note) });
    await Promise.all([page.waitForURL(/ok=1/), page.click('#update-form button[type="submit"]')]);
    check('the update is accepted', await page.locator('.ok-msg').isVisible());
    const timeline = page.locator('#timeline');
    const tl = await timeline.innerText();
    check('the timeline shows the note', tl.includes(note), tl.slice(0, 300));
    check('the timeline shows the file name', tl.includes(fileName));
    const href = await timeline.locator('a[href^="/files/"]').first().getAttribute('href');
    const dl = await page.request.get(`${base}${href}`);
    const cd = dl.headers()['content-disposition'] || '';
    check('the evidence downloads as an attachment', dl.status() === 200 && cd.startsWith('attachment') &&
      cd.includes("filename*=UTF-8''" + encodeURIComponent(fileName)) && (await dl.body()).subarray(0, 5).toString() === '%PDF-', `${dl.status()} ${cd}`);
    check('the task shows the new status', (await page.locator('dl.kv').innerText()).includes('55%'));

    check('no console errors or CSP violations', consoleErrors.length === 0, consoleErrors.join(' | '));
  } finally {
    if (browser) await browser.close().catch(() => {});
    await stopServer(server);
    removeDataDir(dataDir);
  }
}

try {
  await main();
} catch (e) {
  failures.push(String(e && e.message ? e.message : e));
  console.log(`  FAIL ${e && e.stack ? e.stack : e}`);
}
console.log(`browser: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
