// End-to-end tests of the portal in Debian's chromium (playwright-core, no bundled browser).
// run.sh starts the server and sets SV4_BASE_URL, the users' passwords, SV4_TEST_DATA and SV4_SCREENSHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.SV4_BASE_URL;
const SHOTS = process.env.SV4_SCREENSHOTS || path.join(import.meta.dirname, 'screenshots');
const DATA = process.env.SV4_TEST_DATA || path.join(import.meta.dirname, '..', 'data');
const users = {
  admin: ['alice', process.env.SV4_ADMIN_PASSWORD],
  reviewer: ['rita', process.env.SV4_REVIEWER_PASSWORD],
  contributor: ['carl', process.env.SV4_CONTRIBUTOR_PASSWORD],
};

let context, page, profileDir;
const launchOptions = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
};

before(async () => {
  assert.ok(BASE, 'SV4_BASE_URL must be set (use run.sh)');
  fs.mkdirSync(SHOTS, { recursive: true });
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sv4-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, { ...launchOptions, locale: 'en-GB' });
  page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(20000);
});

after(async () => {
  await context?.close();
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
});

const shot = (name) => page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });

async function logout() {
  await context.clearCookies();
}

async function login(role) {
  const [name, password] = users[role];
  await logout();
  await page.goto(BASE + '/login');
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form.login button[type=submit]')]);
  await assert.doesNotReject(page.locator(`.who[data-user="${name}"]`).waitFor());
}

test('home page shows the V4 map with counts and the latest records', async () => {
  const resp = await page.goto(BASE + '/');
  assert.equal(resp.status(), 200);
  assert.equal(await page.locator('svg.v4map a.country').count(), 4);
  let total = 0;
  for (const c of ['PL', 'CZ', 'SK', 'HU']) {
    const n = Number(await page.locator(`.counts .n[data-country="${c}"]`).textContent());
    assert.ok(n > 0, `${c} has records`);
    total += n;
  }
  assert.ok(total >= 40, 'the demo data has at least 40 records in the V4 countries');
  assert.ok(await page.locator('.latest li.hit').count() > 0);
  await shot('home');
});

test('search finds records with highlighted snippets, facet counts and exports', async () => {
  await page.goto(BASE + '/');
  await page.fill('#home-q', 'energy');
  await Promise.all([page.waitForURL(/\/search\?q=energy/), page.press('#home-q', 'Enter')]);
  const total = Number(await page.locator('.total').getAttribute('data-total'));
  assert.ok(total > 0, 'energy matches records');
  assert.ok(await page.locator('.hit .snippet mark').count() > 0, 'snippets highlight the words');
  for (const f of ['type', 'country', 'sdg']) {
    assert.ok(await page.locator(`fieldset[data-facet="${f}"] li`).count() > 0, `facet ${f} has values`);
  }
  const csv = await page.locator('.exports a[href*="format=csv"]').getAttribute('href');
  assert.match(csv, /q=energy/);
  assert.match(await page.locator('a.feed').getAttribute('href'), /^\/api\/v1\/search\.atom\?q=energy/);
  await shot('search');
});

test('clicking a facet narrows the results (auto-submit)', async () => {
  await page.goto(BASE + '/search');
  const before = Number(await page.locator('.total').getAttribute('data-total'));
  const box = page.locator('fieldset[data-facet="country"] input[value="PL"]');
  const item = page.locator('fieldset[data-facet="country"] li', { has: page.locator('input[value="PL"]') });
  const expected = Number(await item.locator('.n').textContent());
  await Promise.all([page.waitForURL(/country=PL/), box.check()]);
  const after = Number(await page.locator('.total').getAttribute('data-total'));
  assert.equal(after, expected, 'the count shown beside the facet value is the number of results');
  assert.ok(after < before);
  assert.ok(await page.locator('fieldset[data-facet="country"] input[value="PL"]').isChecked());
  const metas = await page.locator('.hit .meta').allTextContents();
  assert.ok(metas.length > 0 && metas.every((m) => m.includes('Poland')), 'every result is Polish');
  await shot('search-facet');
});

