// Who may see what, in a real browser, after researcher.test.mjs has published the bundled
// survey's report: the reading room without an account; a second researcher who cannot see the
// first one's survey (404, not 403, so the code is not confirmed) until the owner adds them on
// the team page; the trail of the survey and of everything; an admin who disables the second
// researcher, whose open session ends at their next click; the admin pages. Every page gets the
// same checks as in researcher.test.mjs (walk.mjs), screenshots named a01-..., a02-...
//
// Started by run.sh, which passes:
//   BASE_URL, SCREENSHOT_DIR, SURVEY, CHROMIUM_PATH  as for researcher.test.mjs
//   RESEARCHER_EMAIL, RESEARCHER_PASSWORD  the survey's owner
//   SECOND_EMAIL, SECOND_PASSWORD          a researcher who is not (yet) a member
//   ADMIN_EMAIL, ADMIN_PASSWORD            an admin
import assert from 'node:assert/strict';
import { goto } from './checks.mjs';
import { DESKTOP, PHONE, button, click, heading, main, path, walk } from './walk.mjs';
import { chromium } from 'playwright-core';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set; start this test with run.sh`);
  return value;
};
const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const SURVEY = env('SURVEY', 'maatwerkbudget-2021');
const OWNER = { email: env('RESEARCHER_EMAIL'), password: env('RESEARCHER_PASSWORD') };
const SECOND = { email: env('SECOND_EMAIL'), password: env('SECOND_PASSWORD') };
const ADMIN = { email: env('ADMIN_EMAIL'), password: env('ADMIN_PASSWORD') };
const CHROMIUM_PATH = env('CHROMIUM_PATH', '/usr/bin/chromium');

const { newPage, checkPage, download, finish, problems } = walk('a', env('SCREENSHOT_DIR'));

/** A new browser (its own cookies) signed in as `account`. */
async function signedIn(browser, options, label, account) {
  const page = await newPage(browser, options, label);
  await goto(page, `${BASE_URL}/inloggen`);
  await page.getByLabel('E-mailadres').fill(account.email);
  await page.getByLabel('Wachtwoord').fill(account.password);
  await click(page, button(page, 'Inloggen'));
  assert.notEqual(path(page), '/inloggen', `${account.email} is signed in`);
  return page;
}

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
try {
  // ---- The reading room is public: no account, on a phone and on a desktop.
  for (const [options, name] of [[PHONE, 'telefoon'], [DESKTOP, 'desktop']]) {
    const page = await newPage(browser, options, `public-${name}`);
    await goto(page, `${BASE_URL}/rapporten`);
    assert.equal(path(page), '/rapporten', 'the reading room does not ask to sign in');
    await checkPage(page, `leeskamer-openbaar-${name}`);
    const card = page.locator('section.report-card').first();
    assert.match(await card.locator('h2').innerText(), /\S/, 'the published report is listed');
    assert.equal(await page.getByRole('link', { name: 'Vragenlijsten' }).count(), 0, 'no researcher menu for the public');
    assert.ok((await page.locator('a[href^="/inloggen"]').count()) > 0, 'staff can find the login');
    await click(page, card.locator('h2 a'));
    assert.match(path(page), /^\/rapporten\/\d+$/);
    await checkPage(page, `rapport-openbaar-${name}`);
    const pdf = await download(page, () => page.getByRole('link', { name: 'Download de PDF' }).click());
    assert.equal(pdf.bytes.subarray(0, 4).toString('latin1'), '%PDF', 'the public gets the PDF');
    await page.context().close();
  }

  // ---- A second researcher does not see the owner's survey: not listed, and 404 by its code.
  const second = await signedIn(browser, DESKTOP, 'second', SECOND);
  await goto(second, `${BASE_URL}/onderzoek`);
  await checkPage(second, 'tweede-lijst-zonder');
  assert.equal(await second.locator(`a[href="/onderzoek/${SURVEY}"]`).count(), 0, 'the survey is not listed for a non-member');
  await goto(second, `${BASE_URL}/onderzoek/${SURVEY}`);
  await checkPage(second, 'tweede-niet-gevonden', 404);
  await goto(second, `${BASE_URL}/onderzoek/${SURVEY}/casussen`);
  assert.equal(second.status, 404, 'nor its casussen');

  // ---- The owner adds the second researcher on the team page.
  const owner = await signedIn(browser, DESKTOP, 'owner', OWNER);
  await goto(owner, `${BASE_URL}/onderzoek/${SURVEY}/team`);
  await checkPage(owner, 'team');
  await owner.getByLabel('E-mailadres van de onderzoeker').fill(SECOND.email);
  await click(owner, button(owner, 'Toevoegen'));
  await checkPage(owner, 'team-toegevoegd');
  assert.ok((await main(owner)).includes(SECOND.email), 'the new member is in the table');
  await owner.context().close();

  // ---- Now the second researcher sees it, and its trail, but does not manage the team.
  await goto(second, `${BASE_URL}/onderzoek`);
  assert.equal(await second.locator(`a[href="/onderzoek/${SURVEY}"]`).count(), 1, 'a member sees the survey listed');
  await goto(second, `${BASE_URL}/onderzoek/${SURVEY}`);
  await checkPage(second, 'tweede-dashboard');
  await goto(second, `${BASE_URL}/onderzoek/${SURVEY}/team`);
  await checkPage(second, 'tweede-team');
  assert.equal(await button(second, 'Toevoegen').count(), 0, 'a member does not add members');
  await goto(second, `${BASE_URL}/onderzoek/${SURVEY}/logboek`);
  await checkPage(second, 'logboek');
  assert.match(await main(second), /lid toegevoegd/, 'the trail shows the membership');
  assert.match(await main(second), /gepubliceerd/, 'and the publication');

  // ---- The admin: accounts, the whole trail; disabling the second researcher.
  const admin = await signedIn(browser, DESKTOP, 'admin', ADMIN);
  await goto(admin, `${BASE_URL}/beheer/accounts`);
  await checkPage(admin, 'beheer-accounts');
  await click(admin, button(admin, `${SECOND.email} uitschakelen`));
  await checkPage(admin, 'beheer-uitgeschakeld');
  const row = admin.locator('tbody tr', { has: admin.locator('th', { hasText: SECOND.email }) });
  assert.match(await row.innerText(), /uitgeschakeld/i, 'the table shows the account disabled');
  assert.equal(await button(admin, `${SECOND.email} inschakelen`).count(), 1, 'and offers to enable it again');
  await goto(admin, `${BASE_URL}/beheer/logboek`);
  await checkPage(admin, 'beheer-logboek');
  assert.match(await main(admin), /uitgeschakeld/, 'the trail records the disabling');
  await goto(admin, `${BASE_URL}/account`);
  await checkPage(admin, 'eigen-account');

  // ---- The disabled researcher's open session ends at the next click, and login is refused.
  await goto(second, `${BASE_URL}/onderzoek/${SURVEY}`);
  assert.equal(path(second), '/inloggen', 'a disabled account is signed out at once');
  await second.getByLabel('E-mailadres').fill(SECOND.email);
  await second.getByLabel('Wachtwoord').fill(SECOND.password);
  await click(second, button(second, 'Inloggen'));
  await checkPage(second, 'uitgeschakeld-inloggen', 401);
  await second.context().close();

  // ---- The admin pages on a phone.
  const adminPhone = await signedIn(browser, PHONE, 'admin-phone', ADMIN);
  for (const [url, name] of [['/beheer/accounts', 'accounts'], ['/beheer/logboek', 'logboek'], [`/onderzoek/${SURVEY}/team`, 'team'], ['/account', 'account']]) {
    await goto(adminPhone, `${BASE_URL}${url}`);
    await checkPage(adminPhone, `telefoon-${name}`);
  }

  // ---- Someone guesses the owner's password: five failures lock the owner's account for this
  // address and block the address; the sixth try is refused before any check (429). The admin
  // sees both on the locks page, on a desktop and on a phone, and lifts the address, which
  // lifts the account's lock for it too; then the owner signs in from here again.
  const guesser = await newPage(browser, PHONE, 'guesser');
  for (let attempt = 1; attempt <= 6; attempt += 1) {
    await goto(guesser, `${BASE_URL}/inloggen`);
    await guesser.getByLabel('E-mailadres').fill(OWNER.email);
    await guesser.getByLabel('Wachtwoord').fill(`fout-${attempt}-${OWNER.password}`);
    await click(guesser, button(guesser, 'Inloggen'));
    if (attempt < 6) assert.equal(guesser.status, 401, `wrong password ${attempt} is refused`);
  }
  await checkPage(guesser, 'geblokkeerd-inloggen', 429);
  assert.match(await main(guesser), /Te veel mislukte pogingen/, 'the block is explained');
  await goto(admin, `${BASE_URL}/beheer/vergrendelingen`);
  await checkPage(admin, 'vergrendelingen');
  const liftAddress = admin.getByRole('button', { name: /^Vrijgeven adres / });
  const liftAccount = admin.getByRole('button', { name: `Vrijgeven account ${OWNER.email}`, exact: true });
  assert.equal(await liftAddress.count(), 1, 'the blocked address is listed');
  assert.equal(await liftAccount.count(), 1, 'the owner is locked for that address');
  await goto(adminPhone, `${BASE_URL}/beheer/vergrendelingen`);
  await checkPage(adminPhone, 'telefoon-vergrendelingen');
  // Lifting the address also lifts the account locks held for it.
  await click(admin, liftAddress);
  await checkPage(admin, 'vergrendelingen-vrij');
  assert.match(await main(admin), /Er is nu geen adres geblokkeerd/, 'the address is free');
  assert.match(await main(admin), /Er is nu geen account op slot/, 'and the account');
  await guesser.context().close();
  const ownerAgain = await signedIn(browser, PHONE, 'owner-again', OWNER);
  await ownerAgain.context().close();
  await goto(admin, `${BASE_URL}/beheer/logboek`);
  assert.match(await main(admin), /vrijgegeven|opgeheven/i, 'the trail records the lifts');
  await adminPhone.context().close();
  await admin.context().close();
} catch (error) {
  problems.unshift(`the access walk stopped: ${error.stack ?? error}`);
} finally {
  await browser.close();
}

finish('pages of the access walk');
