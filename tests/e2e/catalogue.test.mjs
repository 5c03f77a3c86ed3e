// The service catalogue as a citizen uses it on a phone: from the home page, find a service by
// life event, read its standard (what to bring, how long, free), open the printable A4 poster,
// look up an earlier version; keyboard reachable, accessible, 360 px wide.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, axeViolations, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'layan serve must exit 0 on SIGTERM');
});

async function phone() {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  return { ctx, page: await ctx.newPage() };
}

async function noHorizontalScroll(page) {
  const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(w <= 360, `page is ${w}px wide at 360px`);
}

test('a parent finds the KIA by life event and reads its standard', async () => {
  const { ctx, page } = await phone();
  await page.goto(server.url + '/');
  await page.getByRole('link', { name: 'Anak lahir' }).first().click();
  await page.waitForURL(/\/layanan\?peristiwa=anak-lahir/);
  await page.getByRole('heading', { name: /layanan ditemukan: Anak lahir/ }).waitFor();
  assert.equal(await page.locator('a.layan-chip[aria-current="true"]').textContent(), 'Anak lahir');
  assert.equal(await page.locator('a[href="/layanan/ktp-baru"]').count(), 0);
  await noHorizontalScroll(page);
  await screenshot(page, 'catalogue-list-360');
  assert.deepEqual(await axeViolations(page), []);

  await page.getByRole('link', { name: 'Kartu Identitas Anak (KIA)' }).click();
  await page.waitForURL(/\/layanan\/kia$/);
  await page.getByRole('heading', { level: 1, name: 'Kartu Identitas Anak (KIA)' }).waitFor();
  const bring = page.getByRole('list', { name: 'Yang perlu dibawa' });
  assert.ok((await bring.locator('li').count()) >= 3);
  assert.match(await bring.textContent(), /Kutipan akta kelahiran anak/);
  await page.getByText('Gratis, tidak dipungut biaya', { exact: true }).waitFor();
  await page.getByText(/\d+ hari kerja/).first().waitFor();
  await page.getByText('Maklumat pelayanan').waitFor();
  // where to apply: folded away on a phone, opens with the keyboard
  const summary = page.locator('summary', { hasText: 'tempat layanan' });
  await summary.focus();
  await page.keyboard.press('Enter');
  await page.locator('a[href="/unit/32.73.01"]').first().waitFor({ state: 'visible' });
  await noHorizontalScroll(page);
  await screenshot(page, 'catalogue-kia-360');
  assert.deepEqual(await axeViolations(page), []);

  // the A4 poster for the office wall
  const href = await page.getByRole('link', { name: 'Cetak poster A4 (PDF)' }).getAttribute('href');
  const res = await page.request.get(server.url + href);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'application/pdf');
  const pdf = await res.body();
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  await ctx.close();
});

test('searching by name keeps the words; the versions page answers a date', async () => {
  const { ctx, page } = await phone();
  await page.goto(server.url + '/layanan');
  await page.getByLabel('Cari menurut nama').fill('akta');
  await page.getByLabel('Tersedia di').selectOption({ label: 'Kantor Kecamatan Coblong' });
  await page.getByRole('button', { name: 'Tampilkan layanan' }).click();
  await page.getByRole('heading', { name: /4 layanan ditemukan/ }).waitFor();
  assert.equal(await page.inputValue('#q'), 'akta');
  await page.getByRole('link', { name: 'Akta kelahiran' }).click();
  await page.getByRole('link', { name: 'Versi sebelumnya dari standar ini' }).click();
  await page.getByRole('heading', { level: 1, name: 'Versi standar pelayanan' }).waitFor();
  await page.getByLabel('Versi mana yang berlaku pada tanggal tertentu?').fill('2026-02-01');
  await page.getByRole('button', { name: 'Periksa' }).click();
  await page.getByRole('status').getByText(/yang berlaku adalah versi 1/).waitFor();
  // a wrong date: the message says how to write it and the input is kept
  await page.getByLabel('Versi mana yang berlaku pada tanggal tertentu?').fill('1 Feb 2026');
  await page.getByRole('button', { name: 'Periksa' }).click();
  await page.getByText('Tulis tanggal dengan format TTTT-BB-HH').waitFor();
  assert.equal(await page.inputValue('#pada'), '1 Feb 2026');
  await noHorizontalScroll(page);
  await screenshot(page, 'catalogue-versions-360');
  assert.deepEqual(await axeViolations(page), []);
  await ctx.close();
});
