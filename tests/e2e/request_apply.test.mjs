// Applying online as a citizen on a phone: the KIA form (child's birth date, NIK from the
// account, KK number, uploads, home delivery), a first attempt with a document missing (errors
// next to the fields, typed values and accepted files kept), the "check your answers" step,
// then the receipt with its tracking code, QR code and
// PDFs, and the public check of the QR payload. axe-clean, 360 px, screenshots in
// test-artifacts/request-apply-*.png.
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

// a 1x1 PNG and a minimal PDF, made here: the server checks the bytes, not the names
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

async function noHorizontalScroll(page, width) {
  const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(w <= width, `page is ${w}px wide at ${width}px`);
}

async function check(page, name) {
  await noHorizontalScroll(page, 360);
  await screenshot(page, `request-apply-${name}-360`);
  assert.deepEqual(await axeViolations(page), []);
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, `request-apply-${name}-1280`);
  await page.setViewportSize({ width: 360, height: 740 });
}

test('a parent applies for a KIA with uploads and home delivery, and gets a receipt', async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  // not signed in: the form asks to sign in first, then comes back
  await page.goto(server.url + '/layanan/kia/ajukan');
  await page.waitForURL(/\/masuk\?lanjut=/);
  await page.locator('#identitas').fill('081200000001');
  await page.locator('#kata_sandi').fill('layan-demo-2026');
  await page.locator('main button[type=submit]').click();
  await page.waitForURL(/\/layanan\/kia\/ajukan$/);
  await page.getByRole('heading', { level: 1, name: 'Kartu Identitas Anak (KIA)' }).waitFor();
  assert.match(await page.locator('#nik').inputValue(), /^\d{16}$/, 'the NIK comes from the account');
  await check(page, 'form');

  // first try: the child's details and delivery, but the birth certificate is missing
  await page.locator('#unit').selectOption('32.73.01');
  await page.getByLabel('Nomor KK').fill('3273011203190001');
  await page.getByLabel('Nama anak').fill('Putri Aminah');
  await page.getByLabel('Tanggal lahir anak').fill('2020-03-17');
  await page.locator('#berkas_kk').setInputFiles({ name: 'kk.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.locator('#berkas_ktp-ortu').setInputFiles({ name: 'ktp.png', mimeType: 'image/png', buffer: PNG });
  await page.getByLabel('Diantar ke rumah', { exact: true }).check();
  await page.locator('#alamat').fill('Jl. Merdeka No. 10, RT 01/RW 02, Kelurahan Sukamaju');
  await page.getByRole('button', { name: 'Lanjutkan' }).click();
  await page.locator('.govuk-error-summary').waitFor();
  assert.match(await page.locator('#berkas_akta-lahir-error').textContent(), /akta kelahiran/i);
  assert.equal(await page.getByLabel('Nama anak').inputValue(), 'Putri Aminah', 'typed values are kept');
  assert.equal(await page.locator('#alamat').inputValue(), 'Jl. Merdeka No. 10, RT 01/RW 02, Kelurahan Sukamaju');
  assert.ok(await page.getByLabel('Diantar ke rumah', { exact: true }).isChecked());
  assert.equal(await page.locator('.layan-kept').count(), 2, 'the accepted files are kept');
  await check(page, 'errors');

  // add the missing ones; the kept files need not be chosen again
  await page.locator('#berkas_akta-lahir').setInputFiles({ name: 'akta.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.locator('#berkas_pasfoto').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('button', { name: 'Lanjutkan' }).click();
  // check your answers, change one, check again, send
  await page.getByRole('heading', { level: 1, name: 'Periksa jawaban Anda sebelum mengirim' }).waitFor();
  await page.getByText('KIA untuk anak usia 5 sampai 17 tahun').waitFor();
  assert.equal(await page.locator('main li').count(), 4, 'four documents listed');
  await check(page, 'check');
  await page.getByRole('button', { name: 'Ubah jawaban' }).click();
  await page.getByLabel('Nama anak').waitFor();
  assert.equal(await page.locator('.layan-kept').count(), 4, 'all four files still there');
  await page.getByLabel('Nama anak').fill('Putri Aminah Lestari');
  await page.getByRole('button', { name: 'Lanjutkan' }).click();
  await page.getByText('Putri Aminah Lestari').waitFor();
  await page.getByRole('button', { name: 'Kirim permohonan' }).click();
  await page.waitForURL(/\/permohonan\/[0-9A-Z]{10}\/tanda-terima$/);
  const code = page.url().match(/permohonan\/([0-9A-Z]{10})\//)[1];
  const shown = `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
  assert.equal((await page.locator('.layan-tracking-code').first().textContent()).trim(), shown);
  await page.getByText('KIA untuk anak usia 5 sampai 17 tahun').waitFor();
  await page.getByText('Diantar ke rumah').first().waitFor();
  assert.ok(await page.locator('.layan-receipt-qr svg').count() === 1, 'the QR code is on the page');
  await check(page, 'receipt');

  // both PDFs
  for (const suffix of ['tanda-terima.pdf', 'tanda-terima-58.pdf']) {
    const res = await page.request.get(`${server.url}/permohonan/${code}/${suffix}`);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    assert.equal((await res.body()).subarray(0, 5).toString(), '%PDF-');
  }

  // the QR payload: anyone can check it, without signing in
  const verify = await page.getByRole('link', { name: 'Periksa sekarang' }).getAttribute('href');
  const anon = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const vp = await anon.newPage();
  await vp.goto(server.url + verify);
  await vp.getByRole('heading', { level: 1, name: 'Asli' }).waitFor();
  await vp.getByText(shown).waitFor();
  assert.equal(await vp.getByText('Putri Aminah').count(), 0, 'no personal data on the check');
  assert.equal(await vp.getByText('Jl. Merdeka').count(), 0);
  await check(vp, 'verify');
  // one character changed: not verifiable
  const p = verify.split('/').pop();
  const flipped = p.slice(0, 40) + (p[40] === 'A' ? 'B' : 'A') + p.slice(41);
  await vp.goto(`${server.url}/verifikasi/${flipped}`);
  await vp.getByRole('heading', { level: 1, name: 'Tidak dapat diverifikasi' }).waitFor();
  await check(vp, 'verify-bad');
  await anon.close();
  await ctx.close();
});
