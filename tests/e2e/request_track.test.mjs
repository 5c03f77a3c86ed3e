// Tracking a request and the citizen's own requests in the browser: a citizen applies for a KIA
// (the short way), then anyone tracks it by its code typed in lower case with spaces (a mistyped
// code first: the friendly error keeps what was typed), the citizen's list and detail, and
// cancelling with the confirmation step. Every page is checked with axe, must not scroll sideways
// at 360 px, and is photographed at 360 px and 1280 px (test-artifacts/track-*.png). The rules
// (404 for others, corrections, notifications) are tested over HTTP
// (tests/http/test_request_track.c).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, axeViolations, screenshot } from './harness.mjs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'layan serve must exit 0 on SIGTERM');
});

async function check(page, name) {
  const vp = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(w <= 360, `${name}: page is ${w}px wide at 360px`);
  assert.deepEqual(await axeViolations(page), [], `${name}: axe at 360px`);
  await screenshot(page, `track-${name}-360`);
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.deepEqual(await axeViolations(page), [], `${name}: axe at 1280px`);
  await screenshot(page, `track-${name}-1280`);
  await page.setViewportSize(vp);
}

// the citizen applies for a KIA and gets back the tracking code
async function apply(page) {
  await page.goto(server.url + '/layanan/kia/ajukan');
  await page.locator('#unit').selectOption('32.73.01');
  await page.getByLabel('Nomor KK').fill('3273011203190001');
  await page.getByLabel('Nama anak').fill('Putri Aminah');
  await page.getByLabel('Tanggal lahir anak').fill('2020-03-17');
  await page.locator('#berkas_kk').setInputFiles({ name: 'kk.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.locator('#berkas_ktp-ortu').setInputFiles({ name: 'ktp.png', mimeType: 'image/png', buffer: PNG });
  await page.locator('#berkas_akta-lahir').setInputFiles({ name: 'akta.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.locator('#berkas_pasfoto').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('button', { name: 'Lanjutkan' }).click();
  await page.getByRole('button', { name: 'Kirim permohonan' }).click();
  await page.waitForURL(/\/permohonan\/[0-9A-Z]{10}\/tanda-terima$/);
  return page.url().match(/permohonan\/([0-9A-Z]{10})\//)[1];
}

test('track by code without signing in; the citizen lists, opens and cancels a request', async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await page.goto(server.url + '/masuk');
  await page.locator('#identitas').fill('081200000001');
  await page.locator('#kata_sandi').fill('layan-demo-2026');
  await page.locator('main button[type=submit]').click();
  await page.waitForLoadState();
  const code = await apply(page);
  const shown = `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;

  // anyone, on a phone: a mistyped code first, then the code as people type it
  const anon = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const ap = await anon.newPage();
  await ap.goto(server.url + '/lacak');
  await ap.getByRole('heading', { level: 1, name: 'Lacak permohonan' }).waitFor();
  await check(ap, 'form');
  const wrong = code.slice(0, 3) + (code[3] === 'X' ? 'Y' : 'X') + code.slice(4);
  await ap.locator('#kode').fill(wrong.toLowerCase());
  await ap.getByRole('button', { name: 'Lacak' }).click();
  await ap.locator('.govuk-error-summary').waitFor();
  assert.match(await ap.locator('#kode-error').textContent(), /Kode tidak dikenali; periksa lagi/);
  assert.equal(await ap.locator('#kode').inputValue(), wrong.toLowerCase(), 'what was typed is kept');
  await check(ap, 'form-error');
  const typed = `${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8)}`.toLowerCase();
  await ap.locator('#kode').fill(typed);
  await ap.getByRole('button', { name: 'Lacak' }).click();
  await ap.waitForURL(new RegExp(`/lacak/${code}$`));
  await ap.getByText(/Diajukan sejak .* · perkiraan selesai /).waitFor();
  assert.equal((await ap.locator('.layan-tracking-code').first().textContent()).trim(), shown);
  assert.equal(await ap.getByText('Putri Aminah').count(), 0, 'no personal data');
  assert.match(await ap.locator('main').textContent(), /\d{4}\*{8}\d{4}/, 'the NIK masked');
  await check(ap, 'view');
  await anon.close();

  // the citizen's list and detail
  await page.goto(server.url + '/akun/permohonan');
  await page.getByRole('heading', { level: 1, name: 'Permohonan saya' }).waitFor();
  await page.getByText(shown).waitFor();
  await check(page, 'mine');
  await page.getByRole('link', { name: 'Kartu Identitas Anak (KIA)' }).first().click();
  await page.waitForURL(new RegExp(`/akun/permohonan/${code}$`));
  assert.equal(await page.locator('main li', { hasText: 'Dokumen PDF' }).count() >= 2, true, 'the documents are listed');
  await check(page, 'mine-detail');

  // cancel, with the confirmation step
  await page.getByRole('link', { name: 'Batalkan permohonan ini' }).click();
  await page.getByRole('heading', { level: 1, name: 'Yakin membatalkan permohonan ini?' }).waitFor();
  await check(page, 'mine-cancel');
  await page.getByRole('button', { name: 'Ya, batalkan permohonan' }).click();
  await page.waitForURL(new RegExp(`/akun/permohonan/${code}\\?selesai=batal$`));
  await page.getByText('Permohonan Anda sudah dibatalkan.').waitFor();
  await page.getByText(/Dibatalkan pada/).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Batalkan permohonan ini' }).count(), 0);
  await check(page, 'mine-cancelled');
  await ctx.close();
});
