// Answers the bundled survey through the JSON API for every personal link in a file, as a
// phone would: one submission with the answers. run.sh uses it for the respondents beyond the
// three that form.test.mjs walks through, so that the bundled survey has enough responses for
// its report to be published (the reading room needs the report definition's min_base, 10).
//
//   node respond.mjs LINKS_FILE
import { readFileSync } from 'node:fs';

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: node respond.mjs LINKS_FILE');
  process.exit(2);
}
const links = readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
// Two plain paths through the routing: never used it, or used it three times with a positive view.
const plans = [
  { Q1: 'nog_nooit', Q3: 'weet_niet', Q7: ['fondsen'], Q10: 'nee' },
  { Q1: 3, Q2: 'positief', Q3: 'weet_niet', Q6: 'nee', Q7: ['bijzondere_bijstand', 'toeslagen'], Q10: 'nee' },
];
for (const [i, link] of links.entries()) {
  const api = link.replace('/s/', '/api/v1/r/');
  const submitted = await fetch(`${api}/submit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ answers: plans[i % plans.length] }),
  });
  if (!submitted.ok) throw new Error(`submitting link ${i + 1} answered ${submitted.status}: ${await submitted.text()}`);
}
console.log(`respond.mjs: ${links.length} responses submitted`);
