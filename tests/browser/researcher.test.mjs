// The researcher app in a real browser, from login to a published report: headless Chromium on
// a 1280x800 desktop, with the main pages again on a 360x740 phone. A wrong password first, then
// a keyboard-only login; the survey list; a new wave of the bundled survey refused for its code;
// a new survey of our own (first with an error in the definition), its preview and e-mails, an
// invitee import with a bad row and then a good one, opening it, a reminder, closing it and
// publishing it refused (nobody answered). Then on the bundled survey (closed by form.test.mjs,
// answered by Anna and the ten of respond.mjs): the review of casussen, the report's texts, the
// PDF, publishing, the reading room and the report page; logging out, and the reader account:
// the reading room works, /onderzoek is 403.
//
// Every page visited gets an axe-core check (WCAG 2.0/2.1 A and AA), a check that nothing
// overflows the viewport's width, that controls are at least 24x24 px, that no console error or
// failed request occurred (the CSP forbids inline scripts and styles), and a full-page
// screenshot named r01-..., r02-... (form.test.mjs removes only its own 01-... files).
//
// Started by run.sh, which prepares the database, the accounts and the server; it passes:
//   BASE_URL            the server, e.g. http://127.0.0.1:18123
//   SCREENSHOT_DIR      where the screenshots go
//   SURVEY              the bundled survey, closed by form.test.mjs
//   RESEARCHER_EMAIL, RESEARCHER_PASSWORD, READER_EMAIL, READER_PASSWORD  the test accounts
//   CHROMIUM_PATH       the browser (default /usr/bin/chromium)
import assert from 'node:assert/strict';
import { goto, navigate } from './checks.mjs';
import { DESKTOP, PHONE, button, click, heading, main, path, walk } from './walk.mjs';
import { chromium } from 'playwright-core';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set; start this test with run.sh`);
  return value;
};
const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const SCREENSHOT_DIR = env('SCREENSHOT_DIR');
const SURVEY = env('SURVEY', 'maatwerkbudget-2021');
const RESEARCHER = { email: env('RESEARCHER_EMAIL'), password: env('RESEARCHER_PASSWORD') };
const READER = { email: env('READER_EMAIL'), password: env('READER_PASSWORD') };
const CHROMIUM_PATH = env('CHROMIUM_PATH', '/usr/bin/chromium');

// The survey this test creates: two groups, three questions (a yes/no, a multiple answer with
// "anders" that depends on it, an open question).
const OWN = 'werkdruk-proef-2026';
const OWN_TITLE = 'Werkdruk in de wijkteams';
const DEFINITION = `id = "${OWN}"
title = "${OWN_TITLE}"
organisation = "Onderzoek en Statistiek"
contact = "onderzoek@example.org"
minutes = 3
intro = "Drie korte vragen over je werkdruk."

[[groups]]
code = "NOORD"
name = "Wijkteam Noord"

[[groups]]
code = "ZUID"
name = "Wijkteam Zuid"

[[questions]]
id = "W1"
page = "Werkdruk"
type = "yesno"
text = "Ervaar je op dit moment een hoge werkdruk?"

[[questions]]
id = "W2"
page = "Werkdruk"
type = "multiple"
text = "Waardoor komt dat vooral?"
help = "Meerdere antwoorden mogelijk."
show_if = "W1 = ja"
options = [
  "Te veel casussen",
  "Administratie",
  { code = "anders", label = "Anders, namelijk", other = true },
]

[[questions]]
id = "W3"
page = "Tot slot"
type = "longtext"
text = "Wat zou je werk lichter maken?"
`;
// The same with routing on a question that does not exist (line 27).
const BAD_DEFINITION = DEFINITION.replace('show_if = "W1 = ja"', 'show_if = "W9 = ja"');
const BAD_LINE = DEFINITION.split('\n').findIndex((l) => l.startsWith('show_if')) + 1;

const { newPage, screenshot, checkPage, download, finish, problems } = walk('r', SCREENSHOT_DIR);

/** Presses Tab until `locator` has the focus (at most `limit` times). */
async function tabTo(page, locator, limit = 25) {
  for (let i = 0; i < limit; i++) {
    if (await locator.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${locator}`);
}