test('record page shows the SDG chart, badges, evidence and history', async () => {
  await page.goto(BASE + '/search?q=energy');
  await Promise.all([page.waitForURL(/\/records\/\d+/), page.locator('.hit h3 a').first().click()]);
  assert.equal(await page.locator('section.profile svg.bars g.bar').count(), 17, 'one bar per goal');
  const labels = page.locator('table.labels tr.label');
  assert.ok(await labels.count() > 0, 'the record has labels');
  assert.ok(await page.locator('table.labels .evidence mark').count() > 0, 'labels list their evidence');
  assert.ok(await page.locator('.text-evidence mark').count() > 0, 'evidence is highlighted in the text');
  assert.ok(await page.locator('.history li').count() > 0, 'revision history');
  await shot('record');
});

test('classify page: pasted text and an uploaded document', async () => {
  await logout();
  await page.goto(BASE + '/classify');
  await page.fill('#text', 'The city will install solar panels and heat pumps on public buildings to increase the share of ' +
    'renewable energy to 40% by 2030 and cut greenhouse gas emissions. New cycle lanes and electric buses will make ' +
    'urban mobility cleaner.');
  await Promise.all([page.waitForURL(/\/classify$/), page.click('form.classify button[type=submit]')]);
  assert.ok(Number(await page.locator('section.result').getAttribute('data-labels')) > 0, 'labels found');
  assert.equal(await page.locator('section.result tr.label[data-scheme="sdg"][data-code="7"]').count(), 1, 'SDG 7 found');
  assert.ok(await page.locator('section.result .text-evidence mark').count() > 0);
  await shot('classify-text');

  const files = ['strategy.pdf', 'program.docx', 'smart-city.odt', 'notes.txt'].map((f) => path.join(DATA, 'docs', f))
    .filter((f) => fs.existsSync(f));
  assert.ok(files.length > 0, 'a test document exists in tests/data/docs');
  await page.goto(BASE + '/classify');
  await page.setInputFiles('#file', files[0]);
  await Promise.all([page.waitForURL(/\/classify$/), page.click('form.classify button[type=submit]')]);
  assert.equal(await page.locator('.notice.error').count(), 0, 'the document was read');
  assert.match(await page.locator('section.result .meta').textContent(), new RegExp(path.basename(files[0]).replace('.', '\\.')));
  await shot('classify-file');
});

test('login: wrong password is refused, the right one logs in', async () => {
  await logout();
  await page.goto(BASE + '/login');
  await page.fill('#name', 'rita');
  await page.fill('#password', 'not-the-password');
  await page.click('form.login button[type=submit]');
  await page.locator('.notice.error').waitFor();
  assert.equal(await page.locator('.who').count(), 0);
  await shot('login-failed');
  await login('reviewer');
  assert.ok(await page.locator('nav.main a[href="/review"]').isVisible(), 'reviewers see the review queue');
});

test('review: a reviewer accepts and rejects labels', async () => {
  await login('reviewer');
  await page.goto(BASE + '/review');
  const waiting = Number(await page.locator('.total').getAttribute('data-total'));
  assert.ok(waiting > 0, 'demo records wait for review');
  // the first record on the queue page with at least two proposed labels
  let item = null;
  for (const li of await page.locator('li.queued').all()) {
    if (await li.locator('tr.label[data-state="proposed"]').count() >= 2) { item = li; break; }
  }
  assert.ok(item, 'a queued record has two proposed labels');
  const id = await item.getAttribute('data-id');
  const rows = item.locator('tr.label[data-state="proposed"]');
  const first = rows.nth(0), second = rows.nth(1);
  const [s1, c1, s2, c2] = [await first.getAttribute('data-scheme'), await first.getAttribute('data-code'),
    await second.getAttribute('data-scheme'), await second.getAttribute('data-code')];
  await first.locator('input[name=reason]').fill('clear evidence');
  await Promise.all([page.waitForURL(new RegExp(`/records/${id}`)), first.locator('button[value=accept]').click()]);
  const accepted = page.locator(`tr.label[data-scheme="${s1}"][data-code="${c1}"]`);
  assert.equal(await accepted.getAttribute('data-state'), 'accepted');
  assert.match(await accepted.textContent(), /clear evidence/);
  const row2 = page.locator(`tr.label[data-scheme="${s2}"][data-code="${c2}"]`);
  await Promise.all([page.waitForURL(new RegExp(`/records/${id}`)), row2.locator('button[value=reject]').click()]);
  assert.equal(await page.locator(`tr.label[data-scheme="${s2}"][data-code="${c2}"]`).getAttribute('data-state'), 'rejected');
  await shot('record-reviewed');
  await page.goto(BASE + '/review');
  assert.equal(Number(await page.locator('.total').getAttribute('data-total')), waiting - 1, 'the record left the queue');
  assert.equal(await page.locator(`li.queued[data-id="${id}"]`).count(), 0);
  await shot('review');
});

