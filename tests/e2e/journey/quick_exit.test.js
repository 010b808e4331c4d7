// Quick exit, by button and by Shift pressed three times: the page is blanked, the vault
// locks, the browser lands on the neutral site, and Back shows nothing personal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, PASSPHRASE } from './harness.js';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// A vault with one case, open on its task list.
async function openCase(page) {
  await page.goto(server.url);
  await page.getByRole('heading', { level: 1 }).waitFor();
  if (await page.getByLabel('Type the same passphrase again').count()) {
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Type the same passphrase again').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create my private space' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your recovery code' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your cases' }).waitFor();
    await page.getByRole('button', { name: 'Start a case' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Your name').fill('Zoë Müller');
    await page.getByLabel("The therapist's name").fill('Dr. Ana Pérez');
    await page.getByRole('button', { name: 'Continue' }).click();
  } else {
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('link', { name: /About Dr\. Ana Pérez/ }).click();
  }
  await page.getByRole('heading', { level: 1, name: 'Your case' }).waitFor();
}

async function vaultState(page) {
  return page.evaluate(async () => (await (await fetch('/api/v1/health')).json()).vault);
}

async function checkLeft(page) {
  await page.waitForURL(server.exitUrl);
  assert.equal(await page.title(), 'Weather');
  // Back: the app's page again, but the vault is locked and nothing of the case shows.
  await page.goBack();
  await page.getByRole('heading', { level: 1 }).waitFor();
  const text = await page.locator('body').innerText();
  assert.match(text, /Welcome back/);
  for (const personal of ['Zoë', 'Pérez', 'Your case']) assert.ok(!text.includes(personal), `Back shows "${personal}"`);
  assert.equal(await vaultState(page), 'locked');
}

test('the Quick exit button blanks the page, locks the vault and leaves', async () => {
  const { page, context } = await newPage(browser, server);
  await openCase(page);
  const seen = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) seen.push(f.url()); });
  await page.getByRole('button', { name: /Quick exit/ }).click();
  await checkLeft(page);
  assert.ok(seen.some((u) => u.startsWith(server.exitUrl)));
  await context.close();
});

test('Shift pressed three times leaves too, and each press is announced', async () => {
  const { page, context } = await newPage(browser, server);
  await openCase(page);
  await page.keyboard.press('Shift');
  assert.equal(await page.locator('#announce').innerText(), 'Shift, press 2 more times to exit.');
  await page.keyboard.press('Shift');
  assert.equal(await page.locator('#announce').innerText(), 'Shift, press 1 more time to exit.');
  await page.keyboard.press('Shift');
  await checkLeft(page);
  await context.close();
});

test('presses more than 5 seconds apart do not leave', async () => {
  const { page, context } = await newPage(browser, server);
  await openCase(page);
  await page.clock.install();
  await page.keyboard.press('Shift');
  await page.keyboard.press('Shift');
  await page.clock.runFor(5100);
  assert.equal(await page.locator('#announce').innerText(), 'Exit this page expired.');
  await page.keyboard.press('Shift');
  assert.equal(await page.locator('#announce').innerText(), 'Shift, press 2 more times to exit.');
  assert.equal(await vaultState(page), 'unlocked');
  await page.getByRole('heading', { level: 1, name: 'Your case' }).waitFor();
  await context.close();
});

test('Shift used with another key (Shift+Tab, a capital letter) is not a press', async () => {
  const { page, context } = await newPage(browser, server);
  await openCase(page);
  for (let i = 0; i < 4; i += 1) await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+KeyA');
  await page.keyboard.press('Shift+KeyB');
  assert.equal(await page.locator('#announce').innerText(), '');
  assert.equal(await vaultState(page), 'unlocked');
  await page.getByRole('heading', { level: 1, name: 'Your case' }).waitFor();
  // A press on its own still counts.
  await page.keyboard.press('Shift');
  assert.equal(await page.locator('#announce').innerText(), 'Shift, press 2 more times to exit.');
  await context.close();
});

