// What both browser tests share: moving between pages, and the checks they run on every page: axe-core, and a layout check that nothing
// needs sideways scrolling and every control is easy to hit (at least 24x24 CSS pixels, WCAG
// 2.2's 2.5.8; text links inside sentences excepted).
import axe from 'axe-core';

/** Runs `action` (a click or a key press) and waits until the page it leads to has loaded. */
export async function navigate(page, action) {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  // The wait may time out while `action` is still waiting for its element (a button that is
  // not there): the walk must then fail with the action's own error, not with an unhandled
  // rejection that kills node. Marking the wait handled here keeps its error for the await.
  navigated.catch(() => {});
  await action();
  await navigated;
  await page.waitForLoadState('load');
}

export async function goto(page, url) {
  await page.goto(url, { waitUntil: 'load' });
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe on the page: how many rules passed, and every violation with its nodes. */
export async function runAxe(page) {
  await page.evaluate(axe.source);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return { passed: result.passes.length, violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
    })) };
  }, AXE_TAGS);
}

/** What overflows the viewport and which controls are too small, as sentences. */
export async function layoutProblems(page) {
  return page.evaluate(() => {
    const found = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) found.push(`the page is ${root.scrollWidth}px wide in a ${root.clientWidth}px viewport`);
    for (const element of document.querySelectorAll('body *')) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.right > root.clientWidth + 0.5 && getComputedStyle(element).position !== 'absolute') {
        found.push(`<${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''}> reaches ${Math.round(box.right)}px`);
      }
    }
    for (const control of document.querySelectorAll('input:not([type=hidden]), textarea, select, button, a.button')) {
      const box = control.getBoundingClientRect();
      if (box.width > 0 && (box.width < 24 || box.height < 24)) {
        found.push(`<${control.tagName.toLowerCase()}${control.id ? `#${control.id}` : ''}> is only ${box.width.toFixed(1)}x${box.height.toFixed(1)}px`);
      }
    }
    return found;
  });
}
