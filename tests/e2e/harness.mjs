// Browser-test harness: a fresh database (layan init + demo), a real `layan serve` on a free
// port, Debian's chromium driven by playwright-core (never a downloaded browser), axe-core.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const bin = process.env.LAYAN_BIN;
const src = process.env.LAYAN_SOURCE_DIR;
export const artifacts = path.join(src, 'test-artifacts');

// LAYAN_TEST_DB (a PostgreSQL URL, set by tests/e2e/e2e.cmake for the pg/e2e_* copies): each
// server gets a fresh database on that cluster, dropped when it stops; else a SQLite file.
const pgBase = process.env.LAYAN_TEST_DB || '';
let pgSeq = 0;
function psql(url, sql) {
  execFileSync('psql', ['-qAtX', '-d', url, '-c', sql], { stdio: 'pipe' });
}
function pgDatabase() {
  const name = `e2e_${process.pid}_${pgSeq++}`;
  psql(pgBase, `CREATE DATABASE ${name}`);
  const url = pgBase.replace(/\/layan_test\?/, `/${name}?`);
  return { url, drop() { try { psql(pgBase, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* gone */ } } };
}

export async function startServer() {
  if (!bin) throw new Error('LAYAN_BIN is not set');
  const dir = mkdtempSync(path.join(tmpdir(), 'layan-e2e-'));
  const pg = pgBase ? pgDatabase() : null;
  const db = pg ? pg.url : `sqlite:${dir}/t.db`;
  // the installation key beside the database; cheap password hashing keeps the tests quick
  const env = { ...process.env, LAYAN_KEY_FILE: path.join(dir, 'layan.key'),
                LAYAN_PASSWORD_OPS: '1', LAYAN_PASSWORD_MEM_KB: '8' };
  execFileSync(bin, ['init', '--db', db, '--region', '32.73'], { stdio: 'pipe', env });
  const demoOut = execFileSync(bin, ['demo', '--db', db], { stdio: 'pipe', env }).toString();
  const proc = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--db', db],
                     { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start: ' + stderr)), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^listening on (http:\/\/\S+)/m);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    demoOutput: demoOut,
    log() { return stderr; },
    async stop() {
      const code = await new Promise((resolve) => {
        proc.removeAllListeners('exit');
        proc.on('exit', (c) => resolve(c));
        proc.kill('SIGTERM');
      });
      if (pg) pg.drop();
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

export async function axeViolations(page) {
  const r = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ` +
    v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  '));
}

export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

// TOTP (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits): the admin's second sign-in step
function base32(s) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const out = [];
  let bits = 0, val = 0;
  for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
    const i = abc.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    val = ((val << 5) | i) & 0xffff;
    bits += 5;
    if (bits >= 8) { out.push((val >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

// offset: steps of 30 s from now (-1 = the previous code)
export function totp(key, offset = 0) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30) + offset));
  const h = createHmac('sha1', base32(key)).update(msg).digest();
  const o = h[19] & 0x0f;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// a page as a 360 px phone shows it: no sideways scroll, axe clean, then screenshots at 360 px
// and 1280 px (artifacts `${name}-360.png`, `${name}-1280.png`); the viewport is left at 360 px
export async function checkPhone(page, name) {
  const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(w <= 360, `${name}: page is ${w}px wide at 360px`);
  assert.deepEqual(await axeViolations(page), [], `${name}: axe`);
  await screenshot(page, `${name}-360`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 360, height: 740 });
}
