// The whole journey of a request (issues 6 and 7) in one browser run on the demo data: the
// admin opens a survey period for the kecamatan's service point; the demo citizen applies for a
// KIA there with real uploads (PDF, PNG and a JPEG drawn by the browser) and home delivery,
// checks the answers and gets the receipt; the receipt's QR link says "genuine", a tampered
// payload does not; the officer claims, verifies, processes, finishes and hands it to the demo
// courier; the courier records the hand-over with a photo; the tracking page and the citizen's
// own page show every step, newest first, with its time; the message after the hand-over
// carries a one-time survey link (read where the dev sender shows it: the admin's outbox), the
// citizen answers all nine elements, the link is refused the second time, and once the period is
// closed and published the public SKM page counts the answer. Every new page is axe-clean and
// does not scroll sideways at 360 px; screenshots in test-artifacts/journey-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, axeViolations, screenshot, totp } from './harness.mjs';

const DEMO_PASSWORD = 'layan-demo-2026';
const POINT = '32.73.01'; // the first kecamatan: the service point and the survey's unit
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n' +
                        '2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

let server, browser, admin;
before(async () => {
  server = await startServer();
  browser = await launch();
  const m = server.demoOutput.match(/admin TOTP key: ([A-Z2-7]+)/);
  assert.ok(m, 'layan demo prints the admin TOTP key');
  admin = await adminPage(m[1]); // once: a TOTP code is accepted once per 30 s step
});
after(async () => {
  await admin?.ctx.close();
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'layan serve must exit 0 on SIGTERM');
});

async function adminPage(key) {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await page.goto(server.url + '/masuk');
  await page.locator('#identitas').fill('admin');
  await page.locator('#kata_sandi').fill(DEMO_PASSWORD);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL(/\/masuk\/kode$/);
  await page.locator('#kode').fill(totp(key));
  await page.locator('main button[type=submit]').click();
  await page.waitForURL(/\/admin$/);
  return { ctx, page };
}

async function signedIn(ident) {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await page.goto(server.url + '/masuk');
  await page.locator('#identitas').fill(ident);
  await page.locator('#kata_sandi').fill(DEMO_PASSWORD);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/masuk'));
  return { ctx, page };
}

// at 360 px: nothing wider than the screen, axe clean, a full-page screenshot. { axe: false }
// for a page in the same state as one the other e2e tests already run axe on (named there), to
// keep this long walk quick
async function check(page, name, { axe = true } = {}) {
  await page.setViewportSize({ width: 360, height: 740 });
  const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(w <= 360, `${name}: page is ${w}px wide at 360px`);
  if (axe) assert.deepEqual(await axeViolations(page), [], `${name}: axe at 360px`);
  await screenshot(page, `journey-${name}-360`);
}

// the respondents the public page lists for the period (0 when the period is not listed)
async function publicRespondents(page, periodLabel) {
  await page.goto(`${server.url}/skm/${POINT}`);
  await page.getByRole('heading', { level: 1, name: 'Hasil Survei Kepuasan Masyarakat' }).waitFor();
  const row = page.locator('.layan-skm-periods tbody tr', { hasText: periodLabel });
  if (await row.count() === 0) return 0;
  return Number((await row.locator('td').nth(1).textContent()).trim());
}

