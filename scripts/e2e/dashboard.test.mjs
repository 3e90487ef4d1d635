// Browser tests of the dashboard (scripts/e2e.sh starts the server on a seeded database
// and sets the environment): Playwright drives Debian's Chromium, signs in as an analyst
// and as hr, checks that every view renders, that its figures equal the API's, that
// suppressed cells are marked, that the page logs no error and asks no other host for
// anything, and that axe-core finds no serious or critical violation. It measures each
// view's first render (reported, not asserted) and writes a screenshot of each view.
// The CAF B6 board report (the API's printable page) is printed to PDF and its pages
// and figures checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const base = process.env.BASE_URL;
const org = process.env.HR_ORG;
const tokens = { analyst: process.env.ANALYST_TOKEN, hr: process.env.HR_TOKEN };
const shots = process.env.SCREENSHOT_DIR;
for (const [k, v] of Object.entries({ BASE_URL: base, HR_ORG: org, ANALYST_TOKEN: tokens.analyst, HR_TOKEN: tokens.hr })) {
  if (!v) throw new Error(`${k} is not set: run scripts/e2e.sh`);
}
const origin = new URL(base).origin;

const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

// api asks the JSON API with a bearer token, as a script would.
async function api(role, pathAndQuery, accept = 'application/json') {
  const res = await fetch(base + pathAndQuery, { headers: { Authorization: `Bearer ${tokens[role]}`, Accept: accept } });
  if (res.status !== 200) assert.fail(`${pathAndQuery}: ${res.status} ${await res.text()}`);
  return accept === 'text/csv' ? res.text() : res.json();
}

async function apiPost(role, pathAndQuery, body) {
  const res = await fetch(base + pathAndQuery, {
    method: 'POST', body: JSON.stringify(body),
    headers: { Authorization: `Bearer ${tokens[role]}`, 'Content-Type': 'application/json' },
  });
  if (res.status !== 201 && res.status !== 200) assert.fail(`${pathAndQuery}: ${res.status} ${await res.text()}`);
  return res.json();
}

// A browser per role, each with a fresh profile; every request to another host is
// recorded and refused, every console error and page error recorded.
class Session {
  constructor(role) {
    this.role = role;
    this.foreign = [];
    this.errors = [];
  }