test('after a quick exit, coming back through the front page resumes on the same page with what was typed', async () => {
  const { page, context } = await newPage(browser, server);
  await openCase(page);
  await page.getByRole('link', { name: 'What happened' }).click();
  await page.getByRole('button', { name: 'Add something that happened' }).click();
  await page.getByRole('heading', { level: 1, name: 'What happened?' }).waitFor();
  const where = new URL(page.url()).pathname;
  await page.getByLabel('In a line, what happened').fill('She phoned my mother about my sessions');
  await page.getByLabel('In your own words (optional)').fill('It was a Sunday. I had not said she could.');
  // The draft is saved as it is typed (half a second after the last key).
  const draft = () => page.evaluate(async () => {
    const r = await fetch('/api/v1/drafts/place', { cache: 'no-store' });
    return r.ok ? JSON.stringify((await r.json()).values) : '';
  });
  for (let i = 0; i < 50 && !(await draft()).includes('a Sunday'); i += 1) await page.waitForTimeout(100);
  assert.match(await draft(), /a Sunday/);
  await page.getByRole('button', { name: /Quick exit/ }).click();
  await page.waitForURL(server.exitUrl);

  // The next time: the front page, not the page's own address.
  await page.goto(server.url);
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { level: 1, name: 'What happened?' }).waitFor();
  assert.equal(new URL(page.url()).pathname, where);
  await page.waitForFunction(() => document.getElementById('summary')?.value !== '');
  assert.equal(await page.getByLabel('In a line, what happened').inputValue(), 'She phoned my mother about my sessions');
  assert.equal(await page.getByLabel('In your own words (optional)').inputValue(), 'It was a Sunday. I had not said she could.');
  assert.match(await page.locator('.notification').innerText(), /still here/);
  // Unlocking did not throw the draft away: a reload finds it again.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'What happened?' }).waitFor();
  await page.waitForFunction(() => document.getElementById('summary')?.value !== '');
  assert.equal(await page.getByLabel('In a line, what happened').inputValue(), 'She phoned my mother about my sessions');
  await context.close();
});

// Comes back through the front page, unlocks, and waits for the page left with its draft.
async function unlockToDraft(page) {
  await page.goto(server.url);
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { level: 1, name: 'What happened?' }).waitFor();
  await page.waitForFunction(() => document.getElementById('summary')?.value !== '');
}

test('the last words typed just before a quick exit are kept too', async () => {
  const { page, context } = await newPage(browser, server);
  // Back on the page the last test left, with its draft.
  await unlockToDraft(page);
  // Changed, and the button pressed at once: no half second of quiet for the draft to wait for.
  await page.getByLabel('In a line, what happened').fill('He kept texting me late at night');
  await page.getByRole('button', { name: /Quick exit/ }).click();
  await page.waitForURL(server.exitUrl);

  await unlockToDraft(page);
  assert.equal(await page.getByLabel('In a line, what happened').inputValue(), 'He kept texting me late at night');
  assert.equal(await page.getByLabel('In your own words (optional)').inputValue(), 'It was a Sunday. I had not said she could.');
  await context.close();
});

// A browser sends at most 64 KB as it leaves a page; a longer account goes as an ordinary
// request, which the quick exit waits for.
test('a long account typed just before a quick exit is kept whole', async () => {
  const { page, context } = await newPage(browser, server);
  await unlockToDraft(page);
  const account = 'It went on for months, and I wrote down each time. '.repeat(1800);  // about 91 KB
  await page.getByLabel('In your own words (optional)').fill(account);
  await page.getByRole('button', { name: /Quick exit/ }).click();
  await page.waitForURL(server.exitUrl);

  await page.goto(server.url);
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { level: 1, name: 'What happened?' }).waitFor();
  await page.waitForFunction(() => document.getElementById('narrative')?.value.length > 100);
  assert.equal((await page.getByLabel('In your own words (optional)').inputValue()).length, account.length);
  await context.close();
});
