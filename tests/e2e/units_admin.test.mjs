// The unit admin pages in the browser, on a phone: the admin signs in (password and TOTP code),
// opens "Unit layanan" from the admin menu, makes a mistake in the opening hours (the error is
// shown next to the day, nothing typed is lost), fixes it, ticks facilities with a note, saves,
// and a visitor sees the hours and facilities on the public unit page. Every page is checked with
// axe and photographed at 360 px and 1280 px (test-artifacts/units-admin-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, axeViolations, screenshot, totp } from './harness.mjs';

const DEMO_PASSWORD = 'layan-demo-2026';

let server, browser, adminKey;
before(async () => {
  server = await startServer();
  browser = await launch();
  const m = server.demoOutput.match(/admin TOTP key: ([A-Z2-7]+)/);
  assert.ok(m, 'layan demo prints the admin TOTP key');
  adminKey = m[1];
});
after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'layan serve must exit 0 on SIGTERM');
});

async function phone() {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  return { ctx, page: await ctx.newPage() };
}

// axe, no sideways scrolling at 360 px, screenshots at 360 px and 1280 px
async function check(page, name) {
  const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(w <= 360, `${name}: page is ${w}px wide at 360px`);
  assert.deepEqual(await axeViolations(page), [], `${name}: axe`);
  await screenshot(page, `units-admin-${name}-360`);
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.deepEqual(await axeViolations(page), [], `${name}: axe at 1280px`);
  await screenshot(page, `units-admin-${name}-1280`);
  await page.setViewportSize({ width: 360, height: 740 });
}

async function signInAdmin(page) {
  await page.goto(server.url + '/masuk');
  await page.locator('#identitas').fill('admin');
  await page.locator('#kata_sandi').fill(DEMO_PASSWORD);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL(/\/masuk\/kode$/);
  await page.locator('#kode').fill(totp(adminKey));
  await page.getByRole('button', { name: 'Lanjutkan' }).click();
  await page.waitForURL(/\/admin$/);
}

test('the admin edits hours and facilities; the public page shows them', async () => {
  const { ctx, page } = await phone();
  await signInAdmin(page);
  await page.locator('nav.layan-admin-nav').getByRole('link', { name: 'Unit layanan' }).click();
  await page.waitForURL(/\/admin\/unit$/);
  await page.getByRole('heading', { level: 1, name: /Unit layanan/ }).waitFor();
  await page.getByRole('columnheader', { name: 'Kelengkapan profil' }).waitFor();
  await check(page, 'list');

  // the main office of the Disdukcapil
  await page.getByRole('link', { name: /Dinas Kependudukan/ }).first().click();
  await page.waitForURL(/\/admin\/unit\/disdukcapil$/);
  await check(page, 'edit');

  // a mistake: Monday closes before it opens; a note without its box ticked
  await page.locator('#h1_buka').fill('07.30');
  await page.locator('#h1_tutup').fill('07.00');
  await page.locator('#f_parking_ket').fill('muat 20 motor');
  await page.locator('#lat').fill('-6.914744, 107.609810');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await page.locator('.govuk-error-summary').waitFor();
  const summary = await page.locator('.govuk-error-summary').innerText();
  assert.match(summary, /Senin: jam tutup harus lebih lambat daripada jam buka/);
  assert.match(summary, /Tempat parkir: centang fasilitasnya/);
  // nothing typed is lost
  assert.equal(await page.locator('#h1_buka').inputValue(), '07.30');
  assert.equal(await page.locator('#h1_tutup').inputValue(), '07.00');
  assert.equal(await page.locator('#f_parking_ket').inputValue(), 'muat 20 motor');
  assert.equal(await page.locator('#lat').inputValue(), '-6.914744');
  assert.equal(await page.locator('#lon').inputValue(), '107.609810');
  // the summary links to the field
  await page.locator('.govuk-error-summary a[href="#h1_tutup"]').click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'h1_tutup');
  await check(page, 'edit-error');

  // fixed: Monday 07.30-16.00 with a break, Saturday closed, facilities with notes
  await page.locator('#h1_tutup').fill('16.00');
  await page.locator('#h1_mulai').fill('12.00');
  await page.locator('#h1_selesai').fill('13.00');
  await page.locator('#h6_libur').check();
  await page.locator('#f_parking').check();
  await page.getByLabel('Akses kursi roda', { exact: true }).check();
  await page.locator('#f_wheelchair_ket').fill('2 kursi roda');
  await page.getByLabel('Ruang laktasi', { exact: true }).check();
  await page.getByRole('button', { name: 'Simpan' }).click();
  await page.waitForURL(/berhasil=simpan/);
  await page.getByText('Tersimpan.').waitFor();
  assert.equal(await page.locator('#h1_tutup').inputValue(), '16.00');
  assert.ok(await page.locator('#f_wheelchair').isChecked());
  assert.ok(await page.locator('#h6_libur').isChecked());
  await check(page, 'saved');

  // a visitor (not signed in) sees it on the unit page
  const visitor = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const pub = await visitor.newPage();
  await pub.goto(server.url + '/unit/disdukcapil');
  await pub.getByRole('heading', { level: 2, name: 'Fasilitas' }).waitFor();
  const list = await pub.locator('ul.layan-facilities').innerText();
  assert.match(list, /Akses kursi roda \(2 kursi roda\)/);
  assert.match(list, /Ruang laktasi/);
  assert.match(list, /Tempat parkir \(muat 20 motor\)/);
  const hours = await pub.locator('table.layan-hours').innerText();
  assert.match(hours, /07\.30–16\.00/);
  assert.match(hours, /istirahat 12\.00–13\.00/i);
  await check(pub, 'public-unit');
  await visitor.close();

  // the API says the same
  const api = await page.request.get(server.url + '/api/v1/units/disdukcapil');
  const j = await api.json();
  assert.deepEqual(j.facilities, [
    { code: 'parking', note: 'muat 20 motor' },
    { code: 'lactation_room', note: null },
    { code: 'wheelchair', note: '2 kursi roda' },
  ]);
  await ctx.close();
});

test('the admin adds a unit: a wrong region code first', async () => {
  const { ctx, page } = await phone();
  await signInAdmin(page);
  await page.goto(server.url + '/admin/unit');
  await page.getByRole('link', { name: 'Tambah unit' }).click();
  await page.waitForURL(/\/admin\/unit\/baru$/);
  await page.locator('#nama').fill('Mal Pelayanan Publik Kota');
  await page.locator('#kode').fill('mpp-kota');
  await page.locator('#induk').selectOption('pemda');
  await page.locator('#jenis').selectOption({ label: 'Mal Pelayanan Publik (MPP)' });
  await page.locator('#wilayah').fill('32.99');
  await check(page, 'new');
  await page.getByRole('button', { name: 'Buat unit' }).click();
  await page.locator('#wilayah-error').waitFor();
  assert.match(await page.locator('#wilayah-error').innerText(), /Tidak ada wilayah dengan kode 32\.99/);
  assert.equal(await page.locator('#nama').inputValue(), 'Mal Pelayanan Publik Kota');
  await check(page, 'new-error');
  await page.locator('#wilayah').fill('32.73');
  await page.getByRole('button', { name: 'Buat unit' }).click();
  await page.waitForURL(/\/admin\/unit\/mpp-kota\?berhasil=baru$/);
  await page.getByText('Unit sudah dibuat').waitFor();
  await ctx.close();
});
