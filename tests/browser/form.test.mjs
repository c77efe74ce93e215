// The respondent form in a real browser, as a respondent on a phone uses it: headless Chromium
// at 360x740, one walk through the bundled survey with a branch, a validation error, a break
// and a resume, "Vorige", the review page, submitting and the pages after it. Every page visited
// gets an axe-core check (WCAG 2.0/2.1 A and AA), a check that nothing overflows the phone's
// width, that no console error or failed request occurred (the CSP forbids inline scripts and
// styles, so a template using them shows up here), and a full-page screenshot.
//
// Started by run.sh, which prepares the database and the server; it passes:
//   BASE_URL        the server, e.g. http://127.0.0.1:18123
//   LINKS_FILE      three personal links, one per line
//   SCREENSHOT_DIR  where the screenshots go
//   PEILING_BIN, SURVEY, DATABASE_URL  to close the survey at the end
//   CHROMIUM_PATH   the browser (default /usr/bin/chromium)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AXE_TAGS, goto, layoutProblems, navigate, runAxe } from './checks.mjs';
import { chromium } from 'playwright-core';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set; start this test with run.sh`);
  return value;
};
const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const LINKS = readFileSync(env('LINKS_FILE'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
const SCREENSHOT_DIR = env('SCREENSHOT_DIR');
const PEILING_BIN = env('PEILING_BIN');
const SURVEY = env('SURVEY', 'maatwerkbudget-2021');
const CHROMIUM_PATH = env('CHROMIUM_PATH', '/usr/bin/chromium');
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

assert.equal(LINKS.length, 3, 'run.sh passes three personal links');
mkdirSync(SCREENSHOT_DIR, { recursive: true });
// Screenshots of an earlier run in the same folder would be mistaken for this run's.
for (const name of readdirSync(SCREENSHOT_DIR)) {
  if (/^\d\d-[a-z0-9-]+\.png$/.test(name)) rmSync(join(SCREENSHOT_DIR, name));
}

/** Everything checked per page, for the summary at the end. */
const checked = [];
/** Problems that fail the test, collected so that one run lists all of them. */
const problems = [];
let shot = 0;

const tokenOf = (link) => new URL(link).pathname.split('/')[2];
const path = (page) => new URL(page.url()).pathname;
const hidden = (text) => text.replace(/\/s\/[A-Za-z0-9_-]{43}/g, '/s/{token}');

/** A new page whose console errors, uncaught errors and failed sub-requests are recorded. */
async function newPage(browser, options, label) {
  const context = await browser.newContext({ ...options, locale: 'nl-NL' });
  const page = await context.newPage();
  page.status = null;
  page.on('response', (response) => {
    const request = response.request();
    if (request.isNavigationRequest() && response.frame() === page.mainFrame()) {
      if (response.status() < 300 || response.status() >= 400) page.status = response.status();
    } else if (response.status() >= 400) {
      problems.push(`${label}: ${request.method()} ${hidden(response.url())} answered ${response.status()}`);
    }
  });
  page.on('requestfailed', (request) => {
    problems.push(`${label}: request failed: ${hidden(request.url())} (${request.failure()?.errorText})`);
  });
  page.on('console', (message) => {
    // The 404, 410 and 422 pages are meant to have those statuses; Chromium logs each one.
    if (message.type() === 'error' && !/^Failed to load resource: the server responded with a status of (403|404|410|422)/.test(message.text())) {
      problems.push(`${label}: console error on ${hidden(page.url())}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`${label}: script error on ${hidden(page.url())}: ${error.message}`));
  return page;
}

/** The checks every page gets: axe, width, small targets, a screenshot. */
async function checkPage(page, name, expectedStatus = 200) {
  const where = `${name} (${hidden(path(page))})`;
  assert.equal(page.status, expectedStatus, `${where}: HTTP status`);

  const { passed, violations } = await runAxe(page);
  assert.ok(passed > 0, `${where}: axe ran no rule at all`);

  // On a phone nothing may need sideways scrolling, and every control must be easy to hit:
  // at least 24x24 CSS pixels (WCAG 2.2's 2.5.8), text links inside sentences excepted.
  const layout = await layoutProblems(page);

  shot += 1;
  const file = join(SCREENSHOT_DIR, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });

  checked.push({ name, path: hidden(path(page)), passed, violations, layout, file });
  for (const v of violations) {
    problems.push(
      `${where}: axe ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n` +
        v.nodes.map((n) => `    - ${n.target}\n      ${n.html}\n      ${n.summary.replace(/\n/g, '\n      ')}`).join('\n'),
    );
  }
  for (const l of layout) problems.push(`${where}: layout on ${page.viewportSize().width}px: ${l}`);
}

