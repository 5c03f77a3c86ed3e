// The published satisfaction-survey results as a citizen sees them on a phone: a period's
// questionnaires imported with `layan skm import` (a CSV written here), published with SQL (the
// status column, as the admin's publish button sets it), then the unit page links to "Hasil
// SKM", the list shows the period with its IKM x 25 and the trend chart, the period page shows
// the index, the table per element beside its chart, the profile breakdown and the method;
// 360 px without sideways scrolling, axe clean at 360 and 1280 px, screenshots in
// test-artifacts/skm-public-*.png; the PDF report downloads. An open period is 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launch, axeViolations, screenshot } from './harness.mjs';

const bin = process.env.LAYAN_BIN;
const pgBase = process.env.LAYAN_TEST_DB || '';

let dir, db, env, proc, url, dropPg, browser;

function sql(q) {
  if (pgBase) execFileSync('psql', ['-qAtX', '-d', db, '-c', q], { stdio: 'pipe' });
  else execFileSync('sqlite3', [db.replace(/^sqlite:/, ''), q], { stdio: 'pipe' });
}

// 30 questionnaires: answers 4,4,3,3,... cycling, two profiles; U2 left blank on every tenth
function csv() {
  const lines = ['U1,U2,U3,U4,U5,U6,U7,U8,U9,jenis_kelamin,umur,pendidikan,pekerjaan,layanan'];
  for (let i = 0; i < 30; i++) {
    const v = Array.from({ length: 9 }, (_, e) => String([4, 3, 3, 2][(i + e) % 4]));
    if (i % 10 === 0) v[1] = '';
    lines.push([...v, i % 2 ? 'L' : 'P', String(20 + i), i < 20 ? 'SMA' : 'S1',
                i % 3 ? 'Wiraswasta' : 'PNS', 'KTP-el'].join(','));
  }
  return lines.join('\n') + '\n';
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'layan-e2e-skm-'));
  if (pgBase) {
    const name = `e2e_skmpub_${process.pid}`;
    execFileSync('psql', ['-qAtX', '-d', pgBase, '-c', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
    db = pgBase.replace(/\/layan_test\?/, `/${name}?`);
    dropPg = () => execFileSync('psql', ['-qAtX', '-d', pgBase, '-c',
                                         `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: 'pipe' });
  } else {
    db = `sqlite:${dir}/t.db`;
  }
  env = { ...process.env, LAYAN_KEY_FILE: path.join(dir, 'layan.key') };
  const run = (...args) => execFileSync(bin, args, { stdio: 'pipe', env }).toString();
  run('init', '--db', db, '--region', '32.73');
  run('demo', '--db', db);
  writeFileSync(path.join(dir, 'q1.csv'), csv());
  run('skm', 'import', '--db', db, '--unit', 'disdukcapil', '--period', '2026-Q1', path.join(dir, 'q1.csv'));
  run('skm', 'import', '--db', db, '--unit', 'disdukcapil', '--period', '2026-Q2', path.join(dir, 'q1.csv'));
  // published: 2026-Q1 only, with N = 50 (minimum sample 44: 30 is too few)
  sql("UPDATE skm_periods SET status = 'published', walkin_count = 50 WHERE code = '2026-Q1'");
  const ikm = JSON.parse(run('ikm', '--db', db, '--unit', 'disdukcapil', '--period', '2026-Q1', '--json'));
  env.EXPECT_IKM25 = ikm.ikm25.toFixed(2).replace('.', ',');
  env.EXPECT_MUTU = ikm.mutu;
  proc = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'], env });
  url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start')), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^listening on (http:\/\/\S+)/m);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (proc) {
    const code = await new Promise((resolve) => { proc.on('exit', resolve); proc.kill('SIGTERM'); });
    assert.equal(code, 0, 'layan serve must exit 0 on SIGTERM');
  }
  if (dropPg) dropPg();
  rmSync(dir, { recursive: true, force: true });
});

async function check(page, name) {
  await page.setViewportSize({ width: 360, height: 740 });
  const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(w <= 360, `${name}: page is ${w}px wide at 360px`);
  assert.deepEqual(await axeViolations(page), [], `${name}: axe at 360px`);
  await screenshot(page, `skm-public-${name}-360`);
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.deepEqual(await axeViolations(page), [], `${name}: axe at 1280px`);
  await screenshot(page, `skm-public-${name}-1280`);
  await page.setViewportSize({ width: 360, height: 740 });
}

test('a citizen reads the published survey result of the civil registry office', async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await page.goto(url + '/unit/disdukcapil');
  await page.getByRole('link', { name: 'Hasil Survei Kepuasan Masyarakat' }).click();
  await page.waitForURL(/\/skm\/disdukcapil$/);
  await page.getByRole('heading', { level: 1, name: 'Hasil Survei Kepuasan Masyarakat' }).waitFor();
  const chart = page.getByRole('img', { name: 'IKM x 25 per periode survei' });
  await chart.waitFor();
  assert.match(await chart.textContent(), new RegExp(env.EXPECT_IKM25));
  assert.equal(await page.locator('a[href="/skm/disdukcapil/2026-Q2"]').count(), 0);
  await check(page, 'unit');

  await page.getByRole('link', { name: 'Triwulan I 2026' }).click();
  await page.waitForURL(/\/skm\/disdukcapil\/2026-Q1$/);
  await page.getByRole('heading', { level: 1, name: /Survei Kepuasan Masyarakat Triwulan I 2026/ }).waitFor();
  await page.locator('.layan-skm-score__value', { hasText: env.EXPECT_IKM25 }).waitFor();
  await page.locator('.layan-grade', { hasText: env.EXPECT_MUTU }).first().waitFor();
  // 30 received against a minimum of 44
  await page.getByText(/kurang dari sampel minimum/).waitFor();
  const table = page.getByRole('table', { name: 'Hasil per unsur' });
  assert.equal(await table.locator('tbody tr').count(), 9);
  await page.getByRole('heading', { name: 'Cara menghitung indeks' }).waitFor();
  await page.getByRole('table', { name: 'Jenis kelamin' }).waitFor();
  await check(page, 'period');

  // the A4 report
  const href = await page.getByRole('link', { name: 'Laporan (PDF, A4)' }).getAttribute('href');
  const res = await page.request.get(url + href);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'application/pdf');
  assert.equal((await res.body()).subarray(0, 5).toString(), '%PDF-');

  // the period still open is not public
  const open = await page.request.get(url + '/skm/disdukcapil/2026-Q2');
  assert.equal(open.status(), 404);
  await ctx.close();
});