  async open() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyberskills-e2e-'));
    this.context = await chromium.launchPersistentContext(this.dir, {
      executablePath: '/usr/bin/chromium', headless: true, args: launchArgs,
      viewport: { width: 1280, height: 900 }, locale: 'en-GB', acceptDownloads: true,
    });
    await this.context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== origin && url.protocol !== 'data:') {
        this.foreign.push(url.href);
        return route.abort();
      }
      return route.continue();
    });
    this.page = this.context.pages()[0] ?? await this.context.newPage();
    this.page.on('console', (msg) => { if (msg.type() === 'error') this.errors.push(msg.text()); });
    this.page.on('pageerror', (err) => this.errors.push(String(err)));
    return this;
  }

  async close() {
    await this.context?.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  async signIn() {
    const page = this.page;
    await page.goto(base + '/dashboard/');
    assert.match(page.url(), /\/dashboard\/sign-in$/, 'an anonymous visit goes to the sign-in page');
    await page.getByLabel('API token').fill(tokens[this.role]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(base + '/dashboard/');
    const cookies = await this.context.cookies(base + '/dashboard/');
    const session = cookies.find((c) => c.name === 'csk_session');
    assert.ok(session, 'a session cookie is set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.path, '/dashboard');
    assert.ok(!cookies.some((c) => c.value.includes(tokens[this.role])), 'no cookie holds the token');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.equal(stored, '{}{}', 'nothing is kept in web storage');
    assert.ok(!(await page.content()).includes(tokens[this.role]), 'the page does not hold the token');
  }

  // visit opens a view, checks what every view must be, measures its first render and
  // writes its screenshot.
  async visit(name, pathAndQuery) {
    const page = this.page;
    const res = await page.goto(base + pathAndQuery, { waitUntil: 'load' });
    assert.equal(res.status(), 200, `${pathAndQuery} answers 200`);
    const csp = res.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    const timing = await page.evaluate(() => new Promise((resolve) => {
      const nav = performance.getEntriesByType('navigation')[0];
      const done = (fcp) => resolve({ fcp, load: nav.loadEventEnd, server: nav.responseEnd - nav.requestStart });
      new PerformanceObserver((list) => {
        const fcp = list.getEntriesByName('first-contentful-paint')[0];
        if (fcp) done(fcp.startTime);
      }).observe({ type: 'paint', buffered: true });
      setTimeout(() => done(null), 3000);
    }));
    renders.push({ view: name, role: this.role, ...timing });
    assert.equal(await page.locator('h1').count(), 1, 'one h1');
    assert.equal(await page.locator('main#main').count(), 1, 'a main landmark');
    assert.equal(await page.locator('a.skip-link[href="#main"]').count(), 1, 'a skip link');
    for (const svg of await page.locator('svg.chart').all()) {
      assert.equal(await svg.getAttribute('role'), 'img');
      const [titleId, descId] = (await svg.getAttribute('aria-labelledby')).split(' ');
      assert.ok((await page.locator(`[id="${titleId}"]`).textContent()).length > 0, 'every chart has a title');
      assert.ok((await page.locator(`[id="${descId}"]`).textContent()).length > 0, 'every chart has a description');
    }
    const charts = await page.locator('section.figure').all();
    for (const sec of charts) {
      if (await sec.locator('svg.chart').count() > 0) {
        assert.ok(await sec.locator('table').count() > 0, 'every chart has a table beside it');
      }
    }
    await page.evaluate(axeSource);
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    axeReport.push({ view: name, role: this.role, violations: result.violations.map((v) => `${v.id} (${v.impact})`) });
    assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [],
      'axe-core finds no serious or critical violation');
    if (shots) {
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.screenshot({ path: path.join(shots, `${name}.png`), clip: { x: 0, y: 0, width: 1280, height: Math.min(height, 1600) }, fullPage: true });
    }
    return page;
  }

  // assertClean checks what the browser saw since the last check.
  assertClean() {
    const errors = this.errors.splice(0);
    const foreign = this.foreign.splice(0);
    assert.deepEqual(errors, [], 'no console errors');
    assert.deepEqual(foreign, [], 'no request to another host');
  }
}

const renders = [];
const axeReport = [];

// cells reads a table's rows as {key: {col: {value, suppressed, text}}}.
async function cells(page, tableId) {
  return page.evaluate((id) => {
    const out = {};
    for (const tr of document.querySelectorAll(`table#${id} tbody tr`)) {
      const row = {};
      for (const c of tr.querySelectorAll('td, th')) {
        row[c.dataset.col] = { value: c.dataset.value, suppressed: c.dataset.suppressed === 'true', text: c.textContent.trim() };
      }
      out[tr.dataset.key] = row;
    }
    return out;
  }, tableId);
}

// same asserts that a cell shows a published figure as the API gives it.
function same(cell, figure, what) {
  assert.ok(cell, `${what}: a cell`);
  if (figure && figure.suppressed) {
    assert.equal(cell.suppressed, true, `${what}: suppressed as in the API`);
    assert.equal(cell.text, 'suppressed');
    return;
  }
  const value = figure && typeof figure === 'object' ? figure.value : figure;
  if (value === null || value === undefined) return;
  assert.equal(Number(cell.value), value, `${what}: ${cell.value} as in the API (${value})`);
}

let analyst;
let hr;

before(async () => {
  analyst = await new Session('analyst').open();
  hr = await new Session('hr').open();
});

after(async () => {
  await analyst?.close();
  await hr?.close();
  if (renders.length) {
    console.log('\nfirst render per view (ms; fcp = first contentful paint, load = load event, server = response time):');
    for (const r of renders) {
      console.log(`  ${r.role.padEnd(8)} ${r.view.padEnd(22)} fcp ${String(Math.round(r.fcp ?? -1)).padStart(5)}  load ${String(Math.round(r.load)).padStart(5)}  server ${String(Math.round(r.server)).padStart(5)}`);
    }
    console.log('axe-core violations per view (all impacts):');
    for (const a of axeReport) console.log(`  ${a.role.padEnd(8)} ${a.view.padEnd(22)} ${a.violations.length ? a.violations.join(', ') : 'none'}`);
  }
});

test('analyst: sign in exchanges the token for an HttpOnly session', async () => {
  await analyst.signIn();
  await analyst.visit('analyst-overview', '/dashboard/');
  const links = await analyst.page.locator('nav.site-nav a').allTextContents();
  assert.ok(links.includes('National headline') && !links.includes('Gap summary'), `an analyst sees statistics only: ${links}`);
  analyst.assertClean();
});

test('analyst: the national headline and its trend equal the API', async () => {
  const page = await analyst.visit('statistics-headline', '/dashboard/statistics');
  const h = await api('analyst', '/api/v1/statistics/headline?type=trust');
  for (const m of ['basic_skills_gap', 'incident_response_gap', 'advanced_skills_gap']) {
    const card = page.locator(`.card[data-key="${m}"]`);
    if (h[m].organisations.suppressed) {
      assert.equal(await card.getAttribute('data-suppressed'), 'true');
    } else {
      assert.equal(Number(await card.getAttribute('data-value')), h[m].share, `${m} share`);
    }
  }
  const skills = await cells(page, 'skills-table');
  assert.equal(Object.keys(skills).length, h.skills.length);
  for (const s of h.skills) same(skills[s.skill].share, s.organisations.suppressed ? s.organisations : s.share, `skill ${s.skill}`);
  const trend = await cells(page, 'trend-table');
  const t = await api('analyst', '/api/v1/statistics/trends?metric=basic_skills_gap_share&type=trust');
  const points = t.series[0].points;
  assert.ok(points.length >= 6, `six months of snapshots: ${points.length}`);
  assert.equal(Object.keys(trend).length, points.length);
  for (const p of points) {
    const row = Object.entries(trend).find(([key]) => Date.parse(key) === Date.parse(p.at));
    assert.ok(row, `a trend row for ${p.at}`);
    same(row[1].basic_skills_gap, p.suppressed ? { suppressed: true } : p.value, `trend ${p.at}`);
  }
  analyst.assertClean();
});

test('analyst: a filter applies, one at a time', async () => {
  const b = await api('analyst', '/api/v1/statistics/gaps?group_by=size_band&type=trust');
  const band = b.groups.find((g) => !g.suppressed)?.group.size_band ?? 'large';
  const page = await analyst.visit('statistics-filtered', `/dashboard/statistics?type=trust&filter=size_band:${band}`);
  const h = await api('analyst', `/api/v1/statistics/headline?type=trust&size_band=${band}`);
  const card = page.locator('.card[data-key="basic_skills_gap"]');
  if (h.basic_skills_gap.organisations.suppressed) assert.equal(await card.getAttribute('data-suppressed'), 'true');
  else assert.equal(Number(await card.getAttribute('data-value')), h.basic_skills_gap.share);
  assert.equal(await page.locator('select[name="filter"]').inputValue(), `size_band:${band}`);
  analyst.assertClean();
});

test('analyst: the heat maps equal the API and mark suppressed cells', async () => {
  for (const [name, rows, cols] of [['heatmap-region-tier', 'region', 'tier'], ['heatmap-icb-skill', 'icb', 'skill']]) {
    const page = await analyst.visit(name, `/dashboard/statistics/map?rows=${rows}&cols=${cols}&type=trust`);
    const b = await api('analyst', `/api/v1/statistics/gaps?group_by=${rows},${cols}&type=trust`);
    const table = await cells(page, 'map-table');
    let suppressed = 0;
    for (const g of b.groups) {
      const row = table[`${g.group[rows]}|${g.group[cols]}`];
      const withheld = g.suppressed || g.organisations_with_gap.suppressed;
      if (withheld) suppressed++;
      same(row.share_with_gap, withheld ? { suppressed: true } : g.share_with_gap, `${rows} ${g.group[rows]} x ${g.group[cols]}`);
    }
    const drawn = await page.locator('#map-chart rect.cell.suppressed').count();
    assert.equal(drawn, suppressed, `${name}: every suppressed cell is drawn hatched`);
    if (suppressed > 0) {
      const fill = await page.locator('#map-chart rect.cell.suppressed').first().getAttribute('fill');
      assert.equal(fill, 'url(#map-chart-hatch)');
      assert.ok((await page.locator('#map-chart text').allTextContents()).includes('suppressed'), 'and says so');
    }
    assert.ok((await page.locator('#map-chart').textContent()).includes('suppressed (disclosure control)'), 'the legend names the pattern');
    assert.ok((await page.locator('.notes').textContent()).includes('suppressed'), 'the disclosure rules are stated');
    if (name === 'heatmap-icb-skill') assert.ok(suppressed > 0, 'the ICB by skill map has suppressed cells to show');
  }
  analyst.assertClean();
});

test('analyst: the ranking equals the API, and its CSV download is the API CSV', async () => {
  const page = await analyst.visit('ranking-icb', '/dashboard/statistics/ranking?by=icb&measure=share_with_gap&type=trust');
  const b = await api('analyst', '/api/v1/statistics/gaps?group_by=icb&type=trust');
  const table = await cells(page, 'ranking-table');
  assert.equal(Object.keys(table).length, b.groups.length);
  for (const g of b.groups) {
    same(table[g.group.icb].organisations, g.organisations, `icb ${g.group.icb} organisations`);
    same(table[g.group.icb].share_with_gap, g.organisations_with_gap.suppressed ? g.organisations_with_gap : g.share_with_gap, `icb ${g.group.icb} share`);
    same(table[g.group.icb].shortfall, g.shortfall, `icb ${g.group.icb} shortfall`);
  }
  const href = await page.locator('a.download').first().getAttribute('href');
  const download = await page.request.get(base + href);
  assert.equal(download.status(), 200);
  assert.match(download.headers()['content-disposition'], /attachment/);
  const fromAPI = await api('analyst', '/api/v1/statistics/gaps?group_by=icb&type=trust', 'text/csv');
  const strip = (csv) => csv.split('\n').filter((l) => !l.startsWith('metadata')).join('\n');
  assert.equal(strip(await download.text()), strip(fromAPI), 'the download is the API CSV');
  analyst.assertClean();
});

test('analyst: hr views are refused', async () => {
  const res = await analyst.page.goto(base + `/dashboard/organisation?org=${org}`);
  assert.equal(res.status(), 403);
  analyst.errors.length = 0; // the browser logs the 403 itself
  analyst.assertClean();
});

test('hr: sign in, and the gap summary equals the API', async () => {
  await hr.signIn();
  const links = await hr.page.locator('nav.site-nav a').allTextContents();
  assert.ok(links.includes('Gap summary') && !links.includes('National headline'), `hr sees its organisation only: ${links}`);
  const page = await hr.visit('hr-gap-summary', '/dashboard/organisation');
  const r = await api('hr', `/api/v1/organisations/${org}/gaps`);
  for (const m of ['basic_skills_gap', 'incident_response_gap', 'advanced_skills_gap']) {
    assert.equal(await page.locator(`.card[data-key="${m}"]`).getAttribute('data-value'), String(r[m]), m);
  }
  const table = await cells(page, 'gaps-table');
  for (const l of r.skills.filter((s) => s.demand > 0 || s.target)) {
    const row = table[l.skill];
    assert.ok(row, `a row for ${l.skill}`);
    for (const col of ['demand', 'supply', 'shortfall', 'target_holders']) same(row[col], l[col], `${l.skill} ${col}`);
    assert.equal(row.gap.value, String(l.gap), `${l.skill} gap`);
  }
  hr.assertClean();
});

// focusedBy presses Tab until the focused element matches selector (at most limit
// times) and returns how many presses it took, or -1.
async function focusedBy(page, selector, limit = 300) {
  for (let i = 1; i <= limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return i;
  }
  return -1;
}

test('hr: the keyboard alone skips to the content, reaches the charts and sorts a table', async () => {
  const page = hr.page;
  await page.goto(base + '/dashboard/organisation', { waitUntil: 'load' });
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link', 'the first Tab reaches the skip link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main', 'the skip link moves focus to the main content');
  assert.ok(await focusedBy(page, '.chart-box') > 0, 'a chart (its scrolling box) takes the focus');
  assert.ok(await focusedBy(page, '#gaps-table thead button.sort') > 0, "a table's sort button takes the focus");
  const heading = await page.evaluate(() => document.activeElement.closest('th').textContent.trim());
  await page.keyboard.press('Enter');
  const sorted = await page.evaluate(() => document.activeElement.closest('th').getAttribute('aria-sort'));
  assert.ok(sorted === 'ascending' || sorted === 'descending', `Enter sorts the table by ${heading}: aria-sort ${sorted}`);
  hr.assertClean();
});

test('hr: the role x skill heat map equals the API', async () => {
  const page = await hr.visit('hr-role-skill', '/dashboard/organisation/matrix');
  const m = await api('hr', `/api/v1/organisations/${org}/gaps/matrix`);
  const table = await cells(page, 'matrix-table');
  assert.equal(Object.keys(table).length, m.cells.length);
  for (const c of m.cells) {
    const row = table[`${c.role}|${c.skill}`];
    same(row.demand, c.demand, `${c.role} ${c.skill} demand`);
    same(row.supply, c.supply, `${c.role} ${c.skill} supply`);
    same(row.coverage, c.coverage, `${c.role} ${c.skill} coverage`);
  }
  assert.equal(await page.locator('#matrix-chart rect.cell:not(.empty)').count(), m.cells.length, 'a coloured cell per requirement');
  hr.assertClean();
});

test('hr: certificates expiring in 90 days equal the API', async () => {
  const page = await hr.visit('hr-expiring', '/dashboard/organisation/expiring');
  const e = await api('hr', `/api/v1/organisations/${org}/expiring?within=90d`);
  assert.equal(Number(await page.locator('.card[data-key="lapses"]').getAttribute('data-value')), e.items.length);
  const table = await cells(page, 'expiring-table');
  assert.equal(Object.keys(table).length, e.items.length);
  e.items.forEach((l, i) => {
    assert.equal(table[i].external_id.text, l.external_id);
    assert.equal(table[i].skill.text, l.skill);
    assert.equal(table[i].lapses_at.text, l.lapses_at.slice(0, 10));
  });
  if (e.items.length) assert.equal(await page.locator('#timeline-chart').count(), 1, 'a timeline');
  hr.assertClean();
});

test('hr: the 12-month projection equals the API', async () => {
  const page = await hr.visit('hr-projection', '/dashboard/organisation/projection');
  const p = await api('hr', `/api/v1/organisations/${org}/projection?months=12`);
  const table = await cells(page, 'projection-table');
  const last = p.rows.filter((r) => r.month === p.rows[p.rows.length - 1].month);
  const first = p.rows.filter((r) => r.month === p.rows[0].month);
  for (const r of last) {
    if (!table[r.skill]) continue;
    same(table[r.skill].supply_12, r.supply, `${r.skill} supply in 12 months`);
    same(table[r.skill].demand_12, r.demand, `${r.skill} demand in 12 months`);
  }
  for (const r of first) if (table[r.skill]) same(table[r.skill].supply_0, r.supply, `${r.skill} supply now`);
  assert.ok(Object.keys(table).length > 0, 'skills with demand are projected');
  assert.equal(await page.locator('svg.chart').count(), Object.keys(table).length, 'a chart per skill');
  hr.assertClean();
});

test('hr: a saved scenario beside the baseline equals the API, and a what-if evaluates', async () => {
  const m = await api('hr', `/api/v1/organisations/${org}/gaps/matrix`);
  const gaps = (await api('hr', `/api/v1/organisations/${org}/gaps`)).skills.filter((l) => l.gap).map((l) => l.skill);
  const from = new Date(process.env.E2E_NOW ?? Date.now());
  from.setUTCMonth(from.getUTCMonth() + 3, 1);
  const month = from.toISOString().slice(0, 7);
  const buyIn = gaps.slice(0, 3).map((skill) => ({ type: 'outsource', skill, provider: 'Regional SOC', from: month }));
  const saved = await apiPost('hr', `/api/v1/organisations/${org}/scenarios`,
    { name: `Hire two, buy in three skills from ${month}`, changes: [{ type: 'hire', role: m.roles[0], count: 2 }, ...buyIn] });
  const page = await hr.visit('hr-scenario', `/dashboard/organisation/scenario?scenario=${saved.id}`);
  const e = await api('hr', `/api/v1/organisations/${org}/scenarios/${saved.id}`);
  const months = await cells(page, 'scenario-months');
  for (const mo of e.months) {
    same(months[mo.month].baseline_gaps, mo.baseline_gaps, `${mo.month} baseline`);
    same(months[mo.month].scenario_gaps, mo.scenario_gaps, `${mo.month} scenario`);
  }
  await page.getByLabel('Change').selectOption('outsource');
  await page.getByLabel('Skill code (buy in)').fill('incident-management');
  await page.getByLabel('Provider (buy in)').fill('Regional SOC');
  await page.getByRole('button', { name: 'Evaluate' }).click();
  await page.waitForLoadState('load');
  assert.equal(await page.locator('table#scenario-months').count(), 1, 'the what-if is evaluated');
  hr.assertClean();
});

test('hr: the training plan and its cost equal the API', async () => {
  const page = await hr.visit('hr-training-plan', '/dashboard/organisation/plan?horizon=6');
  const p = await api('hr', `/api/v1/organisations/${org}/training-plan?horizon=6`);
  const cost = await page.locator('.card[data-key="total_cost"]').getAttribute('data-value');
  assert.equal(cost === '' ? null : Number(cost), p.total_cost);
  assert.equal(Number(await page.locator('.card[data-key="enrolments"]').getAttribute('data-value')), p.enrolments.length);
  const table = await cells(page, 'plan-table');
  assert.equal(Object.keys(table).length, p.enrolments.length);
  hr.assertClean();
});

test('hr: statistics are refused, and sign-out ends the session', async () => {
  const res = await hr.page.goto(base + '/dashboard/statistics');
  assert.equal(res.status(), 403);
  hr.errors.length = 0;
  await hr.page.goto(base + '/dashboard/');
  await hr.page.getByRole('button', { name: 'Sign out' }).click();
  await hr.page.waitForURL(/\/dashboard\/sign-in/);
  await hr.visit('sign-in', '/dashboard/sign-in');
  await hr.page.goto(base + '/dashboard/organisation');
  assert.match(hr.page.url(), /\/dashboard\/sign-in$/, 'signed out: back to the sign-in page');
  hr.assertClean();
});

// pdfPages reads the pages of a PDF Chromium printed: each page object's MediaBox (in
// points), from the uncompressed page tree.
function pdfPages(pdf) {
  const text = pdf.toString('latin1');
  const pages = [...text.matchAll(/\/Type\s*\/Page(?!s)[\s\S]*?\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g)];
  return pages.map((m) => ({ width: Number(m[3]) - Number(m[1]), height: Number(m[4]) - Number(m[2]) }));
}

test('hr: the CAF B6 board report prints to A4 PDF, and its figures equal the API', async () => {
  const path6 = `/api/v1/organisations/${org}/assurance/b6`;
  const report = await api('hr', path6);
  const board = await new Session('hr').open();
  try {
    await board.context.setExtraHTTPHeaders({ Authorization: `Bearer ${tokens.hr}` });
    const page = board.page;
    const res = await page.goto(base + path6 + '?format=html', { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'], /^text\/html/);
    const csp = res.headers()['content-security-policy'] ?? '';
    assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'/, 'the inline stylesheet is admitted by its hash alone');
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(await page.locator('script').count(), 0, 'no script');
    assert.ok(await page.locator('svg.chart').count() >= 2, 'the charts are inline SVG');
    assert.equal(await page.locator('h1').count(), 1);

    // The figures on the page are the API's.
    const totals = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#delivery tr[data-audience]')].map((tr) =>
      [tr.dataset.audience, Object.fromEntries([...tr.querySelectorAll('td[data-key]')].map((td) => [td.dataset.key, Number(td.textContent)]))])));
    for (const line of report.delivery.filter((d) => d.total)) {
      for (const key of ['headcount', 'in_date', 'due_within_30_days', 'due_within_90_days', 'overdue', 'never_trained']) {
        assert.equal(totals[line.audience]?.[key], line[key], `${line.audience} ${key} as in the API`);
      }
    }
    const statuses = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('tr[data-indicator]')].map((tr) =>
      [tr.dataset.indicator, tr.querySelector('[data-status]').dataset.status])));
    assert.deepEqual(statuses, Object.fromEntries(report.indicators.map((i) => [i.code, i.status])));
    const months = await page.evaluate(() => [...document.querySelectorAll('tr[data-month]')].map((tr) =>
      [tr.dataset.month, Number(tr.querySelector('td[data-key="in_date"]').textContent)]));
    assert.deepEqual(months, report.evaluation.month_ends.map((m) => [m.month, m.groups.find((g) => g.audience === 'all_staff').in_date]));
    assert.equal(await page.locator('tr[data-overdue]').count(), report.overdue.length, 'everyone overdue is listed');

    // Printed: A4 pages, as many as the tables need.
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const pages = pdfPages(pdf);
    const rows = await page.locator('tbody tr').count();
    console.log(`  the board report of ${org}: ${pages.length} A4 pages, ${rows} table rows, ${pdf.length} bytes`);
    assert.ok(pages.length >= 1 && pages.length >= Math.ceil(rows / 70) && pages.length <= 2 + Math.ceil(rows / 20),
      `${pages.length} pages for ${rows} rows`);
    for (const p of pages) {
      assert.ok(Math.abs(p.width - 595.28) < 2 && Math.abs(p.height - 841.89) < 2, `an A4 page: ${p.width} x ${p.height} pt`);
    }
    if (shots) {
      await page.emulateMedia({ media: 'screen' });
      await page.screenshot({ path: path.join(shots, 'assurance-b6.png'), clip: { x: 0, y: 0, width: 1280, height: 1600 }, fullPage: true });
    }
    board.assertClean();
  } finally {
    await board.close();
  }
});
