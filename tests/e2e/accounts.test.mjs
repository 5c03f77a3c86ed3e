// Accounts as people use them in the browser: registering (with mistakes first), the code from
// the message, signing in by keyboard only, the admin's two-step sign-in, switching language,
// a forgotten password, and a staff member turning on two-step sign-in. Every page is checked
// with axe and photographed at 360 px and 1280 px (test-artifacts/acct-*.png). One-time codes
// are read from the dev sender's lines in the server log; TOTP codes are computed here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, totp, checkPhone } from './harness.mjs';

const DEMO_PASSWORD = 'layan-demo-2026';
const CITIZEN_PHONE = '081200000001';

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

// ---- TOTP (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits) ----

// a code that is none of the ones the server could accept now
function wrongTotp(key) {
  const near = new Set([-2, -1, 0, 1, 2].map((d) => totp(key, d)));
  for (let n = 123456; ; n = (n + 111111) % 1000000) {
    const c = String(n).padStart(6, '0');
    if (!near.has(c)) return c;
  }
}

// ---- one-time codes from the dev sender's log lines ----

function sentCodes() {
  return [...server.log().matchAll(/outbox dev sender[^\n]*?body=[^\n]*?\b(\d{6})\b/g)].map((m) => m[1]);
}

async function nextCode(seen) {
  for (let i = 0; i < 200; i++) {
    const codes = sentCodes();
    if (codes.length > seen) return codes[codes.length - 1];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no one-time code in the server log:\n' + server.log().slice(-2000));
}

// ---- pages ----

async function phone() {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  return { ctx, page: await ctx.newPage() };
}

// axe, no sideways scrolling at 360 px, screenshots at 360 px and 1280 px
const check = (page, name) => checkPhone(page, `acct-${name}`);

async function focusedId(page) {
  return page.evaluate(() => document.activeElement?.id || '');
}

async function signIn(page, ident, password) {
  await page.goto(server.url + '/masuk');
  await page.locator('#identitas').fill(ident);
  await page.locator('#kata_sandi').fill(password);
  await page.locator('main button[type=submit]').click();
}

test('register a citizen: mistakes first, then the code from the message', async () => {
  const { ctx, page } = await phone();
  await page.goto(server.url + '/daftar');
  assert.equal(await page.getAttribute('html', 'lang'), 'id');
  await page.getByRole('heading', { level: 1, name: 'Buat akun' }).waitFor();
  await check(page, 'register');

  // a short NIK and no consent
  await page.getByLabel('NIK (Nomor Induk Kependudukan)').fill('3273021505');
  await page.getByLabel('Nama lengkap').fill('Siti Aminah');
  await page.locator('#telepon').fill('0812 9876 5432');
  await page.locator('#kata_sandi').fill('kopi-sawah-gunung-7');
  await page.getByRole('button', { name: 'Buat akun' }).click();
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  assert.match(await page.title(), /^Kesalahan: /, 'the title says there is an error');
  // the summary comes before the heading
  assert.ok(await page.evaluate(() => {
    const s = document.querySelector('.govuk-error-summary');
    const h = document.querySelector('main h1');
    return !!(s.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING);
  }), 'the error summary is at the top');
  assert.equal(await summary.locator('a').count(), 2);
  await summary.locator('a[href="#nik"]').click();
  assert.equal(await focusedId(page), 'nik', 'the NIK link moves focus to the NIK field');
  await summary.locator('a[href="#setuju"]').click();
  assert.equal(await focusedId(page), 'setuju', 'the consent link moves focus to the checkbox');
  assert.equal(await page.inputValue('#nik'), '3273021505', 'the typed NIK is kept');
  assert.equal(await page.inputValue('#nama'), 'Siti Aminah', 'the typed name is kept');
  assert.equal(await page.locator('#nik').getAttribute('aria-describedby'), 'nik-hint nik-error');
  assert.equal(await page.locator('#kata_sandi').inputValue(), '', 'the password is not sent back');
  await check(page, 'register-errors');

  // fixed
  await page.locator('#nik').fill('3273025505950002');
  await page.locator('#kata_sandi').fill('kopi-sawah-gunung-7');
  await page.locator('#setuju').check();
  const seen = sentCodes().length;
  await page.getByRole('button', { name: 'Buat akun' }).click();
  await page.locator('#kode').waitFor();
  const text = await page.locator('main').innerText();
  assert.match(text, /0812\*{4}5432/, 'the masked phone number is shown');
  assert.doesNotMatch(text, /98765432|9876 5432/, 'the full phone number is not shown');
  await check(page, 'verify');

  const code = await nextCode(seen);
  await page.locator('#kode').fill(code);
  await page.getByRole('button', { name: 'Konfirmasi' }).click();
  await page.waitForURL(/\/akun\?selamat=1$/);
  await page.getByText('Akun Anda sudah siap. Selamat datang!').waitFor();
  const main = await page.locator('main').innerText();
  assert.match(main, /Siti Aminah/);
  const full = page.locator('details.layan-reveal .govuk-details__text');
  assert.equal(await full.isVisible(), false, 'the full NIK is hidden at first');
  assert.doesNotMatch(main, /3273025505950002/);
  await check(page, 'profile-welcome');
  await page.getByText('Tampilkan NIK lengkap').click();
  assert.equal(await full.isVisible(), true);
  assert.equal((await full.innerText()).trim(), '3273025505950002');
  await ctx.close();
});

test('keyboard only: skip link, sign in with Enter, sign out from the header', async () => {
  const { ctx, page } = await phone();
  await page.goto(server.url + '/masuk');
  await check(page, 'signin');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'govuk-skip-link');
  assert.ok(await page.locator('.govuk-skip-link').isVisible(), 'the skip link shows when focused');
  await page.keyboard.press('Enter');
  await page.waitForURL(/#main$/);
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'identitas', 'after the skip link, Tab reaches the form');
  await page.keyboard.type(CITIZEN_PHONE);
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'kata_sandi');
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/akun$/);
  await page.getByRole('heading', { level: 1, name: 'Akun saya' }).waitFor();
  await check(page, 'profile-citizen');

  // from the top of the page, Tab until the header's sign-out button
  await page.goto(server.url + '/akun');
  let found = false;
  for (let i = 0; i < 10 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => {
      const e = document.activeElement;
      return e?.tagName === 'BUTTON' && !!e.closest('header') && e.textContent.trim() === 'Keluar';
    });
  }
  assert.ok(found, 'the sign-out button in the header is reachable with Tab');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/masuk\?keluar=1$/);
  await page.getByText('Anda sudah keluar.').waitFor();
  await check(page, 'signed-out');
  // really signed out
  await page.goto(server.url + '/akun');
  await page.waitForURL(/\/masuk/);
  await ctx.close();
});