/** Presses Tab until `locator` has the focus (at most `limit` times). */
async function tabTo(page, locator, limit = 25) {
  for (let i = 0; i < limit; i++) {
    if (await locator.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${locator}`);
}

const next = (page) => navigate(page, () => page.getByRole('button', { name: 'Volgende' }).click());
const previous = (page) => navigate(page, () => page.getByRole('button', { name: 'Vorige' }).click());
const heading = (page) => page.locator('h1').innerText();

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
try {
  const [anna, bram, cees] = LINKS;
  const t = tokenOf(anna);

  // ---- Anna: the start page, Q1 with a typo, then the branch Q1=12, Q3=ja, Q6=ja.
  let page = await newPage(browser, PHONE, 'anna');
  await goto(page, anna);
  await checkPage(page, 'start');
  assert.equal(await heading(page), 'Hulpverleners Maatwerkbudget');
  assert.match(await page.locator('main').innerText(), /Invullen duurt ongeveer 10 minuten/);

  await navigate(page, () => page.getByRole('link', { name: 'Begin met de vragenlijst' }).click());
  assert.equal(path(page), `/s/${t}/1`);
  await checkPage(page, 'scherm-1-gebruik');
  assert.equal(await heading(page), 'Gebruik');

  const q1 = page.getByLabel('Hoe vaak heb je het maatwerkbudget (ongeveer) ingezet?');
  await q1.fill('1w2');
  await next(page);
  await checkPage(page, 'scherm-1-fout-getal', 422);
  assert.equal(path(page), `/s/${t}/1`, 'a wrong answer keeps the respondent on the screen');
  await assert.doesNotReject(page.locator('.error-summary').waitFor({ state: 'visible' }));
  assert.match(await page.locator('.error-summary').innerText(), /Er is 1 antwoord nog niet goed/);
  assert.match(await page.locator('#fout-Q1').innerText(), /Vul een heel getal in/);
  assert.equal(await q1.inputValue(), '1w2', 'what was typed stays in the field');
  assert.equal(await q1.getAttribute('aria-describedby'), 'fout-Q1', 'the field points at its error');
  assert.match(await page.title(), /^Fout: /, 'the page title says there is an error');
  // The summary's link leads to the question.
  await page.locator('.error-summary a').click();
  assert.equal(new URL(page.url()).hash, '#vraag-Q1');

  await q1.fill('12');
  await next(page);
  assert.equal(path(page), `/s/${t}/2`, 'Q1 >= 1 shows the screen about the experience');
  await checkPage(page, 'scherm-2-ervaring');
  await page.getByRole('radio', { name: 'Positief', exact: true }).check();
  await page.getByLabel('Toelichting op je ervaring').fill('Snel geregeld, weinig papierwerk.');
  await next(page);

  // ---- Screen 3 with the keyboard only: Tab to the skip link, to "Ja", Space, Tab, Enter.
  assert.equal(path(page), `/s/${t}/3`);
  await checkPage(page, 'scherm-3-vaker');
  await page.locator('body').focus();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Naar de inhoud' });
  assert.ok(await skip.evaluate((e) => e === document.activeElement), 'the first Tab reaches the skip link');
  assert.ok((await skip.boundingBox()).x >= 0, 'the focused skip link is on screen');
  shot += 1;
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${String(shot).padStart(2, '0')}-scherm-3-toetsenbord-skiplink.png`) });
  const ja = page.getByRole('radio', { name: 'Ja', exact: true });
  await tabTo(page, ja);
  await page.keyboard.press('Space');
  assert.ok(await ja.isChecked(), 'Space chooses the focused option');
  const volgende = page.getByRole('button', { name: 'Volgende' });
  await tabTo(page, volgende);
  shot += 1;
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${String(shot).padStart(2, '0')}-scherm-3-toetsenbord-focus.png`) });
  await navigate(page, () => page.keyboard.press('Enter'));

  // ---- Screen 4: Q4 follows from Q3 = ja. "Anders" without its text is refused first.
  assert.equal(path(page), `/s/${t}/4`, 'Q3 = ja leads to Q4');
  await checkPage(page, 'scherm-4-wat-is-nodig');
  assert.equal(await page.locator('#vraag-Q4').count(), 1);
  assert.equal(await page.locator('#vraag-Q5').count(), 0, 'Q5 is only for Q3 = nee');
  const anders = page.getByRole('checkbox', { name: 'Anders, namelijk', exact: true });
  const andersTekst = page.getByRole('textbox', { name: 'Anders, namelijk: toelichting' });
  await page.getByRole('checkbox', { name: 'Meer bekendheid onder burgers' }).check();
  await anders.check();
  await next(page);
  await checkPage(page, 'scherm-4-fout-anders', 422);
  assert.equal(await page.locator('.question.has-error').count(), 1);
  assert.ok(await anders.isChecked(), 'the choices stay after an error');
  await andersTekst.fill('Een vaste contactpersoon bij de gemeente');
  await next(page);

  assert.equal(path(page), `/s/${t}/5`);
  await checkPage(page, 'scherm-5-spijt');
  await page.getByRole('radio', { name: 'Ja', exact: true }).check();
  await next(page);

  assert.equal(path(page), `/s/${t}/6`, 'Q6 = ja leads to Q6n and Q6t');
  await checkPage(page, 'scherm-6-hoe-vaak-spijt');
  await page.getByLabel('Hoe vaak (ongeveer)?').fill('2');
  await page.getByLabel('Waarom had je spijt?').fill('Het geld ging naar een schuld die later toch werd kwijtgescholden.');
  await next(page);
  assert.equal(path(page), `/s/${t}/7`);
  await checkPage(page, 'scherm-7-alternatieven');

  // ---- The respondent closes the browser and comes back later through the link.
  await page.context().close();
  page = await newPage(browser, PHONE, 'anna, later');
  await goto(page, anna);
  await checkPage(page, 'start-hervat');
  await navigate(page, () => page.getByRole('link', { name: 'Verder waar je gebleven was' }).click());
  assert.equal(path(page), `/s/${t}/7`, 'resuming continues after the last saved screen');

  // ---- "Vorige" once: the answers of the screen before are still there.
  const fondsen = page.getByRole('checkbox', { name: 'Fondsen zoals Stichting Urgente Noden (SUN)' });
  await fondsen.check();
  await previous(page);
  assert.equal(path(page), `/s/${t}/6`);
  await checkPage(page, 'scherm-6-na-vorige');
  assert.equal(await page.getByLabel('Hoe vaak (ongeveer)?').inputValue(), '2');
  assert.match(await page.getByLabel('Waarom had je spijt?').inputValue(), /kwijtgescholden/);
  await next(page);
  assert.equal(path(page), `/s/${t}/7`);
  assert.ok(await fondsen.isChecked(), '"Vorige" saved the answer of the screen it left');
  await next(page);

  assert.equal(path(page), `/s/${t}/8`);
  await checkPage(page, 'scherm-8-verbeterpunten');
  await page.getByLabel('Wat zijn volgens jou verbeterpunten voor het maatwerkbudget?').fill('Minder formulieren.\nSneller antwoord.');
  await page.getByLabel('Wat zijn volgens jou positieve kanten van het maatwerkbudget?').fill('Maatwerk voor <het> gezin & snel.');
  await next(page);

  assert.equal(path(page), `/s/${t}/9`);
  await checkPage(page, 'scherm-9-behoeften');
  await page.getByRole('radio', { name: 'Nee', exact: true }).check();
  await next(page);

  assert.equal(path(page), `/s/${t}/11`, 'Q10 = nee skips Q11');
  await checkPage(page, 'scherm-11-casus');
  await page.getByLabel(/Wil je een casus toelichten/).fill('Een gezin kon de huur niet betalen; zonder het budget was het huis uit gezet.');
  await next(page);

  assert.equal(path(page), `/s/${t}/12`);
  await checkPage(page, 'scherm-12-tot-slot');
  await next(page);

  // ---- The review page lists the answers, and the desktop width once.
  assert.equal(path(page), `/s/${t}/controle`);
  await checkPage(page, 'controle');
  const review = await page.locator('main').innerText();
  for (const expected of [
    '12 keer',
    'Positief',
    'Anders, namelijk: Een vaste contactpersoon bij de gemeente',
    'Fondsen zoals Stichting Urgente Noden (SUN)',
    'Maatwerk voor <het> gezin & snel.',
    'niet ingevuld',
  ]) {
    assert.ok(review.includes(expected), `the review page shows "${expected}"`);
  }
  assert.ok(await page.getByRole('button', { name: 'Versturen' }).isEnabled());

  const desktop = await newPage(browser, DESKTOP, 'anna, desktop');
  await goto(desktop, `${BASE_URL}/s/${t}/4`);
  await checkPage(desktop, 'desktop-scherm-4');
  await desktop.context().close();

  await navigate(page, () => page.getByRole('button', { name: 'Versturen' }).click());
  assert.equal(path(page), `/s/${t}`);
  await checkPage(page, 'bedankt');
  assert.equal(await heading(page), 'Dank je wel');
  await page.context().close();

  // ---- The link after submitting shows the thank-you page again, on every address.
  page = await newPage(browser, PHONE, 'anna, after submitting');
  await goto(page, anna);
  await checkPage(page, 'bedankt-heropend');
  assert.equal(await heading(page), 'Dank je wel');
  await goto(page, `${BASE_URL}/s/${t}/3`);
  assert.equal(await heading(page), 'Dank je wel', 'a screen of a submitted link shows the thank-you page');
  await page.context().close();

  // ---- Bram: the review page of an unfinished questionnaire, and a post without its cookie.
  const tb = tokenOf(bram);
  page = await newPage(browser, PHONE, 'bram');
  await goto(page, `${BASE_URL}/s/${tb}/controle`);
  await checkPage(page, 'controle-onvolledig');
  assert.ok(await page.getByRole('button', { name: 'Versturen' }).isDisabled(), 'an unfinished questionnaire cannot be sent');
  assert.match(await page.locator('.error-summary').innerText(), /Nog niet alles is ingevuld/);

  await goto(page, `${BASE_URL}/s/${tb}/1`);
  await page.getByRole('checkbox', { name: 'Nog nooit' }).check();
  await page.context().clearCookies();
  await next(page);
  await checkPage(page, 'verlopen', 403);
  assert.equal(await heading(page), 'Deze pagina is verlopen');
  await navigate(page, () => page.getByRole('link', { name: 'Terug naar de vragenlijst' }).click());
  assert.equal(path(page), `/s/${tb}/1`);
  await page.context().close();

  // ---- A link that does not exist.
  page = await newPage(browser, PHONE, 'unknown link');
  await goto(page, `${BASE_URL}/s/not-a-token`);
  await checkPage(page, 'onbekende-link', 404);
  assert.equal(await heading(page), 'Deze pagina bestaat niet');
  await page.context().close();

  // ---- Closing the survey: Cees's link shows the closed page.
  execFileSync(PEILING_BIN, ['survey', 'close', SURVEY], { stdio: ['ignore', 'inherit', 'inherit'] });
  page = await newPage(browser, PHONE, 'cees');
  await goto(page, cees);
  await checkPage(page, 'gesloten', 410);
  assert.equal(await heading(page), 'Deze vragenlijst is gesloten');
  await page.context().close();
} catch (error) {
  problems.unshift(`the walk through the form stopped: ${error.stack ?? error}`);
} finally {
  await browser.close();
}

const violationCount = checked.reduce((n, c) => n + c.violations.length, 0);
console.log(`\naxe-core (${AXE_TAGS.join(', ')}) on ${checked.length} pages:`);
for (const c of checked) {
  const notes = [
    c.violations.length ? `${c.violations.length} violation(s): ${c.violations.map((v) => v.id).join(', ')}` : `no violations (${c.passed} rules passed)`,
    ...(c.layout.length ? [`${c.layout.length} layout problem(s)`] : []),
  ];
  console.log(`  ${c.name.padEnd(26)} ${c.path.padEnd(22)} ${notes.join('; ')}`);
}
console.log(`${checked.length} pages checked, ${violationCount} axe violation(s); screenshots in ${SCREENSHOT_DIR}`);

if (problems.length > 0) {
  // The same console error on every page is listed once, with how often it occurred.
  const counted = new Map();
  for (const p of problems) counted.set(p, (counted.get(p) ?? 0) + 1);
  console.error(`\nFAILED: ${problems.length} problem(s)\n`);
  for (const [p, n] of counted) console.error(`- ${p}${n > 1 ? ` (${n} times)` : ''}\n`);
  process.exit(1);
}
