// What the walks through the researcher app and the access test share: pages whose console
// errors and failed requests are recorded, the checks every page gets (status, axe-core, width,
// target size, a screenshot), and the summary that fails the run when anything was found.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AXE_TAGS, layoutProblems, navigate, runAxe } from './checks.mjs';

export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 800 } };

export const path = (page) => new URL(page.url()).pathname;
export const heading = (page) => page.locator('h1').first().innerText();
export const main = (page) => page.locator('main').innerText();
export const button = (page, name) => page.getByRole('button', { name, exact: true });
export const click = (page, locator) => navigate(page, () => locator.click());

/**
 * One walk: its screenshots are named `${prefix}01-name.png`, ... in `dir` (an earlier run's
 * files of the same prefix are removed first, so they cannot be mistaken for this run's).
 */
export function walk(prefix, dir) {
  mkdirSync(dir, { recursive: true });
  const own = new RegExp(`^${prefix}\\d\\d-[a-z0-9-]+\\.png$`);
  for (const name of readdirSync(dir)) {
    if (own.test(name)) rmSync(join(dir, name));
  }
  /** Everything checked per page, for the summary at the end. */
  const checked = [];
  /** Problems that fail the test, collected so that one run lists all of them. */
  const problems = [];
  let shot = 0;

  /** A new page whose console errors, uncaught errors and failed sub-requests are recorded. */
  async function newPage(browser, options, label) {
    const context = await browser.newContext({ ...options, locale: 'nl-NL', acceptDownloads: true });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.status = null;
    page.on('response', (response) => {
      const request = response.request();
      if (request.isNavigationRequest() && response.frame() === page.mainFrame()) {
        if (response.status() < 300 || response.status() >= 400) page.status = response.status();
      } else if (response.status() >= 400) {
        problems.push(`${label}: ${request.method()} ${response.url()} answered ${response.status()}`);
      }
    });
    page.on('requestfailed', (request) => {
      // A download (Content-Disposition: attachment) ends the navigation Chromium started for it.
      if (/\.pdf$/.test(new URL(request.url()).pathname) && request.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`${label}: request failed: ${request.url()} (${request.failure()?.errorText})`);
    });
    page.on('console', (message) => {
      // The 401 (wrong password), 403 (no access), 404 (not a member), 422 (a form with
      // errors) and 429 (a blocked address) pages are meant to have those statuses, and
      // checkPage asserts each; Chromium logs each one. The 403 and 404 pages come from the
      // respondent form's templates, which declare no icon, so there Chromium asks for
      // /favicon.ico and gets a 404.
      const favicon = /\/favicon\.ico$/.test(message.location()?.url ?? '') && (page.status === 403 || page.status === 404);
      if (message.type() === 'error' && !favicon && !/^Failed to load resource: the server responded with a status of (401|403|404|422|429)/.test(message.text())) {
        problems.push(`${label}: console error on ${page.url()}: ${message.text()}${message.location()?.url ? ` (${message.location().url})` : ''}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`${label}: script error on ${page.url()}: ${error.message}`));
    return page;
  }

  /** A screenshot named r01-name.png, r02-..., in the order taken. */
  async function screenshot(page, name, options = {}) {
    shot += 1;
    const file = join(dir, `${prefix}${String(shot).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, ...options });
    return file;
  }

  /** The checks every page gets: axe, width, small targets, a screenshot. */
  async function checkPage(page, name, expectedStatus = 200) {
    const width = page.viewportSize().width;
    const where = `${name} (${path(page)}, ${width}px)`;
    assert.equal(page.status, expectedStatus, `${where}: HTTP status`);

    const { passed, violations } = await runAxe(page);
    assert.ok(passed > 0, `${where}: axe ran no rule at all`);

    // Nothing may need sideways scrolling, and every control must be easy to hit: at least
    // 24x24 CSS pixels (WCAG 2.2's 2.5.8), text links inside sentences excepted.
    const layout = await layoutProblems(page);

    const file = await screenshot(page, name, { fullPage: true });
    checked.push({ name, path: path(page), width, passed, violations, layout, file });
    for (const v of violations) {
      problems.push(
        `${where}: axe ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n` +
          v.nodes.map((n) => `    - ${n.target}\n      ${n.html}\n      ${n.summary.replace(/\n/g, '\n      ')}`).join('\n'),
      );
    }
    for (const l of layout) problems.push(`${where}: layout on ${width}px: ${l}`);
  }

  /** Clicks a link or button that downloads a file; returns the file's bytes. */
  async function download(page, start) {
    const started = page.waitForEvent('download');
    await start();
    const file = await started;
    const failure = await file.failure();
    assert.equal(failure, null, `the download of ${file.url()} failed`);
    return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
  }

  /** Prints what was checked; exits with 1 if anything failed. */
  function finish(what) {
    const violationCount = checked.reduce((n, c) => n + c.violations.length, 0);
    console.log(`\naxe-core (${AXE_TAGS.join(', ')}) on ${checked.length} ${what}:`);
    for (const c of checked) {
      const notes = [
        c.violations.length ? `${c.violations.length} violation(s): ${c.violations.map((v) => v.id).join(', ')}` : `no violations (${c.passed} rules passed)`,
        ...(c.layout.length ? [`${c.layout.length} layout problem(s)`] : []),
      ];
      console.log(`  ${c.name.padEnd(28)} ${`${c.path} @${c.width}`.padEnd(44)} ${notes.join('; ')}`);
    }
    console.log(`${checked.length} pages checked, ${violationCount} axe violation(s); screenshots in ${dir}`);
    if (problems.length > 0) {
      // The same console error on every page is listed once, with how often it occurred.
      const counted = new Map();
      for (const p of problems) counted.set(p, (counted.get(p) ?? 0) + 1);
      console.error(`\nFAILED: ${problems.length} problem(s)\n`);
      for (const [p, n] of counted) console.error(`- ${p}${n > 1 ? ` (${n} times)` : ''}\n`);
      process.exit(1);
    }
  }

  return { newPage, screenshot, checkPage, download, finish, problems };
}
