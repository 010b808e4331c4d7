// Backups from the browser: one computer makes a backup, another with no vault yet restores
// it, and the first restores it again over what was added since. Every page is checked
// with axe-core, errors included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, launch, newPage, checkPage, PASSPHRASE } from './harness.js';

let browser;
let first;   // the computer the backup is made on
let second;  // a computer with no vault yet
let a;
let b;
const scratch = mkdtempSync(path.join(tmpdir(), 'recourse-e2e-backup-'));
let backupFile = '';

before(async () => {
  [first, second] = await Promise.all([startServer(), startServer()]);
  browser = await launch();
  a = await newPage(browser, first);
  b = await newPage(browser, second);
});

after(async () => {
  rmSync(scratch, { recursive: true, force: true });
  if (browser) await browser.close();
  await Promise.all([first, second].filter(Boolean).map((s) => s.stop()));
});


async function heading(page, text) {
  await page.getByRole('heading', { level: 1, name: text }).waitFor();
}

async function errorSaying(page, pattern) {
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), pattern);
  assert.equal(await page.evaluate(() => document.activeElement.className), 'error-summary');
}

// A person and a case through the API, as the pages would add them.
async function addCase(session, server, therapist) {
  const api = session.context.request;
  const { csrf_token: csrf } = await (await api.get(`${server.url}api/v1/session`)).json();
  const headers = { 'X-CSRF-Token': csrf };
  const clients = (await (await api.get(`${server.url}api/v1/clients`)).json()).clients;
  let client = clients[0];
  if (!client) {
    client = await (await api.post(`${server.url}api/v1/clients`, { data: { name: 'Zoë Müller' }, headers })).json();
  }
  const res = await api.post(`${server.url}api/v1/cases`, { data: { client_id: client.id, provider: { name: therapist } }, headers });
  assert.equal(res.status(), 201);
}

test('a backup is made: the passphrase is asked again, and the file downloads', async () => {
  const { page } = a;
  await page.goto(first.url);
  await heading(page, 'Welcome to Recourse');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Type the same passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create my private space' }).click();
  await heading(page, 'Your recovery code');
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading(page, 'Your cases');
  await addCase(a, first, 'Dr. Ana Pérez');
  await page.reload();
  await heading(page, 'Your cases');
  await page.getByRole('link', { name: 'Back up or restore your records' }).click();
  await heading(page, 'Back up your records');
  await checkPage(a, 'back up', { shot: 'backup' });

  await page.getByRole('button', { name: 'Download the backup' }).click();
  await errorSaying(page, /Enter your passphrase/);
  await page.getByLabel('Your passphrase').fill('not my passphrase');
  await page.getByRole('button', { name: 'Download the backup' }).click();
  await errorSaying(page, /That passphrase does not open your records/);
  await checkPage(a, 'back up with an error');

  await page.getByLabel('Your passphrase').fill(PASSPHRASE);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the backup' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^recourse-backup-\d{4}-\d{2}-\d{2}\.recourse$/);
  backupFile = path.join(scratch, download.suggestedFilename());
  await download.saveAs(backupFile);
  const bytes = readFileSync(backupFile);
  assert.equal(bytes.subarray(0, 16).toString(), 'RECOURSE-EXPORT\n');
  assert.equal(bytes.indexOf('Zoë'), -1, 'the backup is sealed');
  const done = page.locator('#backup-done .notification');
  await done.waitFor();
  assert.match(await done.innerText(), /Your backup was downloaded[\s\S]*recourse-backup-/);
  assert.equal(await page.locator('#passphrase').inputValue(), '', 'the passphrase is not left on the page');
  await checkPage(a, 'backup downloaded');
});

test('on another computer with no vault yet, the backup is restored from the welcome page', async () => {
  const { page } = b;
  await page.goto(second.url);
  await heading(page, 'Welcome to Recourse');
  await page.getByRole('link', { name: /Restore the backup/ }).click();
  await heading(page, 'Restore a backup');
  assert.equal(new URL(page.url()).pathname, '/restore');
  await checkPage(b, 'restore on a new computer', { shot: 'restore' });

  await page.getByRole('button', { name: 'Restore the backup' }).click();
  await errorSaying(page, /Choose the backup file[\s\S]*Enter the backup's passphrase/);
  await checkPage(b, 'restore with errors');

  const notBackup = path.join(scratch, 'notes.recourse');
  writeFileSync(notBackup, 'These are my notes, not a backup.\n');
  await page.getByLabel('The backup file').setInputFiles(notBackup);
  await page.getByLabel("The backup's passphrase").fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Restore the backup' }).click();
  await errorSaying(page, /notes\.recourse is not a Recourse backup/);

  await page.getByLabel('The backup file').setInputFiles(backupFile);
  await page.getByLabel("The backup's passphrase").fill('not the passphrase');
  await page.getByRole('button', { name: 'Restore the backup' }).click();
  await errorSaying(page, /That passphrase does not open this backup/);

  await page.getByLabel('The backup file').setInputFiles(backupFile);
  await page.getByLabel("The backup's passphrase").fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Restore the backup' }).click();
  await heading(page, 'Your cases');
  assert.match(await page.locator('main').innerText(), /About Dr\. Ana Pérez/);
  await checkPage(b, 'restored');
});

test('restoring over a vault keeps nothing added since, after a warning', async () => {
  const { page } = a;
  await addCase(a, first, 'Harbor Counseling');
  await page.goto(new URL('/backup', first.url).href);
  await heading(page, 'Back up your records');
  await page.getByRole('link', { name: 'Restore a backup' }).click();
  await heading(page, 'Restore a backup');
  const text = await page.locator('main').innerText();
  assert.match(text, /kept on this computer/);
  assert.match(text, /Anything added after the backup was made will not be in the restored records/);
  await checkPage(a, 'restore over a vault');
  await page.getByLabel('The backup file').setInputFiles(backupFile);
  await page.getByLabel("The backup's passphrase").fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Replace with the backup' }).click();
  await heading(page, 'Your cases');
  const cases = await page.locator('main').innerText();
  assert.match(cases, /About Dr\. Ana Pérez/);
  assert.doesNotMatch(cases, /Harbor Counseling/);
});

test('a person is removed, with their cases, only after a confirmation', async () => {
  const { page } = a;
  await page.goto(first.url);
  await heading(page, 'Your cases');
  await page.getByRole('link', { name: 'Your details, used in letters' }).click();
  await heading(page, 'Your details');
  await page.getByRole('link', { name: 'Remove this person and everything of theirs' }).click();
  await heading(page, 'Are you sure you want to remove this person?');
  assert.match(await page.locator('main').innerText(), /Zoë Müller will be removed from Recourse, with their case and everything in it/);
  await checkPage(a, 'remove a person');
  await page.getByRole('link', { name: 'No, keep them' }).click();
  await heading(page, 'Your details');
  await page.getByRole('link', { name: 'Remove this person and everything of theirs' }).click();
  await page.getByRole('button', { name: 'Yes, remove this person' }).click();
  await heading(page, 'Your cases');
  assert.match(await page.locator('main').innerText(), /You have not started a case yet/);
});

test('nothing was sent outside the app', () => {
  assert.deepEqual(a.outside, []);
  assert.deepEqual(b.outside, []);
});
