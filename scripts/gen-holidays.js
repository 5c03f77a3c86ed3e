#!/usr/bin/env node
// Generates the Indonesian holiday calendar for the current and the next year as CSV
// (date,name,kind with kind national | cuti_bersama). Run at build time (src/db/module.cmake);
// the file is built into the binary and `layan init` imports it as source 'generated'.
//
// Where the data comes from, per year:
// - national holidays: data/libur-nasional.csv when it has that year (the list of the yearly
//   SKB 3 Menteri, which is what offices follow), otherwise the npm package date-holidays. The
//   Islamic holidays of date-holidays are computed, and the government's dates may differ by a
//   day (2026: Idul Fitri 20-21 March in date-holidays, 21-22 March in the SKB).
// - cuti bersama: data/cuti-bersama.csv only. date-holidays does not have them: they are set
//   each year by the SKB, so a year without rows there simply has none until someone adds them.
// Both data files are meant to be edited each year against the signed SKB.
//
// Usage: node scripts/gen-holidays.js OUT.csv [YEAR]   (or LAYAN_HOLIDAY_YEAR)
'use strict';
const fs = require('fs');
const path = require('path');
const Holidays = require('date-holidays');

const out = process.argv[2];
const first = Number(process.argv[3] || process.env.LAYAN_HOLIDAY_YEAR || new Date().getFullYear());
if (!out || !Number.isInteger(first) || first < 2000 || first > 2200) {
  console.error('usage: gen-holidays.js OUT.csv [YEAR]');
  process.exit(2);
}
const years = [first, first + 1];
const dataDir = path.join(__dirname, '..', 'data');

// A CSV field: quoted when it holds a comma, a quote or a line break.
function field(s) {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// Reads one of our data files: a header date,name,kind then one plain row per line (names may
// be quoted). Strict, so a typo in next year's dates fails the build instead of a deadline.
function readData(file, kind) {
  const p = path.join(dataDir, file);
  const rows = [];
  const lines = fs.readFileSync(p, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0] !== 'date,name,kind') throw new Error(`${p}:1: expected the header date,name,kind`);
  lines.forEach((line, i) => {
    if (i === 0 || line.trim() === '') return;
    const m = /^(\d{4})-(\d{2})-(\d{2}),("(?:[^"]|"")*"|[^,"]*),([a-z_]+)$/.exec(line);
    const where = `${p}:${i + 1}`;
    if (!m) throw new Error(`${where}: expected YYYY-MM-DD,name,${kind}`);
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) throw new Error(`${where}: no such date`);
    if (m[5] !== kind) throw new Error(`${where}: kind must be ${kind}`);
    let name = m[4];
    if (name.startsWith('"')) name = name.slice(1, -1).replace(/""/g, '"');
    if (!name.trim()) throw new Error(`${where}: empty name`);
    rows.push({ date: `${m[1]}-${m[2]}-${m[3]}`, name: name.trim(), kind });
  });
  return rows;
}

// date-holidays' Indonesian names, by rule, where they are wrong or not what the SKB says
// (27 Rajab is Isra Mikraj, not Maulid, in date-holidays 3.x's Indonesian names).
const names = {
  '01-01': 'Tahun Baru Masehi',
  '27 Rajab': 'Isra Mikraj Nabi Muhammad SAW',
  'chinese 01-0-01': 'Tahun Baru Imlek',
  '1 Shawwal': 'Idul Fitri',
  '2 Shawwal': 'Idul Fitri',
  '10 Dhu al-Hijjah': 'Idul Adha',
  '1 Muharram': 'Tahun Baru Islam',
  '12 Rabi al-awwal': 'Maulid Nabi Muhammad SAW',
  '08-17': 'Proklamasi Kemerdekaan',
  '12-25': 'Hari Raya Natal (Kelahiran Yesus Kristus)',
};

function fromDateHolidays(year) {
  const hd = new Holidays('ID', { languages: ['id'] });
  // Easter Sunday is a national holiday in the SKB (Kebangkitan Yesus Kristus) but not in
  // date-holidays for ID. A Sunday either way; listed so the calendar reads like the SKB.
  hd.setHoliday('easter', { name: { id: 'Kebangkitan Yesus Kristus (Paskah)' }, type: 'public' });
  const rows = [];
  for (const h of hd.getHolidays(year, 'id')) {
    if (h.type !== 'public') continue; // ID has only public ones; observances are not days off
    const name = (/Nyepi/.test(h.name) ? 'Hari Suci Nyepi' : names[h.rule]) || h.name;
    rows.push({ date: h.date.slice(0, 10), name, kind: 'national' });
  }
  return rows;
}

const official = readData('libur-nasional.csv', 'national');
const cuti = readData('cuti-bersama.csv', 'cuti_bersama');
const rows = [];
for (const year of years) {
  const y = String(year);
  const skb = official.filter((r) => r.date.startsWith(y));
  rows.push(...(skb.length ? skb : fromDateHolidays(year)));
  rows.push(...cuti.filter((r) => r.date.startsWith(y)));
}
const seen = new Set();
const lines = ['date,name,kind'];
for (const r of rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
  const key = `${r.date}\u0000${r.name}`;
  if (seen.has(key)) continue;
  seen.add(key);
  lines.push(`${r.date},${field(r.name)},${r.kind}`);
}
fs.writeFileSync(out + '.tmp', lines.join('\n') + '\n');
fs.renameSync(out + '.tmp', out);
