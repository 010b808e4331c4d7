// Two people (here, two tabs) change the same entry: the one who saves second is told,
// plainly and without blame, that someone else saved a change meanwhile; what they wrote is
// still in the page, and nothing they did not see is overwritten. Checked with axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, checkPage, PASSPHRASE } from './harness.js';

let server;
let browser;
let session;
let page;

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

const heading = (p, name) => p.getByRole('heading', { level: 1, name }).waitFor();

test('a save from an entry someone else changed meanwhile is refused, keeping what was typed', async () => {
  await page.goto(server.url);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Type the same passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create my private space' }).click();
  await heading(page, 'Your recovery code');
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading(page, 'Your cases');
  await page.getByRole('button', { name: 'Start a case' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Your name').fill('Zoë Müller');
  await page.getByLabel("The therapist's name").fill('Dr. Ana Pérez');
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading(page, 'Your case');
  const caseId = new URL(page.url()).pathname.split('/')[2];

  // One entry, made through the app's own API call (the same session and token).
  const incidentId = await page.evaluate(async (id) => {
    const { api } = await import('/js/api.js');
    const made = await api('POST', `/api/v1/cases/${encodeURIComponent(id)}/incidents`, { summary: 'Ended by text' });
    return made.id;
  }, caseId);

  // Two tabs open the same page; the second saves first.
  await page.goto(`${server.url}incidents/${incidentId}/what`);
  await heading(page, 'What happened?');
  const other = await session.context.newPage();
  await other.goto(`${server.url}incidents/${incidentId}/what`);
  await heading(other, 'What happened?');
  await other.getByLabel('In your own words (optional)').fill('Words saved from the other tab.');
  await other.getByRole('button', { name: 'Save and continue' }).click();
  await heading(other, 'When did it happen?');
  await other.close();

  const mine = 'My own account of it, typed in this tab.';
  await page.getByLabel('In your own words (optional)').fill(mine);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /A change to this was saved by owner while you were working on it/);
  assert.match(await summary.innerText(), /What you wrote is still here/);
  // Still this page, with what was typed; the other tab's words are what is stored.
  await heading(page, 'What happened?');
  assert.equal(await page.getByLabel('In your own words (optional)').inputValue(), mine);
  // Nothing the person answered is marked wrong: it is about the page, said once.
  assert.equal(await page.locator('.error-message').count(), 0);
  await checkPage(session, 'a change saved meanwhile', { shot: 'changed-meanwhile' });
  const stored = await page.evaluate(async (id) => {
    const { api } = await import('/js/api.js');
    return (await api('GET', `/api/v1/incidents/${encodeURIComponent(id)}`)).narrative;
  }, incidentId);
  assert.equal(stored, 'Words saved from the other tab.');

  // Opened again, it shows their change, and a save from there goes through.
  await page.goto(`${server.url}incidents/${incidentId}/what`);
  await heading(page, 'What happened?');
  assert.equal(await page.getByLabel('In your own words (optional)').inputValue(), 'Words saved from the other tab.');
  await page.getByLabel('In your own words (optional)').fill(mine);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading(page, 'When did it happen?');
});