test('the demo admin signs in with a password and a code from the app', async () => {
  const { ctx, page } = await phone();
  await signIn(page, 'admin', DEMO_PASSWORD);
  await page.waitForURL(/\/masuk\/kode$/);
  await page.getByRole('heading', { level: 1, name: 'Verifikasi dua langkah' }).waitFor();
  await check(page, 'totp-step');
  // not signed in yet
  const r = await page.request.get(server.url + '/admin', { maxRedirects: 0 });
  assert.notEqual(r.status(), 200, 'the admin page needs the second step');

  await page.locator('#kode').fill(wrongTotp(adminKey));
  await page.getByRole('button', { name: 'Lanjutkan' }).click();
  await page.locator('.govuk-error-summary').waitFor();
  await page.locator('#kode-error').waitFor();
  assert.match(await page.locator('#kode-error').innerText(), /Kode salah/);
  await check(page, 'totp-step-error');

  await page.locator('#kode').fill(totp(adminKey));
  const res = page.waitForResponse((x) => new URL(x.url()).pathname === '/admin');
  await page.getByRole('button', { name: 'Lanjutkan' }).click();
  await page.waitForURL(/\/admin$/);
  const status = (await res).status();
  assert.equal(status, 200, `/admin answered ${status}`);
  await page.getByRole('heading', { name: 'Administrasi' }).waitFor();
  await check(page, 'admin');
  await ctx.close();
});