test('anonymous visitors are sent to the login page from the review queue', async () => {
  await logout();
  await page.goto(BASE + '/review');
  assert.match(page.url(), /\/login\?next=%2Freview/);
});

test('a contributor saves a classified text as a new record', async () => {
  await login('contributor');
  await page.goto(BASE + '/classify');
  await page.fill('#text', 'Miasto zbuduje nowe ścieżki rowerowe i kupi autobusy elektryczne, aby ograniczyć emisje.');
  await page.check('input[name=save]');
  await page.fill('#title', 'Browser test: electric buses');
  await page.selectOption('#country', 'PL');
  await Promise.all([page.waitForURL(/\/records\/\d+/), page.click('form.classify button[type=submit]')]);
  assert.equal(await page.locator('h1').textContent(), 'Browser test: electric buses');
  assert.ok(await page.locator('.documents li a[href*="/documents/"]').count() === 1, 'the text is kept as a document');
  await shot('record-saved');
});

test('an admin adds a user', async () => {
  await login('admin');
  await page.goto(BASE + '/admin/users');
  await page.fill('#new-name', 'victor');
  await page.fill('#new-password', 'victor-password');
  await page.selectOption('#new-role', 'reviewer');
  await Promise.all([page.waitForURL(/added=victor/), page.click('form.panel button[type=submit]')]);
  assert.ok(await page.locator('table.users td', { hasText: /^victor$/ }).count() === 1);
  await shot('users');
});

test('language switch: Polish interface, remembered; a Hungarian browser gets Hungarian', async () => {
  await logout();
  await page.goto(BASE + '/search');
  await Promise.all([page.waitForURL(/lang=pl/), page.click('nav.langs a[hreflang="pl"]')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'pl');
  assert.equal((await page.locator('nav.main a[href="/search"]').textContent()).trim(), 'Szukaj');
  assert.ok(await page.locator('legend', { hasText: 'Kraj' }).count() > 0, 'facet names in Polish');
  await page.goto(BASE + '/');
  assert.equal(await page.getAttribute('html', 'lang'), 'pl', 'the choice is kept in a cookie');
  assert.match(await page.locator('.map h2').textContent(), /Wpisy według kraju/);
  await shot('home-pl');
  // a browser set to Hungarian (Accept-Language: hu-HU) with no cookie gets the Hungarian interface
  const huDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sv4-chromium-hu-'));
  const hu = await chromium.launchPersistentContext(huDir, { ...launchOptions, locale: 'hu-HU' });
  try {
    const p = hu.pages()[0] || await hu.newPage();
    await p.goto(BASE + '/');
    assert.equal(await p.getAttribute('html', 'lang'), 'hu');
    assert.equal((await p.locator('nav.main a[href="/search"]').textContent()).trim(), 'Keresés');
  } finally {
    await hu.close();
    fs.rmSync(huDir, { recursive: true, force: true });
  }
});

test('compare page draws the heat map and lists gaps', async () => {
  await page.goto(BASE + '/compare?ids=1,2,3&lang=en');
  assert.equal(await page.locator('svg.heatmap g.row').count(), 3);
  assert.equal(await page.locator('svg.heatmap g.row').first().locator('g.cell').count(), 17);
  assert.ok(await page.locator('svg.heatmap rect.gap').count() > 0, 'gaps are marked');
  assert.equal(await page.locator('ul.gaps > li').count(), 3);
  await shot('compare');
});
