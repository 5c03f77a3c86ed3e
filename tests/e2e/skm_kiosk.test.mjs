// Running a satisfaction-survey period in the browser: the head of a kecamatan office
// (kepala_unit) creates a period (a wrong year first: the error is shown and what was typed is
// kept), enters the walk-in count, keys in a paper questionnaire (the form comes back empty with
// the focus on the first element), starts a kiosk and opens its address on a tablet (800 x 1280):
// the questions carry the instrument's answer labels, the touch targets are at least 64 px, and
// after Kirim the thank-you screen returns to the start by itself. Then a follow-up item.
// Every page is checked with axe and photographed (test-artifacts/skm-*.png).
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

// axe, no sideways scrolling, a screenshot at 360 px and one at `wide` px. `allow`: axe rules
// accepted on this page, each with its reason at the call.
async function check(page, name, wide = 1280, allow = []) {
  const vp = page.viewportSize();
  const axe = async () => (await axeViolations(page)).filter((v) => !allow.some((r) => v.startsWith(r + ' ')));
  await page.setViewportSize({ width: 360, height: 740 });
  const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(w <= 360, `${name}: page is ${w}px wide at 360px`);
  assert.deepEqual(await axe(), [], `${name}: axe at 360px`);
  await screenshot(page, `skm-${name}-360`);
  await page.setViewportSize({ width: wide, height: wide === 800 ? 1280 : 900 });
  assert.deepEqual(await axe(), [], `${name}: axe at ${wide}px`);
  await screenshot(page, `skm-${name}-${wide}`);
  await page.setViewportSize(vp);
}

async function signIn(page, who) {
  await page.goto(server.url + '/masuk');
  await page.locator('#identitas').fill(who);
  await page.locator('#kata_sandi').fill(DEMO_PASSWORD);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/masuk'));
}

test('a kepala_unit runs a period: paper, kiosk on a tablet, follow-up', async () => {
  const staff = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await staff.newPage();
  await signIn(page, 'kepala.kecamatan');

  // a period: a wrong year first
  await page.goto(server.url + '/admin/skm');
  await check(page, 'list-empty');
  await page.getByRole('link', { name: 'Buat periode' }).click();
  await page.waitForURL(/\/admin\/skm\/baru$/);
  await page.locator('#tahun').fill('26');
  await page.getByRole('button', { name: 'Buat periode' }).click();
  await assert.doesNotReject(page.locator('.govuk-error-summary').waitFor());
  assert.match(await page.locator('#tahun-error').innerText(), /4 angka/);
  assert.equal(await page.locator('#tahun').inputValue(), '26', 'what was typed is kept');
  await check(page, 'new-error');
  await page.locator('#tahun').fill('2026');
  await page.locator('label[for=jenis]').click(); // triwulan
  await page.locator('#triwulan').selectOption('4');
  await page.getByRole('button', { name: 'Buat periode' }).click();
  await page.waitForURL(/\/admin\/skm\/\d+\?berhasil=baru$/);
  const periodUrl = page.url().replace(/\?.*$/, '');
  assert.match(await page.locator('h1').innerText(), /2026-Q4/);

  // the walk-in count gives N and the required sample
  await page.locator('#jumlah').fill('120');
  await page.getByRole('button', { name: 'Simpan jumlah' }).click();
  await page.waitForURL(/berhasil=jumlah$/);
  assert.match(await page.locator('.govuk-summary-list').innerText(), /120[\s\S]*92/);
  await assert.doesNotReject(page.locator('.govuk-warning-text').waitFor());
  await check(page, 'period');

  // a paper questionnaire: labels from the instrument, focus back on the first element
  await page.getByRole('link', { name: 'Isi kuesioner kertas' }).click();
  await page.waitForURL(/\/kertas$/);
  assert.equal(await page.locator('label[for=j4-4]').innerText(), '4 Gratis');
  await check(page, 'paper');
  for (let i = 1; i <= 9; i++)
    await page.locator(`label[for=${i === 3 ? 'j3-0' : `j${i}-3`}]`).click();
  await page.locator('#umur').fill('34');
  await page.getByRole('button', { name: 'Simpan dan isi kertas berikutnya' }).click();
  await page.waitForURL(/tersimpan=1/);
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Tersimpan \(1 /);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'j1');
  assert.equal(await page.locator('input[name=j1]:checked').count(), 0, 'an empty form');
  await check(page, 'paper-saved');

  // a kiosk for this period
  const pid = periodUrl.match(/(\d+)$/)[1];
  await page.goto(`${server.url}/admin/skm/kios?periode=${pid}`);
  await page.locator('#tempat').fill('Loket 1');
  await check(page, 'kiosk-admin');
  await page.getByRole('button', { name: 'Mulai kios' }).click();
  const kioskUrl = (await page.locator('#kiosk-url').innerText()).trim();
  assert.match(kioskUrl, /\/kios\/skm\/[A-Za-z0-9_-]{43}$/);
  await assert.doesNotReject(page.locator('.layan-qr svg').waitFor());
  await check(page, 'kiosk-started');

  // the tablet: no sign-in, big targets, the thank-you screen returns to the start
  const tablet = await browser.newContext({ viewport: { width: 800, height: 1280 }, hasTouch: true });
  const tab = await tablet.newPage();
  // the address is built from [app] base_url; the test server listens elsewhere
  await tab.goto(server.url + new URL(kioskUrl).pathname);
  assert.equal(await tab.locator('fieldset').count(), 9);
  assert.equal(await tab.locator('label[for=j7-4]').innerText(), 'Sangat sopan dan ramah');
  const box = await tab.locator('label[for=j1]').boundingBox();
  assert.ok(box.height >= 64, `a touch target is ${box.height}px high`);
  await check(tab, 'kiosk', 800);
  for (let i = 1; i <= 9; i++) await tab.locator(`label[for=j${i}-4]`).tap();
  await tab.getByRole('button', { name: 'Kirim' }).tap();
  await tab.waitForURL(/\?terima=1$/);
  assert.match(await tab.locator('h1').innerText(), /Terima kasih/);
  // meta-refresh: the kiosk's thank-you screen goes back to an empty questionnaire by itself
  // (a shared tablet must not wait for the next person to find the way back). It ends a task
  // that is complete: nothing can be lost, the screen says so and offers "Mulai lagi".
  await check(tab, 'kiosk-thanks', 800, ['meta-refresh']);
  await tab.waitForURL((u) => u.pathname.startsWith('/kios/skm/') && !u.search, { timeout: 15000 });
  assert.equal(await tab.locator('input:checked').count(), 0, 'back to an empty questionnaire');
  await tablet.close();

  // both answers are counted
  await page.goto(periodUrl);
  assert.match(await page.locator('.layan-stats').innerText(), /2\s+kuesioner/);

  // the follow-up plan: one item done
  await page.goto(periodUrl + '/tindak-lanjut');
  await page.locator('#elemen').selectOption('U3');
  await page.locator('#masalah').fill('Waktu tunggu lama');
  await page.locator('#tindakan').fill('Membuka loket kedua setiap Senin');
  await page.locator('#pj').fill('Kasi Pelayanan');
  await page.locator('#status').selectOption('done');
  await page.locator('#bukti').fill('https://example.org/foto-loket-2.jpg');
  await page.getByRole('button', { name: 'Tambahkan butir' }).click();
  await page.waitForURL(/berhasil=simpan$/);
  assert.match(await page.locator('.layan-stats').innerText(), /100%/);
  await check(page, 'followup');
  await staff.close();
});
