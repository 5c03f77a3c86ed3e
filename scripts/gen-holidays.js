#!/usr/bin/env node
// Generates the Indonesian public-holiday calendar for the current and the next year from the
// npm package date-holidays, as CSV (date,name,kind). Run at build time; `layan init` imports
// it. Cuti bersama (collective leave, set yearly by joint ministerial decree) is not in
// date-holidays: it comes from data/cuti-bersama.csv and the admin pages.
// Usage: node scripts/gen-holidays.js OUT.csv [YEAR]
'use strict';
const fs = require('fs');
const Holidays = require('date-holidays');

const out = process.argv[2];
const first = Number(process.argv[3] || process.env.LAYAN_HOLIDAY_YEAR || new Date().getFullYear());
if (!out || !Number.isInteger(first)) {
  console.error('usage: gen-holidays.js OUT.csv [YEAR]');
  process.exit(2);
}
const hd = new Holidays('ID', { languages: ['id'] });
const rows = ['date,name,kind'];
const seen = new Set();
for (const year of [first, first + 1]) {
  for (const h of hd.getHolidays(year, 'id')) {
    if (h.type !== 'public') continue;
    const date = h.date.slice(0, 10);
    const key = date + h.name;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(`${date},"${h.name.replace(/"/g, '""')}",national`);
  }
}
fs.writeFileSync(out + '.tmp', rows.join('\n') + '\n');
fs.renameSync(out + '.tmp', out);
