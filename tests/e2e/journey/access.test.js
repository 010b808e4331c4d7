// Keyboard only, and at 200 % zoom: the start of the journey done with the keyboard alone
// (every stop on the way with a visible focus indicator, the quick exit among the first),
// then the main pages at the width a 1280-pixel window has at 200 % zoom.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, axeViolations, screenshot, PASSPHRASE } from './harness.js';

let server;
let browser;
let session;
let page;
let caseUrl = '';

before(async () => {
  server = await startServer();
  browser = await launch();
  session = await newPage(browser, server);
  page = session.page;
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function heading(text) {
  await page.getByRole('heading', { level: 1, name: text }).waitFor();
  // The page is drawn once its heading (or error summary) has the focus: only then does a
  // key press start from where a person's would.
  await page.waitForFunction(() => {
    const el = document.activeElement;
    return el && (el.id === 'page-heading' || el.tagName === 'H1' || el.classList.contains('error-summary'));
  });
}

// What has the focus, and whether it can be seen: an outline or a background in the focus
// colour (#ffdd00), as the styles draw it.
async function focused() {
  return page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    const yellow = 'rgb(255, 221, 0)';
    const outlined = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && s.outlineColor === yellow;
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: el.type || '',
      text: (el.textContent || el.labels?.[0]?.textContent || '').trim().slice(0, 60),
      label: el.labels && el.labels[0] ? el.labels[0].textContent.trim() : '',
      visible: outlined || s.backgroundColor === yellow,
    };
  });
}

// Presses Tab until `wanted` holds for what has the focus; every stop on the way must show
// its focus. Returns the stops.
async function tabTo(wanted, max = 40) {
  const stops = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const f = await focused();
    stops.push(f);
    assert.ok(f.visible, `the focus on ${f.tag}#${f.id} "${f.text}" cannot be seen (after ${JSON.stringify(stops.slice(0, -1).map((x) => x.text || x.id))})`);
    if (wanted(f)) return stops;
  }
  assert.fail(`not reached with ${max} presses of Tab: ${JSON.stringify(stops.map((s) => s.text || s.id))}`);
  return stops;
}

test('keyboard only: the vault, a case and a finished section, with the focus always visible', async () => {
  await page.goto(server.url);
  await heading('Welcome to Recourse');
  // Each page puts the focus on its heading; the quick exit is the stop just before it.
  await page.keyboard.press('Shift+Tab');
  const exit = await focused();
  assert.equal(exit.id, 'quick-exit');
  assert.ok(exit.visible, 'the focus on the quick exit cannot be seen');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  const skip = await focused();
  assert.equal(skip.text, 'Skip to main content');
  assert.ok(skip.visible, 'the focus on the skip link cannot be seen');

  await tabTo((f) => f.id === 'passphrase');
  await page.keyboard.type(PASSPHRASE);
  await tabTo((f) => f.id === 'passphrase-again');
  await page.keyboard.type(PASSPHRASE);
  await page.keyboard.press('Enter');
  await heading('Your recovery code');
  await tabTo((f) => f.text === 'Continue');
  await page.keyboard.press('Enter');
  await heading('Your cases');

  await tabTo((f) => f.text === 'Start a case');
  await page.keyboard.press('Enter');
  await heading('Leaving this site quickly');
  await tabTo((f) => f.text === 'Continue');
  await page.keyboard.press('Enter');
  await heading('Start a case');
  await tabTo((f) => f.label === 'Your name');
  await page.keyboard.type('Zoë Müller');
  await tabTo((f) => f.label === "The therapist's name");
  await page.keyboard.type('Dr. Ana Pérez');
  await page.keyboard.press('Enter');
  await heading('Your case');
  caseUrl = page.url();

  await tabTo((f) => f.text === 'What happened');
  await page.keyboard.press('Enter');
  await heading('What happened');
  await tabTo((f) => f.type === 'radio');
  await page.keyboard.press('Space');
  assert.equal(await page.getByLabel('Yes, I have finished this section').isChecked(), true);
  await page.keyboard.press('Enter');
  await heading('Your case');
  assert.match(await page.locator('.task-list-item').nth(1).innerText(), /What happened[\s\S]*Completed/);

  // A mistake: the error summary takes the focus, and its link leads to the field.
  await tabTo((f) => f.text === 'About the therapist');
  await page.keyboard.press('Enter');
  await heading('Who they are');
  await tabTo((f) => f.label === 'Their name');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Enter');
  await page.locator('.error-summary').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.className), 'error-summary');
  await tabTo((f) => f.tag === 'a' && f.text.length > 0);
  await page.keyboard.press('Enter');
  assert.equal((await focused()).label, 'Their name');
  assert.deepEqual(session.problems, []);
});

test('at 200 % zoom the pages fit, and the quick exit stays in view', async () => {
  // A 1280 × 800 window at 200 % zoom lays pages out in 640 × 400 CSS pixels.
  await page.setViewportSize({ width: 640, height: 400 });
  const id = new URL(caseUrl).pathname.split('/')[2];
  const pages = [
    ['/', 'Your cases'],
    [`/cases/${id}`, 'Your case'],
    [`/cases/${id}/incidents/new`, null],
    [`/cases/${id}/evidence/new`, null],
    [`/cases/${id}/records`, 'Get your records'],
    ['/due', 'What is due'],
    ['/backup', 'Back up your records'],
  ];
  for (const [path, title] of pages) {
    await page.goto(new URL(path, server.url).href);
    if (title) await heading(title);
    else await page.locator('main h1').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px at 200 % zoom`);
    const exit = await page.locator('#quick-exit').boundingBox();
    assert.ok(exit && exit.x >= 0 && exit.x + exit.width <= 640 && exit.y >= 0 && exit.y + exit.height <= 400,
      `${path}: the quick exit is out of view at 200 % zoom`);
    assert.deepEqual(await axeViolations(page), [], `${path} at 200 % zoom: axe-core found violations`);
  }
  await page.goto(new URL(`/cases/${id}`, server.url).href);
  await heading('Your case');
  await screenshot(page, 'task-list-zoom');
  assert.deepEqual(session.problems, []);
  assert.deepEqual(session.outside, []);
});