/** Shows `url` on the phone, with the desktop's session, and checks it there. */
async function onPhone(phone, url, name, expectedStatus = 200) {
  await goto(phone, url);
  await checkPage(phone, `telefoon-${name}`, expectedStatus);
}

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
try {
  // ---- Not signed in: a researcher page leads to the login form, and back after it.
  let page = await newPage(browser, DESKTOP, 'researcher');
  await goto(page, `${BASE_URL}/onderzoek`);
  assert.equal(path(page), '/inloggen', 'a researcher page asks to sign in first');
  await checkPage(page, 'inloggen');
  assert.equal(await heading(page), 'Inloggen');
  assert.equal(await page.locator('input[name=terug]').inputValue(), '/onderzoek');

  // ---- A wrong password: 401, a generic message, the e-mail address kept.
  await page.getByLabel('E-mailadres').fill(RESEARCHER.email);
  await page.getByLabel('Wachtwoord').fill('dit-is-niet-het-wachtwoord');
  await click(page, button(page, 'Inloggen'));
  assert.equal(path(page), '/inloggen');
  await checkPage(page, 'inloggen-fout-wachtwoord', 401);
  assert.match(await page.locator('.error-summary').innerText(), /Onbekend e-mailadres of verkeerd wachtwoord/);
  assert.equal(await page.getByLabel('E-mailadres').inputValue(), RESEARCHER.email, 'the address stays in the field');
  assert.equal(await page.getByLabel('Wachtwoord').inputValue(), '', 'the password does not come back');

  // ---- The right password with the keyboard only: Tab to the skip link, to the fields, Enter.
  await page.locator('body').focus();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Naar de inhoud' });
  assert.ok(await skip.evaluate((e) => e === document.activeElement), 'the first Tab reaches the skip link');
  assert.ok((await skip.boundingBox()).x >= 0, 'the focused skip link is on screen');
  await screenshot(page, 'inloggen-toetsenbord-skiplink');
  const email = page.getByLabel('E-mailadres');
  await tabTo(page, email);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(RESEARCHER.email);
  await page.keyboard.press('Tab');
  const password = page.getByLabel('Wachtwoord');
  assert.ok(await password.evaluate((e) => e === document.activeElement), 'Tab goes from the address to the password');
  await page.keyboard.type(RESEARCHER.password);
  await page.keyboard.press('Tab');
  assert.ok(await button(page, 'Inloggen').evaluate((e) => e === document.activeElement), 'Tab goes on to the button');
  await screenshot(page, 'inloggen-toetsenbord-focus');
  await navigate(page, () => page.keyboard.press('Enter'));

  // ---- The survey list (where the login form was asked to go back to).
  assert.equal(path(page), '/onderzoek');
  await checkPage(page, 'vragenlijsten');
  assert.equal(await heading(page), 'Vragenlijsten');
  const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
  for (const name of ['Vragenlijsten', 'Rapporten']) assert.ok(await nav.getByRole('link', { name }).isVisible(), `the menu has ${name}`);
  assert.ok(await nav.getByRole('button', { name: 'Uitloggen' }).isVisible(), 'the menu has Uitloggen');
  const bundledRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Hulpverleners Maatwerkbudget' }) });
  assert.match(await bundledRow.innerText(), /gesloten/, 'form.test.mjs closed the bundled survey');
  assert.match(await bundledRow.innerText(), /11 van 13 \(85%\)/, 'the list shows the response (Anna and the ten of respond.mjs)');

  // ---- A new survey: a definition with an error first, then a valid one.
  await click(page, page.getByRole('link', { name: 'Nieuwe vragenlijst' }));
  assert.equal(path(page), '/onderzoek/nieuw');
  await checkPage(page, 'nieuw');
  assert.ok(await page.getByRole('radio', { name: 'Eigen definitie (hieronder)' }).isChecked());

  // A new wave of the bundled survey with a code that is refused: the form again, with what was
  // typed and the message beside the code. Nothing is made, so the rest of the walk is as before.
  await page.getByLabel('Eerder onderzoek').selectOption(SURVEY);
  await page.getByLabel('Code van de nieuwe ronde').fill('2025 ronde');
  await page.getByLabel('Titel van de nieuwe ronde').fill('Hulpverleners Maatwerkbudget 2025');
  await click(page, button(page, 'Nieuwe ronde opslaan als concept'));
  await checkPage(page, 'nieuw-ronde-fout', 422);
  const codeField = page.getByLabel('Code van de nieuwe ronde');
  assert.equal(await codeField.inputValue(), '2025 ronde', 'the code stays in the field');
  assert.equal(await codeField.getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#code-fout').innerText(), /code '2025 ronde' is ongeldig/);
  assert.equal(await page.getByLabel('Titel van de nieuwe ronde').inputValue(), 'Hulpverleners Maatwerkbudget 2025');
  assert.equal(await page.getByLabel('Eerder onderzoek').inputValue(), SURVEY, 'the choice of survey stays');
  await goto(page, `${BASE_URL}/onderzoek/nieuw`);
  await page.getByLabel('Of plak de definitie').fill(BAD_DEFINITION);
  await click(page, button(page, 'Opslaan als concept'));
  await checkPage(page, 'nieuw-fout', 422);
  const summary = await page.locator('.error-summary').innerText();
  assert.match(summary, /De definitie is niet opgeslagen/);
  assert.ok(summary.includes(`regel ${BAD_LINE}, vraag W2:`), `the error names line ${BAD_LINE} and the question: ${summary}`);
  assert.match(summary, /W9/);
  assert.equal(await page.getByLabel('Of plak de definitie').inputValue(), BAD_DEFINITION, 'the definition stays in the field');
  assert.ok(await page.getByRole('radio', { name: 'Eigen definitie (hieronder)' }).isChecked(), 'the choice of source stays');

  // The valid definition arrives as a file, as a researcher would upload it.
  await page.getByLabel('Of plak de definitie').fill('');
  await page.getByLabel('Bestand met de definitie (.toml)').setInputFiles({ name: 'proef.toml', mimeType: 'text/plain', buffer: Buffer.from(DEFINITION) });
  await click(page, button(page, 'Opslaan als concept'));
  assert.equal(path(page), `/onderzoek/${OWN}`, 'a valid definition is stored and its dashboard shown');
  await checkPage(page, 'eigen-concept');
  assert.equal(await heading(page), OWN_TITLE);
  assert.match(await main(page), /status: concept/);
  const responseTable = page.locator('table.response');
  assert.match(await responseTable.innerText(), /Wijkteam Noord \(NOORD\)/);
  assert.match(await responseTable.innerText(), /Wijkteam Zuid \(ZUID\)/);

  // ---- The preview and the e-mails.
  await click(page, page.getByRole('link', { name: 'Vragenlijst bekijken' }));
  assert.equal(path(page), `/onderzoek/${OWN}/voorbeeld`);
  await checkPage(page, 'eigen-voorbeeld');
  const preview = await main(page);
  for (const text of ['Ervaar je op dit moment een hoge werkdruk?', 'Waardoor komt dat vooral?', "Routering: alleen als W1 is 'Ja'", 'Wat zou je werk lichter maken?']) {
    assert.ok(preview.includes(text), `the preview shows "${text}"`);
  }
  assert.equal(await page.getByRole('checkbox', { name: 'Anders, namelijk', exact: true }).count(), 1);
  // Walked as someone who answers 'nee': the follow-up W2 is skipped, and nothing is stored.
  await click(page, page.getByRole('link', { name: 'Doorlopen als respondent' }));
  await checkPage(page, 'eigen-voorbeeld-scherm');
  assert.match(await main(page), /Voorbeeld: er wordt niets opgeslagen/);
  await page.getByRole('radio', { name: 'Nee' }).check();
  await click(page, button(page, 'Volgende'));
  assert.equal(await heading(page), 'Tot slot', 'past the skipped follow-up');
  await checkPage(page, 'eigen-voorbeeld-tot-slot');
  await click(page, button(page, 'Volgende'));
  await checkPage(page, 'eigen-voorbeeld-route');
  assert.match(await main(page), /ziet een respondent 2 van de 3 schermen/);
  await goto(page, `${BASE_URL}/onderzoek/${OWN}`);

  await click(page, page.getByRole('link', { name: 'E-mails bekijken' }));
  assert.equal(path(page), `/onderzoek/${OWN}/e-mails`);
  await checkPage(page, 'eigen-e-mails');
  assert.equal(await page.locator('section.email-preview').count(), 2, 'an invitation and a reminder');
  assert.match(await main(page), /voorbeeld\.example\/s\/persoonlijke-link/);
  await page.goBack({ waitUntil: 'load' });
  assert.equal(path(page), `/onderzoek/${OWN}`);

  // ---- The questionnaire page: routing in words; a question moved down and back.
  await click(page, page.getByRole('link', { name: 'Vragenlijst bewerken' }));
  assert.equal(path(page), `/onderzoek/${OWN}/bewerken`);
  await checkPage(page, 'eigen-bewerken');
  assert.match(await main(page), /Routering: alleen als W1 is 'Ja'/);
  await click(page, page.getByRole('button', { name: 'W2 omlaag' }));
  await checkPage(page, 'eigen-bewerken-verplaatst');
  assert.match(await page.locator('.notice').innerText(), /De vragenlijst is opgeslagen \(3 vragen\)/);
  const order = await page.locator('li.editor-item strong').allInnerTexts();
  assert.deepEqual(order, ['W1', 'W3', 'W2'], 'W2 moved below W3');
  await click(page, page.getByRole('button', { name: 'W2 omhoog' }));
  await click(page, page.getByRole('button', { name: 'W2 omhoog' }));
  await checkPage(page, 'eigen-bewerken-geweigerd', 422);
  assert.match(await page.locator('.error-summary').innerText(), /pas later komt/, 'routing may only look back');
  // The question form: a question's fields, a mistake told beside its field, the routing rows.
  await click(page, page.getByRole('link', { name: 'W2 bewerken' }));
  assert.equal(path(page), `/onderzoek/${OWN}/bewerken/vraag/W2`);
  await checkPage(page, 'eigen-vraag');
  assert.equal(await page.getByLabel('Vraag', { exact: true }).inputValue(), 'Waardoor komt dat vooral?');
  assert.equal(await page.getByLabel('Voorwaarde 1: vraag').inputValue(), 'W1', 'the routing shows in its row');
  await page.getByLabel('Hoogstens zoveel antwoorden (niet verplicht)').fill('veel');
  await click(page, page.getByRole('button', { name: 'Vraag opslaan' }));
  await checkPage(page, 'eigen-vraag-fout', 422);
  assert.match(await page.locator('#e-max_choices').innerText(), /getal/, 'the problem stands beside its field');
  await goto(page, `${BASE_URL}/onderzoek/${OWN}`);

  // ---- Invitees: a CSV with a bad row imports nothing and names the row; then a good one.
  const badCsv = 'email;team\nlisa@example.org;NOORD\ngeen-adres;ZUID\nmo@example.org;ZUID\n';
  await page.getByLabel('Of plak de regels').fill(badCsv);
  await click(page, button(page, 'Importeren'));
  await checkPage(page, 'eigen-import-fout', 422);
  assert.match(await page.locator('.error-summary h2').innerText(), /Er is niets geïmporteerd/);
  assert.equal(await page.locator('.notice').count(), 0, 'a failed import shows no success notice');
  const importErrors = await page.locator('.error-summary').innerText();
  assert.match(importErrors, /regel 3/i, `the bad row is named by its line: ${importErrors}`);
  assert.equal(await page.getByLabel('Of plak de regels').inputValue(), badCsv, 'the CSV stays in the field');
  assert.match(await responseTable.innerText(), /Totaal\s+0\s+0/, 'nothing was imported');

  const goodCsv = 'email;team;naam\nlisa@example.org;NOORD;Lisa\nmo@example.org;ZUID;Mo\nnoor@example.org;ZUID;Noor\n';
  await page.getByLabel('Of plak de regels').fill('');
  await page.getByLabel('CSV-bestand').setInputFiles({ name: 'genodigden.csv', mimeType: 'text/csv', buffer: Buffer.from(goodCsv) });
  await click(page, button(page, 'Importeren'));
  await checkPage(page, 'eigen-import');
  assert.match(await page.locator('.notice').innerText(), /3 genodigden geïmporteerd/);
  assert.match(await responseTable.innerText(), /Totaal\s+3\s+0/);

  // The draft dashboard on the phone.
  const phone = await newPage(browser, PHONE, 'researcher, phone');
  await phone.context().addCookies(await page.context().cookies());
  await onPhone(phone, `${BASE_URL}/onderzoek`, 'vragenlijsten');
  await onPhone(phone, `${BASE_URL}/onderzoek/${OWN}`, 'eigen-concept');
  await onPhone(phone, `${BASE_URL}/onderzoek/${OWN}/bewerken`, 'eigen-bewerken');
  await onPhone(phone, `${BASE_URL}/onderzoek/${OWN}/bewerken/vraag/W2`, 'eigen-vraag');
  // The report editor of a draft: its sentences previewed with made-up numbers, said so.
  await goto(page, `${BASE_URL}/onderzoek/${OWN}/rapport/bewerken`);
  await checkPage(page, 'eigen-rapport-bewerken');
  assert.match(await page.locator('main').innerText(), /voorbeeldgetallen/, 'made-up numbers are labelled');
  assert.equal(await page.getByRole('link', { name: 'PDF bekijken' }).count(), 0, 'no PDF before closing');
  await onPhone(phone, `${BASE_URL}/onderzoek/${OWN}/rapport/bewerken`, 'eigen-rapport-bewerken');
  await goto(page, `${BASE_URL}/onderzoek/${OWN}`);
  await onPhone(phone, `${BASE_URL}/onderzoek/nieuw`, 'nieuw');
  await onPhone(phone, `${BASE_URL}/onderzoek/${OWN}/voorbeeld/1`, 'eigen-voorbeeld-scherm');

  // ---- Opening with a closing date ten days ahead.
  const closes = new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await page.getByLabel(/^Laatste dag om in te vullen/).fill(closes);
  await click(page, button(page, 'Openen en uitnodigingen versturen'));
  await checkPage(page, 'eigen-open');
  assert.match(await page.locator('.notice').innerText(), /De vragenlijst is open tot en met .*; 3 uitnodigingen worden verstuurd/);
  assert.match(await main(page), /status: open/);
  await onPhone(phone, `${BASE_URL}/onderzoek/${OWN}`, 'eigen-open');

  // ---- A reminder to those who did not answer (all three), then closing.
  await click(page, button(page, 'Herinnering sturen aan wie nog niet antwoordde'));
  await checkPage(page, 'eigen-herinnering');
  assert.match(await page.locator('.notice').innerText(), /3 herinneringen worden verstuurd/);
  await click(page, button(page, 'Sluiten'));
  await checkPage(page, 'eigen-gesloten');
  assert.match(await page.locator('.notice').innerText(), /De vragenlijst is gesloten/);
  assert.match(await main(page), /status: gesloten/);
  // Nobody answered: the dashboard says publishing cannot be done, and trying it is refused.
  assert.match(await main(page), /Er zijn 0 vragenlijsten ingevuld; voor een rapport in de leeskamer zijn er minstens 10 nodig/);
  await click(page, button(page, 'Publiceren in de leeskamer'));
  await checkPage(page, 'eigen-publiceren-geweigerd', 422);
  assert.match(await page.locator('.error-summary').innerText(), /Het rapport is niet gepubliceerd[\s\S]*Er zijn 0 vragenlijsten ingevuld/);

  // ---- The bundled survey, closed by form.test.mjs: its dashboard on desktop and phone.
  await click(page, page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vragenlijsten' }));
  await click(page, page.getByRole('link', { name: 'Hulpverleners Maatwerkbudget' }));
  assert.equal(path(page), `/onderzoek/${SURVEY}`);
  await checkPage(page, 'bundel-gesloten');
  assert.match(await main(page), /status: gesloten/);
  assert.match(await responseTable.innerText(), /Totaal\s+13\s+11\b/, 'thirteen invited, Anna and the ten of respond.mjs responded');
  await onPhone(phone, `${BASE_URL}/onderzoek/${SURVEY}`, 'bundel-gesloten');

  // ---- Review of casussen: a decision and an edit for the first text.
  await click(page, page.getByRole('link', { name: 'Casussen beoordelen' }));
  assert.equal(path(page), `/onderzoek/${SURVEY}/casussen`);
  await checkPage(page, 'casussen');
  const items = page.locator('section.review-item');
  const itemCount = await items.count();
  if (itemCount === 0) {
    assert.match(await main(page), /0 opgenomen, 0 niet opgenomen, 0 nog te beoordelen/, 'no texts: the page says so');
  } else {
    const first = items.first();
    const anonymised = first.getByRole('textbox', { name: 'Geanonimiseerd' });
    const edited = `${(await anonymised.inputValue()).trim()} (ingekort)`;
    await anonymised.fill(edited);
    await first.getByRole('radio', { name: 'Opnemen', exact: true }).check();
    await click(page, first.getByRole('button', { name: /^Opslaan/ }));
    await checkPage(page, 'casussen-opgeslagen');
    assert.match(await page.locator('.notice').innerText(), /Tekst 1 is opgeslagen/);
    const saved = page.locator('section.review-item').first();
    assert.ok(await saved.getByRole('radio', { name: 'Opnemen', exact: true }).isChecked(), 'the decision is kept');
    assert.equal((await saved.getByRole('textbox', { name: 'Geanonimiseerd' }).inputValue()).trim(), edited, 'the edit is kept');
    assert.match(await saved.locator('h2').innerText(), /opgenomen, bewerkt/);
  }
  await onPhone(phone, `${BASE_URL}/onderzoek/${SURVEY}/casussen`, 'casussen');
  await goto(page, `${BASE_URL}/onderzoek/${SURVEY}`);

  // ---- The report's texts: one saved.
  await click(page, page.getByRole('link', { name: 'Teksten van het rapport' }));
  assert.equal(path(page), `/onderzoek/${SURVEY}/teksten`);
  await checkPage(page, 'teksten');
  const textForm = page.locator('main form').first();
  const key = await textForm.locator('input[name=sleutel]').inputValue();
  const narrative = 'De respons was laag; lees de uitkomsten als een eerste indruk.';
  await textForm.getByRole('textbox').fill(narrative);
  await click(page, textForm.getByRole('button', { name: /^Opslaan/ }));
  await checkPage(page, 'teksten-opgeslagen');
  assert.match(await page.locator('.notice').innerText(), /De tekst is opgeslagen/);
  assert.equal(await page.locator('main form').first().getByRole('textbox').inputValue(), narrative, `the text for ${key} is kept`);
  await onPhone(phone, `${BASE_URL}/onderzoek/${SURVEY}/teksten`, 'teksten');

  // ---- The report definition: a broken one is refused with its line and stays in the form.
  await goto(page, `${BASE_URL}/onderzoek/${SURVEY}`);
  await click(page, page.getByRole('link', { name: 'Rapportdefinitie', exact: true }));
  assert.equal(path(page), `/onderzoek/${SURVEY}/rapportdefinitie`);
  await checkPage(page, 'rapportdefinitie');
  const definitionBox = page.getByRole('textbox', { name: 'Of bewerk de definitie hier' });
  const definitionText = await definitionBox.inputValue();
  await definitionBox.fill(`${definitionText}\n[[sections]]\ntitle = 12\n`);
  await click(page, button(page, 'Alleen controleren'));
  await checkPage(page, 'rapportdefinitie-fout', 422);
  assert.match(await page.locator('.error-summary').innerText(), /regel \d+/, 'each problem names its line');
  assert.ok((await definitionBox.inputValue()).includes('title = 12'), 'the text stays in the form');
  await onPhone(phone, `${BASE_URL}/onderzoek/${SURVEY}/rapportdefinitie`, 'rapportdefinitie');

  // ---- The report editor: a sentence previewed with the survey's numbers (nothing stored),
  // a placeholder that does not fit refused with the check's reason, the sentence kept.
  await goto(page, `${BASE_URL}/onderzoek/${SURVEY}`);
  await click(page, page.getByRole('link', { name: 'Rapport bewerken', exact: true }));
  assert.equal(path(page), `/onderzoek/${SURVEY}/rapport/bewerken`);
  await checkPage(page, 'rapport-bewerken');
  assert.ok(await page.getByRole('link', { name: 'PDF bekijken' }).isVisible(), 'the PDF of a closed survey');
  const sentenceBox = page.getByRole('textbox', { name: 'Zin voor de figuur van Q3' });
  const sentenceForm = page.locator('form', { has: sentenceBox });
  await sentenceBox.fill('{Q:ja} zou het vaker willen inzetten ({base} antwoorden).');
  await click(page, sentenceForm.getByRole('button', { name: 'Voorbeeld bekijken' }));
  await checkPage(page, 'rapport-bewerken-voorbeeld');
  const q3Preview = await page.getByRole('group', { name: 'Voorbeeld bij Q3' }).innerText();
  assert.match(q3Preview, /\d+%.* zou het vaker willen inzetten \(\d+ antwoorden\)/, q3Preview);
  assert.doesNotMatch(q3Preview, /voorbeeldgetallen/, 'a closed survey previews its own numbers');
  await sentenceBox.fill('Gemiddeld {mean_all}.');
  await click(page, sentenceForm.getByRole('button', { name: 'Zinnen opslaan' }));
  await checkPage(page, 'rapport-bewerken-fout', 422);
  assert.match(await page.locator('.error-summary').innerText(), /past alleen bij een getalvraag/);
  assert.equal(await sentenceBox.inputValue(), 'Gemiddeld {mean_all}.', 'the sentence stays in the form');
  await onPhone(phone, `${BASE_URL}/onderzoek/${SURVEY}/rapport/bewerken`, 'rapport-bewerken');

  // ---- An address that does not exist: a page for staff, with the way back.
  await goto(page, `${BASE_URL}/onderzoek/bestaat-niet`);
  await checkPage(page, 'onbekend-onderzoek', 404);
  assert.ok(await page.getByRole('link', { name: 'Naar je vragenlijsten' }).isVisible(), 'the way back to the surveys');
  await onPhone(phone, `${BASE_URL}/onderzoek/bestaat-niet`, 'onbekend-onderzoek', 404);

  // ---- The PDF, then publishing.
  await goto(page, `${BASE_URL}/onderzoek/${SURVEY}`);
  const pdf = await download(page, () => page.getByRole('link', { name: 'Rapport (PDF) maken en downloaden' }).click());
  assert.equal(pdf.bytes.subarray(0, 4).toString('latin1'), '%PDF', 'the download is a PDF');
  assert.match(pdf.name, /\.pdf$/);

  await click(page, button(page, 'Publiceren in de leeskamer'));
  assert.match(path(page), /^\/rapporten\/\d+$/, 'publishing leads to the published report');
  const reportPath = path(page);
  await checkPage(page, 'rapport');
  assert.equal(await heading(page), 'Hulpverleners Maatwerkbudget');
  const article = page.locator('article.report');
  assert.ok((await article.locator('h2').count()) > 0, 'the report has section headings');
  const figures = article.locator('figure');
  assert.ok((await figures.count()) > 0, 'the report has figures');
  for (const img of await article.locator('figure img').all()) {
    assert.ok(((await img.getAttribute('alt')) ?? '').trim().length > 0, 'every figure has alt text');
    assert.ok(await img.evaluate((e) => e.complete && e.naturalWidth > 0), 'every figure loads');
  }
  assert.equal(await article.locator('figure table.figure-data').count(), await figures.count(), 'every figure has its data table');
  if (key.startsWith('section:') || key.startsWith('figure:')) {
    assert.ok((await article.innerText()).includes(narrative), `the report shows the text for ${key}`);
  }
  await onPhone(phone, `${BASE_URL}${reportPath}`, 'rapport');

  // ---- The reading room lists it with its summary and PDF.
  await click(page, page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Rapporten' }));
  assert.equal(path(page), '/rapporten');
  await checkPage(page, 'leeskamer');
  const card = page.locator('section.report-card').first();
  assert.match(await card.locator('h2').innerText(), /Hulpverleners Maatwerkbudget/);
  assert.ok((await card.locator('ul li').count()) > 0, 'the reading room shows the summary bullets');
  const published = await download(page, () => card.getByRole('link', { name: /^Download de PDF/ }).click());
  assert.equal(published.bytes.subarray(0, 4).toString('latin1'), '%PDF', 'the published PDF is a PDF');
  await onPhone(phone, `${BASE_URL}/rapporten`, 'leeskamer');
  await phone.context().close();

  // The survey's dashboard now links to the published version.
  await goto(page, `${BASE_URL}/onderzoek/${SURVEY}`);
  await checkPage(page, 'bundel-gepubliceerd');
  assert.equal(await page.getByRole('link', { name: 'versie 1' }).getAttribute('href'), reportPath);

  // ---- Logging out ends the session.
  await click(page, page.getByRole('button', { name: 'Uitloggen' }));
  assert.equal(path(page), '/inloggen');
  await checkPage(page, 'uitgelogd');
  await goto(page, `${BASE_URL}/onderzoek`);
  assert.equal(path(page), '/inloggen', 'after logging out the pages ask to sign in again');
  await page.context().close();

  // ---- The reader: the reading room and the report, but not the researcher pages.
  page = await newPage(browser, PHONE, 'reader');
  await goto(page, `${BASE_URL}/inloggen`);
  await checkPage(page, 'lezer-inloggen');
  await page.getByLabel('E-mailadres').fill(READER.email);
  await page.getByLabel('Wachtwoord').fill(READER.password);
  await click(page, button(page, 'Inloggen'));
  assert.equal(path(page), '/rapporten', 'a reader lands in the reading room');
  await checkPage(page, 'lezer-leeskamer');
  const readerNav = page.getByRole('navigation', { name: 'Hoofdmenu' });
  assert.equal(await readerNav.getByRole('link', { name: 'Vragenlijsten' }).count(), 0, 'a reader has no Vragenlijsten in the menu');
  await click(page, page.locator('section.report-card h2 a').first());
  assert.equal(path(page), reportPath);
  await checkPage(page, 'lezer-rapport');
  const readerPdf = await download(page, () => page.getByRole('link', { name: 'Download de PDF' }).click());
  assert.equal(readerPdf.bytes.subarray(0, 4).toString('latin1'), '%PDF');
  await goto(page, `${BASE_URL}/onderzoek`);
  await checkPage(page, 'lezer-geen-toegang', 403);
  assert.equal(await heading(page), 'Geen toegang');
  await goto(page, `${BASE_URL}/onderzoek/${SURVEY}/casussen`);
  assert.equal(page.status, 403, 'a reader cannot review casussen');
  await page.context().close();
} catch (error) {
  problems.unshift(`the walk through the researcher app stopped: ${error.stack ?? error}`);
} finally {
  await browser.close();
}

finish('researcher pages');
