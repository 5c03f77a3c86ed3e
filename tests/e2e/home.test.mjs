// The home page of the demo kabupaten/kota as a citizen uses it: Indonesian by default, find a
// service point by kelurahan, switch language, open a service point; accessible; 360 px wide.
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

test('home page in Indonesian lists every service point', async () => {
  const { ctx, page } = await phone();
  await page.goto(server.url + '/');
  assert.equal(await page.getAttribute('html', 'lang'), 'id');
  assert.match(await page.textContent('h1'), /Kota Bandung/);
  assert.equal(await page.locator('a[href^="/unit/32.73."]').count(), 30);
  await page.getByText('Dinas Kependudukan dan Pencatatan Sipil Kota Bandung').first().waitFor();
  assert.ok(await page.getByText('Jam buka').count() > 0);
  assert.ok(await page.locator('a.govuk-skip-link[href="#main"]').count() === 1);
  await noHorizontalScroll(page);
  await screenshot(page, 'home-360');
  assert.deepEqual(await axeViolations(page), []);
  await ctx.close();
});

test('search finds the service point of a kelurahan', async () => {
  const { ctx, page } = await phone();
  await page.goto(server.url + '/');
  await page.getByLabel('Cari tempat layanan menurut nama kecamatan atau kelurahan').fill('Cipaganti');
  await page.locator('form[role=search] button').click();
  await page.waitForURL(/\/cari\?q=Cipaganti/);
  await page.getByText('Kantor Kecamatan Coblong').first().waitFor();
  await page.getByText('Melayani Kelurahan Cipaganti').first().waitFor();
  await noHorizontalScroll(page);
  await screenshot(page, 'search-360');
  assert.deepEqual(await axeViolations(page), []);
  // nothing found: a helpful empty state, and the typed text is kept
  await page.locator('input[name=q]').fill('Atlantis');
  await page.locator('form[role=search] button').click();
  await page.getByText('Tidak ada tempat layanan yang cocok').waitFor();
  assert.equal(await page.inputValue('input[name=q]'), 'Atlantis');
  assert.deepEqual(await axeViolations(page), []);
  await ctx.close();
});

test('language switch to English sticks, and back', async () => {
  const { ctx, page } = await phone();
  await page.goto(server.url + '/');
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(/lang=en/);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.getByText('Opening hours').first().waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.locator('a[href="/unit/32.73.02"]').click();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.getByRole('link', { name: 'Bahasa Indonesia' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'id');
  await ctx.close();
});

test('a service point page', async () => {
  const { ctx, page } = await phone();
  await page.goto(server.url + '/');
  await page.locator('a[href="/unit/32.73.02"]').click();
  await page.waitForURL(/\/unit\/32\.73\.02$/);
  assert.match(await page.textContent('h1'), /Coblong/);
  await page.getByText('Cipaganti').first().waitFor();
  await page.locator('.layan-today').waitFor();
  await noHorizontalScroll(page);
  await screenshot(page, 'unit-360');
  assert.deepEqual(await axeViolations(page), []);
  await ctx.close();
  const wide = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p2 = await wide.newPage();
  await p2.goto(server.url + '/');
  await screenshot(p2, 'home-1280');
  await wide.close();
});

test('works without JavaScript', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await page.goto(server.url + '/');
  await page.locator('input[name=q]').fill('sukajadi');
  await page.locator('form[role=search] button').click();
  await page.waitForURL(/\/cari\?q=sukajadi/);
  assert.ok(await page.locator('a[href^="/unit/32.73."]').count() >= 1);
  await ctx.close();
});