test('apply, verify, process, deliver, track, check the receipt and answer the survey', async () => {
  const ap = admin.page;

  // ---- the admin opens a survey period for the service point (this quarter: the default) ----
  await ap.goto(server.url + '/admin/skm/baru');
  await ap.getByRole('heading', { level: 1, name: 'Buat periode survei' }).waitFor();
  await ap.locator('#unit').selectOption(POINT);
  assert.ok(await ap.locator('#jenis').isChecked(), 'a quarter is the default kind');
  const year = await ap.locator('#tahun').inputValue(), quarter = Number(await ap.locator('#triwulan').inputValue());
  const periodLabel = `Triwulan ${['I', 'II', 'III', 'IV'][quarter - 1]} ${year}`;
  await ap.getByRole('button', { name: 'Buat periode' }).click();
  await ap.waitForURL(/\/admin\/skm\/\d+\?berhasil=baru$/);
  const periodUrl = ap.url().replace(/\?.*$/, '');
  const linkStat = ap.locator('.layan-stat', { hasText: 'lewat tautan' }).locator('.layan-stat__n');
  assert.equal((await linkStat.textContent()).trim(), '0', 'no answer by link yet');

  // before: the public page counts nothing for this period (seen signed in: anonymous visitors
  // get the node's copy of a public page for up to a minute, http/cache.h)
  assert.equal(await publicRespondents(ap, periodLabel), 0);
  const anon = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const pub = await anon.newPage();

  // ---- 1. the citizen applies for a KIA with home delivery ----
  const citizen = await signedIn('081200000001');
  const cp = citizen.page;
  // a real JPEG, drawn and encoded by the browser: the child's passport photo
  const JPEG = Buffer.from(await cp.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 30; c.height = 40;
    const g = c.getContext('2d');
    g.fillStyle = '#c0392b'; g.fillRect(0, 0, 30, 40);
    g.fillStyle = '#f5cba7'; g.fillRect(8, 6, 14, 18);
    return c.toDataURL('image/jpeg', 0.9).split(',')[1];
  }), 'base64');
  assert.deepEqual([...JPEG.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
  await cp.goto(server.url + '/layanan/kia/ajukan');
  await cp.getByRole('heading', { level: 1, name: 'Kartu Identitas Anak (KIA)' }).waitFor();
  await check(cp, 'apply', { axe: false }); // request_apply: form
  await cp.locator('#unit').selectOption(POINT);
  await cp.getByLabel('Nomor KK').fill('3273011203190001');
  await cp.getByLabel('Nama anak').fill('Bima Pratama');
  await cp.getByLabel('Tanggal lahir anak').fill('2019-08-02');
  await cp.locator('#berkas_kk').setInputFiles({ name: 'kk.pdf', mimeType: 'application/pdf', buffer: PDF });
  await cp.locator('#berkas_ktp-ortu').setInputFiles({ name: 'ktp.png', mimeType: 'image/png', buffer: PNG });
  await cp.locator('#berkas_akta-lahir').setInputFiles({ name: 'akta.pdf', mimeType: 'application/pdf', buffer: PDF });
  await cp.locator('#berkas_pasfoto').setInputFiles({ name: 'foto.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await cp.getByLabel('Diantar ke rumah', { exact: true }).check();
  await cp.locator('#alamat').fill('Jl. Cempaka No. 12, RT 03/RW 04, Kelurahan Sukamaju');
  await cp.getByRole('button', { name: 'Lanjutkan' }).click();
  await cp.getByRole('heading', { level: 1, name: 'Periksa jawaban Anda sebelum mengirim' }).waitFor();
  const answers = await cp.locator('main').textContent();
  for (const s of ['Bima Pratama', '2 Agustus 2019', 'Diantar ke rumah', 'Jl. Cempaka No. 12',
                   'Pas foto anak berwarna 2×3 (JPG', 'KTP-el kedua orang tua / wali (PNG', 'KK orang tua (PDF'])
    assert.ok(answers.includes(s), `the check page repeats "${s}"`);
  await check(cp, 'check', { axe: false }); // request_apply: check
  await cp.getByRole('button', { name: 'Kirim permohonan' }).click();
  await cp.waitForURL(/\/permohonan\/[0-9A-Z]{10}\/tanda-terima$/);
  const code = cp.url().match(/permohonan\/([0-9A-Z]{10})\//)[1];
  const shown = `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
  assert.equal((await cp.locator('.layan-tracking-code').first().textContent()).trim(), shown);
  await cp.getByText('Jl. Cempaka No. 12').first().waitFor();
  assert.equal(await cp.locator('.layan-receipt-qr svg').count(), 1, 'the QR code is on the receipt');
  await check(cp, 'receipt', { axe: false }); // request_apply: receipt

  // ---- 5. the receipt's QR payload: genuine; one character changed: not ----
  const verify = await cp.getByRole('link', { name: 'Periksa sekarang' }).getAttribute('href');
  assert.match(verify, /^\/verifikasi\/[A-Za-z0-9_-]{40,}$/);
  await pub.goto(server.url + verify);
  await pub.getByRole('heading', { level: 1, name: 'Asli' }).waitFor();
  await pub.getByText(shown).waitFor();
  assert.equal(await pub.getByText('Bima Pratama').count(), 0, 'no personal data on the check');
  await check(pub, 'verify', { axe: false }); // request_apply: verify
  const payload = verify.split('/').pop();
  const i = Math.floor(payload.length / 2);
  const tampered = payload.slice(0, i) + (payload[i] === 'A' ? 'B' : 'A') + payload.slice(i + 1);
  await pub.goto(`${server.url}/verifikasi/${tampered}`);
  await pub.getByRole('heading', { level: 1, name: 'Tidak dapat diverifikasi' }).waitFor();
  assert.equal(await pub.getByText(shown).count(), 0, 'a tampered payload names no request');
  await check(pub, 'verify-tampered', { axe: false }); // request_apply: verify-bad

  // ---- 2. the officer: worklist, claim, verify, process, ready, to the courier ----
  const officer = await signedIn('petugas');
  const op = officer.page;
  await op.goto(server.url + '/petugas');
  const row = op.locator('tr', { hasText: shown });
  await row.waitFor();
  assert.match(await row.textContent(), /Belum ada/, 'nobody handles it yet');
  await check(op, 'worklist', { axe: false }); // request_work: list
  await row.getByRole('link', { name: shown }).click();
  await op.getByRole('button', { name: 'Ambil permohonan ini' }).click();
  await op.getByText('Anda yang menangani permohonan ini.', { exact: true }).waitFor();
  const detail = await op.locator('main').textContent();
  assert.match(detail, /Jl\. Cempaka No\. 12/, 'the officer sees the address');
  // the form's answers in words, as the applicant gave them (not the stored codes)
  assert.match(detail, /Jenis KIA\s*KIA untuk anak usia 5 sampai 17 tahun/);
  assert.match(detail, /Tanggal lahir anak\s*Jumat, 2 Agustus 2019/);
  assert.ok(!detail.includes('jenis_kia'), 'no field code shown to the officer');
  await check(op, 'officer-detail');
  await op.locator('#catatan').fill('Berkas lengkap dan sesuai');
  await op.getByRole('button', { name: 'Verifikasi' }).click();
  await op.locator('.govuk-notification-banner').waitFor();
  for (const step of ['Mulai proses', 'Tandai selesai']) {
    await op.getByRole('button', { name: step }).click();
    await op.locator('.govuk-notification-banner').waitFor();
  }
  await op.locator('#kurir').selectOption({ label: 'Kurir Disdukcapil (demo)' });
  await op.getByRole('button', { name: 'Kirim lewat kurir' }).click();
  await op.locator('.govuk-notification-banner').waitFor();
  await check(op, 'officer-sent');
  await officer.ctx.close();

  // ---- 3. the courier hands it over, with a photo ----
  const courier = await signedIn('kurir');
  const kp = courier.page;
  await kp.goto(server.url + '/kurir');
  const card = kp.locator('section.layan-delivery', { hasText: shown });
  await card.getByText('Jl. Cempaka No. 12').waitFor();
  await check(kp, 'courier', { axe: false }); // request_work: courier
  await card.locator('summary', { hasText: 'Sudah diterima' }).click();
  await card.getByLabel('Diterima oleh (nama)').fill('Siti Rahma');
  await card.getByLabel('Hubungan dengan pemohon').fill('ibu kandung');
  await card.getByLabel('Foto penyerahan (tidak wajib)').setInputFiles({ name: 'serah.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await card.getByRole('button', { name: 'Catat sudah diantar' }).click();
  await kp.locator('.govuk-notification-banner').waitFor();
  assert.equal(await kp.locator('section.layan-delivery', { hasText: shown }).count(), 0,
               'the delivery left the courier\'s list');
  await check(kp, 'courier-done');
  await courier.ctx.close();

  // ---- 4. tracking: every step, newest first, each with its time ----
  const steps = ['Sudah diterima', 'Sedang diantar', 'Selesai', 'Sedang diproses', 'Diverifikasi', 'Diajukan'];
  const history = async (page) => {
    const items = page.locator('.layan-timeline__item');
    const out = [];
    for (let k = 0; k < await items.count(); k++) {
      const meta = (await items.nth(k).locator('.layan-muted').first().textContent()).trim();
      const [at, label] = meta.split(' · ');
      out.push({ at, label });
    }
    return out;
  };
  await pub.goto(`${server.url}/lacak/${code}`);
  await pub.getByText(/Sudah diterima pada /).waitFor();
  let h = await history(pub);
  assert.deepEqual(h.map((e) => e.label), steps, 'the public history, newest first');
  for (const e of h) assert.match(e.at, /\d{1,2} \S+ \d{4}/, `"${e.label}" has a date`);
  assert.equal(await pub.getByText('Bima Pratama').count(), 0, 'no personal data when tracking');
  await check(pub, 'track');
  await cp.goto(`${server.url}/akun/permohonan/${code}`);
  await cp.getByText(/Sudah diterima pada /).first().waitFor();
  h = await history(cp);
  assert.deepEqual(h.map((e) => e.label), steps, 'the citizen\'s own history, newest first');
  for (const e of h) assert.match(e.at, /\d{1,2} \S+ \d{4}/, `"${e.label}" has a date`);
  assert.match(await cp.locator('main').textContent(), /Berkas lengkap dan sesuai/, 'the officer\'s note');
  await check(cp, 'mine');

  // ---- 6. the survey link in the message after the hand-over (the dev sender's outbox) ----
  await ap.goto(server.url + '/admin/kotak-keluar');
  const msg = ap.locator('tbody tr', { hasText: `kode ${shown}` }).filter({ hasText: '/survei/' });
  assert.equal(await msg.count(), 1, 'one message carries the survey link');
  await check(ap, 'outbox');
  const body = await msg.locator('td').nth(2).locator('.layan-muted').textContent(); // the text alone
  assert.match(body, /Dokumen Anda sudah diterima/, 'it is the hand-over message');
  const survey = new URL(body.trim().match(/https?:\/\/\S+\/survei\/[A-Za-z0-9_-]+$/)[0]).pathname;
  assert.ok(await ap.locator('tbody tr', { hasText: `kode ${shown}` }).count() >= 5,
            'a message for every step; only the hand-over\'s carries the survey link');

  // the citizen answers every element (anonymously: no sign-in needed); the same link is also
  // open in a second tab, to be sent again later
  const again = await anon.newPage();
  await again.goto(server.url + survey);
  await pub.bringToFront(); // a background tab's animation frames are throttled
  await pub.goto(server.url + survey);
  await pub.getByRole('heading', { level: 1, name: 'Bagaimana layanan kami?' }).waitFor();
  const groups = pub.locator('fieldset');
  const nq = await groups.count();
  assert.equal(nq, 9, 'nine survey elements');
  await check(pub, 'survey');
  for (let k = 0; k < nq; k++)
    await groups.nth(k).locator('label').nth(k % 2 ? 2 : 3).click();
  await pub.getByRole('button', { name: 'Kirim' }).click();
  await pub.waitForURL(/\?terima=1$/);
  await pub.getByRole('heading', { level: 1, name: 'Terima kasih!' }).waitFor();
  await check(pub, 'survey-thanks');
  // the second time: refused, from the other tab's form and when opened again
  await again.bringToFront();
  await again.locator('label[for=j1]').click();
  const [res] = await Promise.all([again.waitForResponse((r) => r.request().method() === 'POST'),
                                   again.getByRole('button', { name: 'Kirim' }).click()]);
  assert.equal(res.status(), 409);
  await again.getByText('Setiap tautan hanya dapat dipakai sekali.', { exact: false }).waitFor();
  await again.close();
  await pub.bringToFront();
  await pub.goto(server.url + survey);
  await pub.getByText('Setiap tautan hanya dapat dipakai sekali.', { exact: false }).waitFor();
  assert.equal(await pub.locator('input[type=radio]').count(), 0, 'no form the second time');
  await check(pub, 'survey-used');

  // ---- the admin sees the answer, closes and publishes the period; the public page counts it ----
  await ap.goto(periodUrl);
  assert.equal((await linkStat.textContent()).trim(), '1', 'one answer by link, not two');
  await ap.getByRole('button', { name: 'Tutup periode' }).click();
  await ap.waitForURL(/berhasil=tutup$/);
  await ap.getByRole('button', { name: 'Terbitkan hasil' }).click();
  await ap.waitForURL(/berhasil=terbit$/);
  assert.equal(await publicRespondents(ap, periodLabel), 1, 'the public page counts the answer');
  assert.equal(await publicRespondents(pub, periodLabel), 1, 'also for anyone');
  await check(pub, 'skm-unit');
  await pub.locator('.layan-skm-periods').getByRole('link', { name: periodLabel }).click();
  await pub.getByRole('heading', { level: 1, name: new RegExp(periodLabel) }).waitFor();
  // the answers given above (4, 3, 4, 3, ...): index 3.5556, x 25 = 88,89
  await pub.locator('.layan-skm-score__value', { hasText: '88,89' }).waitFor();
  await check(pub, 'skm-period');

  await anon.close();
  await citizen.ctx.close();
});
