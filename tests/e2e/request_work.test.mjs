// The officers' side of requests in the browser: a petugas files a request for a citizen at the
// counter (/petugas/ajukan), finds it in the worklist at 1280 px, claims it, verifies it and takes
// it to the courier; the courier's list and the unit head's SLA page. Every page is checked with
// axe, must not scroll sideways at 360 px, and is photographed at 360 px and 1280 px
// (test-artifacts/work-*.png). The full flow with every rule is tested over HTTP
// (tests/http/test_request_work.c); this keeps to what a browser adds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, axeViolations, screenshot } from './harness.mjs';

const DEMO_PASSWORD = 'layan-demo-2026';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
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
  await screenshot(page, `work-${name}-360`);
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.deepEqual(await axeViolations(page), [], `${name}: axe at 1280px`);
  await screenshot(page, `work-${name}-1280`);
  await page.setViewportSize(vp);
}

async function signedIn(ident) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(server.url + '/masuk');
  await page.locator('#identitas').fill(ident);
  await page.locator('#kata_sandi').fill(DEMO_PASSWORD);
  await page.locator('main button[type=submit]').click();
  await page.waitForLoadState();
  return { ctx, page };
}

test('a petugas files, claims, verifies and sends a request; the courier and the head see it', async () => {
  const { ctx, page } = await signedIn('petugas');

  // filing for a citizen at the counter: a mistake first
  await page.goto(server.url + '/petugas/ajukan');
  await page.getByRole('heading', { level: 1, name: 'Ajukan permohonan untuk warga' }).waitFor();
  await page.locator('#layanan').selectOption('ktp-ganti');
  await page.locator('#titik').selectOption('32.73.01');
  await page.locator('#nik').fill('12345');
  await page.locator('#nama').fill('Siti Aminah');
  await page.locator('#antar').check();
  await page.locator('main button[type=submit]').click();
  await page.locator('.govuk-error-summary').waitFor();
  await check(page, 'assist-errors');
  assert.equal(await page.locator('#nama').inputValue(), 'Siti Aminah', 'what was typed is kept');
  await page.locator('#nik').fill('3273014107850003');
  await page.locator('#alamat').fill('Jl. Kenanga No. 7 RT 02/RW 05, Sukasari');
  await page.locator('main button[type=submit]').click();
  await page.getByRole('heading', { level: 1, name: /Permohonan/ }).waitFor();
  const code = (await page.locator('h1 .layan-mono').textContent()).trim();
  assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);

  // the worklist at 1280 px: the request, its deadline in words, nobody handling it yet
  await page.goto(server.url + '/petugas');
  const row = page.locator('tr', { hasText: code });
  await row.waitFor();
  assert.match(await row.textContent(), /hari kerja lagi|Hari ini|Terlambat/);
  assert.match(await row.textContent(), /Belum ada/);
  await check(page, 'list');

  // the detail: claim, then verify
  await row.getByRole('link', { name: code }).click();
  await page.getByRole('button', { name: 'Ambil permohonan ini' }).click();
  await page.getByText('Anda yang menangani permohonan ini.', { exact: true }).waitFor();
  await check(page, 'detail');
  await page.locator('#catatan').fill('Berkas lengkap');
  await page.getByRole('button', { name: 'Verifikasi' }).click();
  await page.locator('.govuk-notification-banner').waitFor();
  assert.match(await page.locator('main').textContent(), /Berkas lengkap/);
  // a correction without a reason is refused in words
  await page.getByRole('button', { name: 'Minta perbaikan' }).click();
  await page.locator('.govuk-error-summary').waitFor();
  await check(page, 'detail-error');
  for (const step of ['Mulai proses', 'Tandai selesai']) {
    await page.getByRole('button', { name: step }).click();
    await page.locator('.govuk-notification-banner').waitFor();
  }
  await page.locator('#kurir').selectOption({ label: 'Kurir Disdukcapil (demo)' });
  await page.getByRole('button', { name: 'Kirim lewat kurir' }).click();
  await page.locator('.govuk-notification-banner').waitFor();
  await ctx.close();

  // the courier's list, with the address
  const k = await signedIn('kurir');
  await k.page.goto(server.url + '/kurir');
  await k.page.getByText('Jl. Kenanga No. 7').waitFor();
  await check(k.page, 'courier');
  await k.ctx.close();

  // the SLA page of the kecamatan's head
  const h = await signedIn('kepala.kecamatan');
  await h.page.goto(server.url + '/petugas/kinerja');
  await h.page.getByRole('heading', { level: 1, name: /Kinerja layanan/ }).waitFor();
  await check(h.page, 'sla');
  await h.ctx.close();
});
