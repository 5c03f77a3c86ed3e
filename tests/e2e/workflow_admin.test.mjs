// The request workflow page in the browser: from a service's admin page the admin opens
// "Alur permohonan", sees the built-in workflow as tables, types a definition with a mistake
// (the reason is shown next to the field, the text is kept), previews and saves a correct one,
// then goes back to the built-in workflow through the confirmation page. Each state is checked
// with axe and photographed at 360 px and 1280 px (test-artifacts/wf-*.png); at 360 px nothing
// may be wider than the screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, totp, checkPhone } from './harness.mjs';

const DEMO_PASSWORD = 'layan-demo-2026';
const OWN = `{
  "initial": "masuk",
  "states": [
    {"code": "masuk"},
    {"code": "diperiksa"},
    {"code": "selesai", "end": "done", "terminal": true},
    {"code": "ditolak", "end": "done", "terminal": true}
  ],
  "transitions": [
    {"from": "masuk", "to": "diperiksa", "roles": ["petugas", "kepala_unit"]},
    {"from": "diperiksa", "to": "selesai", "roles": ["petugas"]},
    {"from": "diperiksa", "to": "ditolak", "roles": ["petugas"], "reason": true}
  ]
}`;

let server, browser, adminKey, admin;
before(async () => {
  server = await startServer();
  browser = await launch();
  const m = server.demoOutput.match(/admin TOTP key: ([A-Z2-7]+)/);
  assert.ok(m, 'layan demo prints the admin TOTP key');
  adminKey = m[1];
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
  admin = { ctx, page };
});
after(async () => {
  await admin?.ctx.close();
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'layan serve must exit 0 on SIGTERM');
});

const check = (page, name) => checkPhone(page, `wf-${name}`);

test('the admin changes the KTP-el hilang/rusak workflow and goes back to the built-in one', async () => {
  const { page } = admin;
  await page.goto(server.url + '/admin/layanan/ktp-ganti/standar');
  await page.getByRole('link', { name: 'Alur permohonan' }).click();
  await page.waitForURL(/\/admin\/layanan\/ktp-ganti\/alur$/);
  await page.getByRole('heading', { level: 1, name: 'Alur permohonan' }).waitFor();
  await page.getByText('Alur bawaan', { exact: true }).waitFor();
  await page.getByRole('cell', { name: 'Menunggu pemohon (waktu layanan dihentikan)' }).first().waitFor();
  await check(page, 'default');

  // a mistake: the reason next to the field, the text kept
  const bad = OWN.replace('{"from": "diperiksa", "to": "selesai", "roles": ["petugas"]},\n', '');
  await page.locator('#definisi').fill(bad);
  await page.getByRole('button', { name: 'Simpan', exact: true }).click();
  await page.locator('.govuk-error-summary').waitFor();
  const err = await page.locator('#definisi-error').innerText();
  assert.match(err, /Tahap "selesai" tidak dapat dicapai dari tahap pertama/);
  assert.equal(await page.locator('#definisi').inputValue(), bad);
  await check(page, 'error');

  // preview, then save
  await page.locator('#definisi').fill(OWN);
  await page.getByRole('button', { name: 'Pratinjau' }).click();
  await page.getByText('Pratinjau teks di bawah. Belum disimpan.').waitFor();
  await page.getByRole('caption').filter({ hasText: '3 perpindahan' }).waitFor();
  assert.equal(await page.locator('#definisi').inputValue(), OWN);
  await check(page, 'preview');
  await page.getByRole('button', { name: 'Simpan', exact: true }).click();
  await page.waitForURL(/\/alur\?berhasil=simpan$/);
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Alur permohonan disimpan\./);
  await page.getByText('Alur sendiri', { exact: true }).waitFor();
  await check(page, 'saved');

  // back to the built-in workflow, after a confirmation
  await page.getByRole('link', { name: 'Kembalikan ke bawaan' }).click();
  await page.waitForURL(/\/alur\/bawaan$/);
  await page.getByRole('heading', { level: 1, name: 'Kembalikan ke alur bawaan?' }).waitFor();
  await page.getByText('diperiksa', { exact: true }).waitFor(); /* what a reset drops */
  await check(page, 'reset');
  await page.getByRole('button', { name: 'Ya, kembalikan ke alur bawaan' }).click();
  await page.waitForURL(/\/alur\?berhasil=bawaan$/);
  assert.match(await page.locator('.govuk-notification-banner').innerText(),
               /Layanan ini kembali mengikuti alur bawaan\./);
  await page.getByText('Alur bawaan', { exact: true }).waitFor();
});

test('the admin adds a field to the KTP-el hilang/rusak form; a repeated code is refused first', async () => {
  const { page } = admin;
  await page.goto(server.url + '/admin/layanan/ktp-ganti/standar');
  await page.getByRole('link', { name: 'Isian formulir permohonan' }).click();
  await page.waitForURL(/\/admin\/layanan\/ktp-ganti\/isian$/);
  await page.getByRole('heading', { level: 1, name: 'Isian formulir permohonan' }).waitFor();
  await check(page, 'fields');

  await page.locator('#f1_label').fill('Tanggal KTP hilang');
  await page.locator('#f1_kode').fill('alasan');
  await page.locator('#f1_jenis').selectOption('datetime');
  await page.locator('#f1_urutan').fill('1');
  await page.locator('#f0_urutan').fill('2');
  await page.getByRole('button', { name: 'Simpan isian' }).click();
  await page.locator('.govuk-error-summary').waitFor();
  assert.match(await page.locator('#f1_kode-error').innerText(), /isian 1 sudah memakai kode "alasan"/);
  assert.equal(await page.locator('#f1_label').inputValue(), 'Tanggal KTP hilang');
  await check(page, 'fields-error');

  await page.locator('#f1_kode').fill('tanggal_hilang');
  await page.getByRole('button', { name: 'Simpan isian' }).click();
  await page.waitForURL(/\/isian\?berhasil=simpan$/);
  await page.getByRole('caption').filter({ hasText: '2 isian dipakai' }).waitFor();
  const first = await page.locator('table tbody tr').first().innerText();
  assert.match(first, /Tanggal KTP hilang/, 'the new field comes first (order 1)');
});
