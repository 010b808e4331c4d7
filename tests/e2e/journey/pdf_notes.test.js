// A PDF that cannot show every character says so on the page: the timeline of an incident
// written with an emoji downloads, and the page names the character and the code the PDF
// shows in its place, as the command line does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launch, newPage, checkPage, PASSPHRASE } from './harness.js';

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

test('a timeline with a character no font has downloads, and the page names it', async () => {
  const session = await newPage(browser, server);
  const { page } = session;
  const heading = (name) => page.getByRole('heading', { level: 1, name }).waitFor();
  await page.goto(server.url);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Type the same passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create my private space' }).click();
  await heading('Your recovery code');
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading('Your cases');
  await page.getByRole('button', { name: 'Start a case' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Your name').fill('Zoë Müller');
  await page.getByLabel("The therapist's name").fill('Dr. Ana Pérez');
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading('Your case');
  await page.getByRole('link', { name: 'What happened' }).click();
  await heading('What happened');

  await page.getByRole('button', { name: 'Add something that happened' }).click();
  await heading('What happened?');
  await page.getByLabel('In a line, what happened').fill('He sent me a sunflower 🌻 after the last session');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('When did it happen?');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Where or how did it happen? (optional)');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading(/Which of these describe it/);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Your entry');
  await page.getByRole('button', { name: 'Back to what happened' }).click();
  await heading('What happened');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the timeline (PDF)' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'timeline.pdf');
  const text = execFileSync('pdftotext', ['-layout', await download.path(), '-']).toString();
  assert.match(text, /He sent me a sunflower \[U\+1F33B\] after the last\s+session/);
  const note = page.locator('.pdf-note');
  await note.getByText('Your PDF is saved').waitFor();
  assert.match(await note.innerText(), /“🌻” is written as \[U\+1F33B\]/);
  assert.match(await note.innerText(), /You can change the words and download it again, or keep it as it is/);
  await checkPage(session, 'a PDF that could not show a character', { shot: 'pdf-unshown' });
});
