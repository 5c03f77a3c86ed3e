// Maintaining a service standard in the browser: the admin signs in with two steps, opens the
// KTP-el baru standard, changes the time limit and saves; the public service page then shows the
// new time limit and version 1 stays readable. The editor, the list, the completeness report and
// the maklumat page are checked with axe and photographed at 360 px and 1280 px
// (test-artifacts/std-*.png); at 360 px nothing may be wider than the screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, totp, checkPhone } from './harness.mjs';

const DEMO_PASSWORD = 'layan-demo-2026';

let server, browser, adminKey, admin;
before(async () => {
  server = await startServer();
  browser = await launch();
  const m = server.demoOutput.match(/admin TOTP key: ([A-Z2-7]+)/);
  assert.ok(m, 'layan demo prints the admin TOTP key');
  adminKey = m[1];
  admin = await adminPage(); // once: a TOTP code is accepted once per 30 s step
});
after(async () => {
  await admin?.ctx.close();
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'layan serve must exit 0 on SIGTERM');
});

const check = (page, name) => checkPhone(page, `std-${name}`);

async function adminPage() {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await page.goto(server.url + '/masuk');
  await page.locator('#identitas').fill('admin');
  await page.locator('#kata_sandi').fill(DEMO_PASSWORD);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL(/\/masuk\/kode$/);
  await page.locator('#kode').fill(totp(adminKey));
  await page.locator('main button[type=submit]').click();
  await page.waitForURL(/\/admin$/);
  return { ctx, page };
}

test('the admin edits the KTP-el baru standard; the public page follows, version 1 stays', async () => {
  const { page } = admin;
  await page.goto(server.url + '/admin');
  // the admin menu leads to the services
  await page.getByRole('link', { name: 'Standar pelayanan', exact: true }).click();
  await page.waitForURL(/\/admin\/layanan$/);
  await page.getByRole('heading', { level: 1, name: 'Layanan dan standarnya' }).waitFor();
  await check(page, 'list');

  await page.goto(server.url + '/admin/layanan/ktp-baru/standar');
  await page.getByRole('heading', { level: 1, name: 'KTP-el baru' }).waitFor();
  await check(page, 'standard');
  await page.getByRole('link', { name: 'Ubah: simpan sebagai versi baru' }).click();
  await page.waitForURL(/\/standar\/ubah$/);

  // the cost of an adminduk service is locked, with the reason
  assert.ok(await page.locator('#biaya').isDisabled(), 'the cost field is locked');
  await page.getByText('UU 24/2013 Pasal 79A').first().waitFor();
  await check(page, 'editor');

  // a mistake first: nothing typed is lost
  await page.locator('#waktu').fill('0');
  await page.locator('#catatan').fill('Waktu penyelesaian dipersingkat');
  await page.getByRole('button', { name: 'Simpan sebagai versi baru' }).click();
  await page.locator('.govuk-error-summary').waitFor();
  await page.locator('#waktu-error').waitFor();
  assert.equal(await page.locator('#catatan').inputValue(), 'Waktu penyelesaian dipersingkat');
  await check(page, 'editor-error');

  await page.locator('#waktu').fill('3');
  await page.locator('#satuan').selectOption('hours');
  await page.getByRole('button', { name: 'Simpan sebagai versi baru' }).click();
  await page.waitForURL(/\/admin\/layanan\/ktp-baru\/standar\?tersimpan=2$/);
  const banner = await page.locator('.govuk-notification-banner').innerText();
  assert.match(banner, /Versi 2 tersimpan; berlaku mulai/);
  await page.getByRole('heading', { name: 'Versi 2, berlaku sekarang' }).waitFor();
  await check(page, 'saved');

  // the public: the service page shows the new time limit, version 1 is still there
  const pub = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const p = await pub.newPage();
  await p.goto(server.url + '/layanan/ktp-baru');
  await p.getByText('3 jam kerja').first().waitFor();
  const r = await p.goto(server.url + '/layanan/ktp-baru/versi/1');
  assert.equal(r.status(), 200, 'version 1 is readable by the public');
  await p.getByText('1 hari kerja').first().waitFor();
  await pub.close();
});

test('completeness and maklumat pages', async () => {
  const { page } = admin;
  await page.goto(server.url + '/admin');
  await page.getByRole('link', { name: /Kelengkapan standar pelayanan/ }).click();
  await page.waitForURL(/\/admin\/kelengkapan$/);
  await page.getByRole('heading', { level: 1, name: 'Kelengkapan standar pelayanan' }).waitFor();
  await check(page, 'completeness');
  await page.goto(server.url + '/admin/unit/disdukcapil/maklumat');
  await page.getByRole('heading', { level: 1, name: 'Maklumat pelayanan' }).waitFor();
  await check(page, 'maklumat');
});