test('language: English on the sign-in page, then back to Indonesian', async () => {
  const { ctx, page } = await phone();
  await page.goto(server.url + '/masuk');
  await page.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(/lang=en/);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await page.getByLabel('NIK, mobile number or e-mail').waitFor();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await check(page, 'signin-en');
  // the choice sticks without the parameter
  await page.goto(server.url + '/lupa');
  await page.getByRole('heading', { level: 1, name: 'Forgot your password?' }).waitFor();
  await page.getByRole('link', { name: 'Bahasa Indonesia' }).click();
  await page.waitForURL(/lang=id/);
  assert.equal(await page.getAttribute('html', 'lang'), 'id');
  await page.goto(server.url + '/masuk');
  await page.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
  await page.getByLabel('NIK, nomor HP, atau email').waitFor();
  await ctx.close();
});

test('forgot password: a code by SMS, a new password, signing in with it', async () => {
  const { ctx, page } = await phone();
  await page.goto(server.url + '/masuk');
  await page.getByRole('link', { name: 'Lupa kata sandi?' }).click();
  await page.waitForURL(/\/lupa$/);
  await check(page, 'forgot');
  await page.locator('#identitas').fill(CITIZEN_PHONE);
  const seen = sentCodes().length;
  await page.getByRole('button', { name: 'Kirim kode' }).click();
  await page.locator('#kode').waitFor();
  await check(page, 'reset');
  const code = await nextCode(seen);
  await page.locator('#kode').fill(code);
  await page.locator('#kata_sandi').fill('payung-merah-di-pasar');
  await page.getByRole('button', { name: 'Simpan kata sandi baru' }).click();
  await page.waitForURL(/\/masuk\?diatur=1$/);
  await page.getByText('Kata sandi Anda sudah diganti. Silakan masuk dengan kata sandi baru.').waitFor();
  await check(page, 'signin-reset-done');
  // the old password no longer works, the new one does
  await page.locator('#identitas').fill(CITIZEN_PHONE);
  await page.locator('#kata_sandi').fill(DEMO_PASSWORD);
  await page.locator('main button[type=submit]').click();
  await page.locator('#identitas-error').waitFor();
  await page.locator('#kata_sandi').fill('payung-merah-di-pasar');
  await page.locator('main button[type=submit]').click();
  await page.waitForURL(/\/akun$/);
  await ctx.close();
});

test('two-step sign-in set-up for the demo petugas', async () => {
  const { ctx, page } = await phone();
  await signIn(page, 'petugas', DEMO_PASSWORD);
  await page.waitForURL(/\/akun$/);
  await page.getByRole('link', { name: 'Verifikasi dua langkah' }).click();
  await page.waitForURL(/\/akun\/2fa$/);
  const svg = page.locator('.layan-qr svg');
  await svg.waitFor();
  assert.equal((await svg.locator('title').textContent()).trim(),
               'Kode QR untuk aplikasi autentikator Anda');
  const key = await page.locator('input[type=hidden][name=rahasia]').getAttribute('value');
  assert.match(key, /^[A-Z2-7]{16,}$/);
  assert.equal((await page.locator('#rahasia-text').innerText()).replace(/\s/g, ''), key,
               'the key is shown for typing by hand');
  await check(page, 'totp-setup');
  await page.locator('#kode').fill(totp(key));
  await page.getByRole('button', { name: 'Aktifkan verifikasi dua langkah' }).click();
  await page.waitForURL(/\/akun\?berhasil=2fa$/);
  await page.getByText('Verifikasi dua langkah sekarang aktif.').waitFor();
  await check(page, 'profile-totp-on');
  await ctx.close();
});
