// A person's journey through the browser app, in Debian's Chromium: every page it passes
// is checked with axe-core (WCAG 2.1 A and AA) and the main ones are kept as screenshots
// for the user guide.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  startServer, launch, newPage, checkPage as checkSession, PASSPHRASE,
} from './harness.js';

let server;
let browser;
let session;
let page;
const scratch = mkdtempSync(path.join(tmpdir(), 'recourse-e2e-files-'));
let timelinePdf = '';

before(async () => {
  server = await startServer();
  browser = await launch();
  session = await newPage(browser, server);
  page = session.page;
});

after(async () => {
  rmSync(scratch, { recursive: true, force: true });
  if (browser) await browser.close();
  if (server) await server.stop();
});

// Checks the page as it is now (harness.js checkPage).
const checkPage = (name, options) => checkSession(session, name, options);

async function heading(text) {
  await page.getByRole('heading', { level: 1, name: text }).waitFor();
}

test('a new person creates the vault; mistakes are shown in an error summary', async () => {
  await page.goto(server.url);
  await heading('Welcome to Recourse');
  assert.match(await page.locator('main').innerText(), /only that code can open your information again/);
  await checkPage('welcome', { shot: 'welcome' });

  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Type the same passphrase again').fill('something else');
  await page.getByRole('button', { name: 'Create my private space' }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  // Focus moves to the summary, which is announced (role=alert) and links to the field.
  assert.equal(await page.evaluate(() => document.activeElement.className), 'error-summary');
  assert.equal(await summary.getAttribute('role'), 'alert');
  assert.match(await page.title(), /^Error: /);
  await summary.getByRole('link').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'passphrase-again');
  assert.equal(await page.locator('#passphrase-again').getAttribute('aria-invalid'), 'true');
  await checkPage('welcome with an error', { shot: 'error-summary' });

  await page.getByLabel('Type the same passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create my private space' }).click();
  // The recovery code, shown once before anything else.
  await heading('Your recovery code');
  assert.match(await page.locator('#recovery-code').innerText(), /^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
  await checkPage('recovery code', { shot: 'recovery-code' });
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading('Your cases');
  assert.doesNotMatch(await page.title(), /^Error/);
  await checkPage('no cases yet');
});

test('before the first case, a page explains the quick exit and its limits', async () => {
  await page.getByRole('button', { name: 'Start a case' }).click();
  await heading('Leaving this site quickly');
  const text = await page.locator('main').innerText();
  assert.match(text, /Quick exit/);
  assert.match(text, /Shift key three times/);
  assert.match(text, /does not clear your browser history/);
  assert.match(text, /private window/);
  await checkPage('before you start', { shot: 'before-you-start' });
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading('Start a case');
});

test('starting a case needs only two names, and leads to the task list', async () => {
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('.error-summary').waitFor();
  assert.equal(await page.locator('.error-summary li').count(), 2);
  await checkPage('start a case with errors');
  await page.getByLabel('Your name').fill('Zoë Müller');
  await page.getByLabel("The therapist's name").fill('Dr. Ana Pérez');
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading('Your case');
  const tasks = page.locator('.task-list-item');
  assert.equal(await tasks.count(), 5);
  assert.match(await tasks.nth(0).innerText(), /About the therapist[\s\S]*In progress/);
  assert.match(await tasks.nth(1).innerText(), /What happened[\s\S]*Not yet started/);
  assert.match(await tasks.nth(4).innerText(), /Complain to the board[\s\S]*Cannot start yet/);
  assert.match(await page.locator('main').innerText(), /About Dr\. Ana Pérez/);
  await checkPage('task list', { shot: 'task-list' });
});

test('about the therapist: license and place chosen by name; the board is shown', async () => {
  await page.getByRole('link', { name: 'About the therapist' }).click();
  await heading('Who they are');
  assert.equal(await page.getByLabel('Their name', { exact: true }).inputValue(), 'Dr. Ana Pérez');
  await page.getByLabel('The letters after their name (optional)').fill('LMFT');
  await checkPage('about the therapist: who');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Their license');
  await page.getByLabel('Type of license').selectOption({ label: 'Marriage and family therapist (LMFT, MFT, IMFT)' });
  await page.getByLabel('Where they are licensed').selectOption({ label: 'California' });
  // Only places with boards are offered: the federal baseline licenses no one.
  const places = await page.getByLabel('Where they are licensed').locator('option').allInnerTexts();
  assert.ok(places.includes('Ontario') && places.includes('Texas'), places.join(', '));
  assert.ok(!places.some((p) => /federal/.test(p)), places.join(', '));
  await checkPage('about the therapist: license', { shot: 'therapist' });
  // The board is shown as soon as the license finds it.
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('The board that licenses them');
  const text = await page.locator('main').innerText();
  assert.match(text, /Board of Behavioral Sciences/);
  assert.match(text, /Sacramento, CA 95834/);
  assert.match(text, /Time limit for complaints/);
  // What the board does next, and what protects the person complaining, each with its law.
  assert.match(text, /What happens after you complain\s+The board must tell you what it first did about your complaint within 10 days[\s\S]*Source: Cal\. Bus\. & Prof\. Code § 129/);
  assert.match(text, /Protection for you as the person complaining\s+No licensee[\s\S]*§ 143\.5/);
  await checkPage('the board', { shot: 'board' });
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading('Where they worked');
  await page.getByLabel('Practice or clinic (optional)').fill('Harbor Counseling');
  await checkPage('about the therapist: practice');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Your case');
  assert.match(await page.locator('.task-list-item').nth(0).innerText(), /Completed/);
  assert.match(await page.locator('.task-list-item').nth(4).innerText(), /Not yet started/);
});

// Notes one incident through its steps; `when` fills the date page, `where` (a label) is
// chosen on the page that asks where or how, from the form.
async function noteIncident(summary, words, when, harms = [], where = '') {
  await page.getByRole('button', { name: 'Add something that happened' }).click();
  await heading('What happened?');
  await page.getByLabel('In a line, what happened').fill(summary);
  if (words) await page.getByLabel('In your own words (optional)').fill(words);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('When did it happen?');
  await when();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Where or how did it happen? (optional)');
  if (where) {
    await page.getByLabel(where).check();
    await checkPage('where or how', { shot: 'incident-where' });
  }
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading(/Which of these describe it/);
  for (const h of harms) await page.getByLabel(h).check();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Your entry');
  await page.getByRole('button', { name: 'Back to what happened' }).click();
  await heading('What happened');
}

test('what happened: three incidents, one approximate, kept in order with own words verbatim', async () => {
  await page.getByRole('link', { name: 'What happened' }).click();
  await heading('What happened');
  await checkPage('what happened, empty');

  const ownWords = 'She said  "we are done"\n— and blocked my number.';
  await noteIncident('Ended therapy by text', ownWords, async () => {
    await page.getByLabel('On a day I know').check();
    await page.getByLabel('Date', { exact: true }).fill('2024-04-02');
  }, ['Crossing personal lines in the therapy relationship'], 'Text messages');

  await noteIncident('Told my partner what I said in session', '', async () => {
    await page.getByLabel('Around a time I remember').check();
    await page.getByLabel('When, in your words').fill('spring 2023');
    await checkPage('when, approximate', { shot: 'incident-when' });
  });

  await noteIncident('Sessions ran over and I was billed for the time', '', async () => {
    await page.getByLabel('Over a period of time').check();
    await page.getByLabel('From').fill('2022-09-01');
    await page.getByLabel('To').fill('2022-12-15');
    await page.getByLabel('It happened more than once in this period').check();
  });

  const items = page.locator('.timeline-item');
  assert.equal(await items.count(), 3);
  assert.match(await items.nth(0).innerText(), /Sessions ran over/);
  assert.match(await items.nth(0).innerText(), /more than once, September 1, 2022 to December 15, 2022/);
  assert.match(await items.nth(1).innerText(), /spring 2023[\s\S]*Approximate date/);
  assert.match(await items.nth(2).innerText(), /April 2, 2024/);
  await checkPage('timeline', { shot: 'timeline' });

  // Their own words come back exactly as written.
  await items.nth(2).getByRole('link').click();
  await heading('Your entry');
  const narrative = await page.locator('.summary-list-row', { hasText: 'In your own words' }).locator('.summary-list-value').innerText();
  assert.equal(narrative, ownWords);
  const where = await page.locator('.summary-list-row', { hasText: 'Where or how' }).locator('.summary-list-value').innerText();
  assert.equal(where, 'Text messages');
  await checkPage('one entry', { shot: 'incident' });
});

test('an incident is corrected with Change, and removed after a confirmation', async () => {
  await page.locator('.summary-list-row', { hasText: 'When' }).getByRole('link', { name: /Change/ }).click();
  await heading('When did it happen?');
  assert.equal(await page.getByLabel('Date', { exact: true }).inputValue(), '2024-04-02');
  // A day still to come is refused on the box that was filled (a period's start here).
  await page.getByLabel('Over a period of time').check();
  await page.getByLabel('From').fill('2999-01-01');
  await page.getByLabel('To').fill('2999-01-02');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /has not come yet/);
  await page.locator('.error-summary a').first().click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'range-start');
  await checkPage('when, a day still to come');
  await page.getByLabel('On a day I know').check();
  await page.getByLabel('Date', { exact: true }).fill('2024-04-03');
  // From an entry's Change link, saving goes back to the entry.
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Your entry');
  assert.match(await page.locator("main").innerText(), /April 3, 2024/);
  await page.locator('.summary-list-row', { hasText: 'Where or how' }).getByRole('link', { name: /Change/ }).click();
  await heading('Where or how did it happen? (optional)');
  assert.ok(await page.getByLabel('Text messages').isChecked());
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Your entry');
  assert.match(await page.locator('.summary-list-row', { hasText: 'Kinds of harm' }).innerText(), /Crossing personal lines/);

  await page.getByRole('link', { name: 'Remove this entry' }).click();
  await heading('Are you sure you want to remove this entry?');
  await checkPage('remove an entry');
  await page.getByRole('link', { name: 'No, keep it' }).click();
  await heading('Your entry');
  await page.getByRole('link', { name: 'Remove this entry' }).click();
  await page.getByRole('button', { name: 'Yes, remove it' }).click();
  await heading('What happened');
  assert.equal(await page.locator('.timeline-item').count(), 2);
});

test('the person says when they have finished what happened; the task list shows it', async () => {
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /Select whether you have finished this section/);
  await checkPage('finished? with an error');
  await page.getByLabel('Yes, I have finished this section').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading('Your case');
  assert.match(await page.locator('.task-list-item').nth(1).innerText(), /What happened[\s\S]*Completed/);
  // It can be changed back at any time.
  await page.getByRole('link', { name: 'What happened' }).click();
  await heading('What happened');
  assert.equal(await page.getByLabel('Yes, I have finished this section').isChecked(), true);
  await page.getByLabel('No, I will come back to it later').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading('Your case');
  assert.match(await page.locator('.task-list-item').nth(1).innerText(), /What happened[\s\S]*In progress/);
  await page.getByRole('link', { name: 'What happened' }).click();
  await heading('What happened');
});

test('the timeline downloads as a PDF', async () => {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the timeline (PDF)' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'timeline.pdf');
  const file = await download.path();
  timelinePdf = path.join(scratch, 'timeline.pdf');
  copyFileSync(file, timelinePdf);
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
  assert.match(text, /Sessions ran over and I was billed for the time/);
  assert.match(text, /Told my partner what I said in session/);
  assert.doesNotMatch(text, /Ended therapy by text/);
});

test('evidence: two files kept with their fingerprints, a fake PDF refused by name', async () => {
  await page.getByRole('link', { name: 'Back to your case' }).click();
  await heading('Your case');
  await page.getByRole('link', { name: 'Evidence' }).click();
  await heading('Evidence');
  await checkPage('evidence, empty');

  const png = path.join(scratch, 'texts-screenshot.png');
  await page.screenshot({ path: png });
  const fake = path.join(scratch, 'fake-letter.pdf');
  writeFileSync(fake, 'This is a note, not a PDF.');

  await page.getByRole('button', { name: 'Add a file' }).click();
  await heading('Choose a file');
  await page.getByRole('button', { name: 'Add the file' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /Choose a file to add/);
  await page.getByLabel('Choose a file').setInputFiles(fake);
  await page.getByRole('button', { name: 'Add the file' }).click();
  await page.locator('.error-summary', { hasText: 'fake-letter.pdf' }).waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /fake-letter\.pdf: its name says PDF, but the file is not one/);
  assert.match(await page.title(), /^Error: /);
  await checkPage('a refused upload', { shot: 'evidence-refused' });

  await page.getByLabel('Choose a file').setInputFiles(timelinePdf);
  await page.getByLabel('What it is (optional)').fill('The timeline as I wrote it');
  await page.getByRole('button', { name: 'Add the file' }).click();
  await heading('Evidence');
  await page.getByRole('button', { name: 'Add a file' }).click();
  await page.getByLabel('Choose a file').setInputFiles(png);
  await page.getByLabel('What it is (optional)').fill('Screenshot of her texts');
  await page.getByLabel('When it is from (optional)').fill('2024-04-02');
  await page.getByLabel('Which of the things that happened it is about (optional)').selectOption({ index: 1 });
  await checkPage('add a file', { shot: 'evidence-add' });
  await page.getByRole('button', { name: 'Add the file' }).click();
  await heading('Evidence');

  const items = page.locator('.evidence-item');
  assert.equal(await items.count(), 2);
  const sha = (file) => execFileSync('sha256sum', [file]).toString().split(' ')[0];
  assert.match(await items.nth(0).innerText(), new RegExp(sha(timelinePdf)));
  assert.match(await items.nth(0).innerText(), /PDF document/);
  assert.match(await items.nth(1).innerText(), new RegExp(sha(png)));
  assert.match(await items.nth(1).innerText(), /PNG image[\s\S]*April 2, 2024/);

  // What is said about a file is corrected; its fingerprint stays.
  await items.nth(0).getByRole('link', { name: /^Change/ }).click();
  await heading('Correct what is said about this file');
  assert.equal(await page.getByLabel('What it is (optional)').inputValue(), 'The timeline as I wrote it');
  await page.getByLabel('When it is from (optional)').fill('2099-01-01');
  await page.getByRole('button', { name: 'Save the changes' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /has not come yet/);
  await checkPage('correct a file, with an error');
  await page.getByLabel('When it is from (optional)').fill('2024-05-01');
  await page.getByLabel('What it is (optional)').fill('My timeline, written in May');
  await page.getByRole('button', { name: 'Save the changes' }).click();
  await heading('Evidence');
  assert.match(await items.nth(0).innerText(), /My timeline, written in May[\s\S]*May 1, 2024/);
  assert.match(await items.nth(0).innerText(), new RegExp(sha(timelinePdf)));

  await page.getByRole('button', { name: 'Check the files' }).click();
  await page.locator('#check-result').waitFor();
  assert.match(await page.locator('#check-result').innerText(), /All 2 files are unchanged/);
  await checkPage('evidence, checked', { shot: 'evidence' });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    items.nth(1).getByRole('link', { name: /Download the original/ }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'texts-screenshot.png');
  assert.deepEqual(readFileSync(await download.path()), readFileSync(png));

  await page.getByRole('link', { name: 'Back to your case' }).click();
  await heading('Your case');
  assert.match(await page.locator('.task-list-item').nth(2).innerText(), /Evidence[\s\S]*2 kept so far[\s\S]*In progress/);
  await page.getByRole('link', { name: 'What happened' }).click();
  await heading('What happened');
});

test('the Back and Forward buttons walk through the pages', async () => {
  await page.locator('.timeline-item').nth(0).getByRole('link').click();
  await heading('Your entry');
  await page.goBack();
  await heading('What happened');
  await page.goForward();
  await heading('Your entry');
  await page.goBack();
  await heading('What happened');
  // A page reloaded is drawn again, where it was.
  await page.reload();
  await heading('What happened');
});

test('typing survives a lock: unlocking comes back to the same page with the answers', async () => {
  await page.getByRole('button', { name: 'Add something that happened' }).click();
  await heading('What happened?');
  await page.getByLabel('In a line, what happened').fill('Shared my diagnosis with my employer');
  // The vault locks (another tab, or the idle timer) while this page is open.
  await page.evaluate(async () => {
    await fetch('/api/v1/session', { method: 'DELETE', credentials: 'same-origin' });
  });
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Welcome back');
  assert.ok(new URL(page.url()).pathname.endsWith('/incidents/new'));
  await checkPage('unlock', { shot: 'unlock' });
  await page.getByLabel('Passphrase').fill('not my passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.locator('.error-summary').waitFor();
  await checkPage('unlock with a wrong passphrase');
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await heading('What happened?');
  assert.equal(await page.getByLabel('In a line, what happened').inputValue(), 'Shared my diagnosis with my employer');
  assert.match(await page.locator('.notification').innerText(), /still here/);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('When did it happen?');
});

test('about you: the details letters need, editable at any time', async () => {
  await page.goto(new URL('/', server.url).href);
  await heading('Your cases');
  await page.getByRole('link', { name: 'Your details, used in letters' }).click();
  await heading('Your details');
  assert.match(await page.locator('main').innerText(), /need your postal address or your email/);
  await page.getByLabel('Postal address (optional)').fill('12 Elm Street\nOakland, CA 94601');
  await page.getByLabel('Date of birth (optional)').fill('1990-05-17');
  await checkPage('about you', { shot: 'about-you' });
  await page.getByRole('button', { name: 'Save' }).click();
  await heading('Your case');
  await page.getByRole('link', { name: 'Your details, used in letters' }).click();
  assert.equal(await page.getByLabel('Postal address (optional)').inputValue(), '12 Elm Street\nOakland, CA 94601');
  assert.doesNotMatch(await page.locator('main').innerText(), /need your postal address or your email/);
  await page.getByRole('button', { name: 'Save' }).click();
  await heading('Your case');
});

test('get your records: the interview from the form, checked, the letter, sent, its due date explained', async () => {
  await page.getByRole('link', { name: 'Get your records' }).click();
  await heading('Get your records');
  await checkPage('records, none yet');
  // What else the law says, folded away: the electronic copy and the ban on retaliation.
  await page.getByText('What else the law says').click();
  const also = await page.locator('.details-text').innerText();
  assert.match(also, /They may not retaliate against you \(United States/);
  assert.match(also, /Source: 45 CFR 160\.316/);
  assert.match(also, /An electronic copy \(California\)[\s\S]*Read only in the official summary of the 2017 bill/);
  // Having a copy sent elsewhere: California's narrow rules, then the federal direction, and
  // what each law asks of the person's written consent.
  assert.match(also, /Having a copy sent to someone else \(California\)[\s\S]*Having a copy sent to someone else \(United States[\s\S]*Source: 45 CFR 164\.524\(c\)\(3\)\(ii\)/);
  assert.match(also, /What your written consent must say \(California\)[\s\S]*14 points/);
  await page.getByRole('button', { name: 'Start a request' }).click();
  await heading('What do you want to ask for?');
  await page.getByLabel('A copy of your records', { exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading('About you');
  assert.equal(await page.getByLabel('Your name').inputValue(), 'Zoë Müller');
  await checkPage('records request, first page', { shot: 'records-step' });
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('How they can reply to you');
  assert.match(await page.title(), /^How they can reply to you – Your records request – Recourse$/);
  assert.match(await page.getByLabel(/Your postal address/).inputValue(), /12 Elm Street/);
  // Needed only with some answers: said in its hint, never "(optional)".
  assert.match(await page.locator('main').innerText(), /Needed if the records are to be posted to you, or you give no email/);
  assert.equal(await page.getByText('Your postal address (optional)').count(), 0);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Who has the records');
  assert.equal(await page.getByLabel('Name of the therapist, practice or clinic').inputValue(), 'Harbor Counseling');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('What you are asking for');
  // The defaults are shown, chosen, for review.
  assert.ok(await page.getByLabel('Everything they have about me').isChecked());
  // A choice with a follow-up question reveals it; leaving it empty is an error on it.
  await page.getByLabel('Records from certain dates').check();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.locator('.error-summary').waitFor();
  // The server's refusal is said in the page's words, naming the question.
  assert.match(await page.locator('.error-summary').innerText(), /“From and to”: this answer is needed/);
  await checkPage('records request, a missing range');
  await page.getByLabel('Everything they have about me').check();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('How you want them');
  assert.ok(await page.getByLabel('Electronic copy (for example PDF by email)').isChecked());
  assert.ok(await page.getByLabel('Me', { exact: true }).isChecked());
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Check your answers');
  const text = await page.locator('main').innerText();
  assert.match(text, /Everything they have about me/);
  assert.match(text, /Other names your records may be under[\s\S]*Not provided/);
  await checkPage('check your answers', { shot: 'records-check' });

  // Change goes to the page and comes back here.
  await page.locator('.summary-list-row', { hasText: 'Format' }).getByRole('link', { name: /Change/ }).click();
  await heading('How you want them');
  await page.getByLabel('Paper copy by post').check();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Check your answers');
  assert.match(await page.locator('.summary-list-row', { hasText: 'Format' }).innerText(), /Paper copy by post/);

  // Sent to someone else by post, with no address for them: the check page names that one
  // part, says why, and makes no letter until it is given (or the choice changes).
  await page.locator('.summary-list-row', { hasText: 'Send them to' }).getByRole('link', { name: /Change/ }).click();
  await heading('How you want them');
  await page.getByLabel('Someone I choose (for example a new therapist, a lawyer or an advocate)').check();
  await page.getByLabel('Name', { exact: true }).fill('Legal Aid of the Bay');
  assert.match(await page.locator('main').innerText(), /Needed to post the records to them/);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Check your answers');
  const missingParts = page.locator('.missing-list');
  assert.match(await missingParts.innerText(), /Who should receive them: Address[\s\S]*Needed to post the records to them/);
  assert.equal(await page.getByRole('link', { name: 'Download the letter (PDF)' }).count(), 0);
  await checkPage('records check, a part still needed');
  await missingParts.getByRole('link').first().click();
  await heading('How you want them');
  // With the address, the letter is the direction, and its last page the person's signed
  // authorization as California's law asks for one (Civ. Code 56.11) and HIPAA's.
  await page.locator('#third_party-address').fill('12 Harbor Way, Oakland, CA 94607');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Check your answers');
  // The page says the last page is to be signed, and what California's law and HIPAA ask
  // of it; California asks for no witness, so no warning about one.
  const toSign = await page.locator('main').innerText();
  assert.match(toSign, /The letter ends with your authorization for them to send your records/);
  assert.doesNotMatch(toSign, /in front of someone who can confirm who you are/);
  await page.getByText('What the law asks your authorization to say').click();
  assert.match(await page.locator('.details-text').innerText(), /California[\s\S]*14 points[\s\S]*Source: Cal\. Civ\. Code § 56\.11[\s\S]*Source: 45 CFR 164\.508\(c\)/);
  // The statements each consent must make come with it (the page's witness warning reads them).
  const consentNotes = await page.evaluate(async () => {
    const caseId = document.querySelector('a.back-link').getAttribute('href').split('/')[2];
    const got = await (await fetch(`/api/v1/cases/${caseId}/requests`)).json();
    return got.rights.notes.filter((n) => n.topic === 'third_party_consent').map((n) => `${n.jurisdiction}: ${n.elements.join(' ')}`);
  });
  assert.deepEqual(consentNotes, ['us-ca: purpose expiry copy', 'us: purpose expiry revoke no_condition redisclosure']);
  await checkPage('records check, a copy for someone else', { shot: 'records-third-party' });
  const [forSomeoneElse] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the letter (PDF)' }).click(),
  ]);
  const directed = execFileSync('pdftotext', [await forSomeoneElse.path(), '-']).toString().replace(/\s+/g, ' ');
  assert.match(directed, /I direct you to send a paper copy of my records by post to Legal Aid of the Bay, 12 Harbor Way/);
  assert.match(directed, /With this letter is my signed authorization for you to disclose my records to Legal Aid of the Bay\./);
  assert.match(directed, /Authorization to disclose my records[\s\S]*I have the right to a copy of this authorization\.[\s\S]*It is written to meet Cal\. Civ\. Code § 56\.11 and 45 CFR 164\.508\(c\)\./);
  await page.locator('.summary-list-row', { hasText: 'Send them to' }).getByRole('link', { name: /Change/ }).click();
  await heading('How you want them');
  await page.getByLabel('Me', { exact: true }).check();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Check your answers');
  assert.equal(await page.locator('.missing-list').count(), 0);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the letter (PDF)' }).click(),
  ]);
  const letter = execFileSync('pdftotext', ['-layout', await download.path(), '-']).toString();
  assert.match(letter, /Request for a copy of my records/);
  assert.match(letter, /Harbor Counseling/);
  assert.match(letter, /Zoë Müller/);
  assert.match(letter, /paper copy by post/);

  await page.getByRole('button', { name: 'I have sent it' }).click();
  await heading('When did you send the letter?');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.error-summary').waitFor();
  assert.equal(await page.locator('.error-summary li').count(), 2);
  const sentOn = new Date(Date.now() - 3 * 86400000).toISOString().slice(0, 10);
  await page.getByLabel('The day you sent it').fill(sentOn);
  await page.getByLabel('By email').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await heading('Your records request');
  const shown = await page.locator('main').innerText();
  assert.match(shown, /Waiting for their answer/);
  assert.match(shown, /They must answer by/);
  // The law behind this date could not be checked: said beside the date, not only inside.
  assert.match(await page.locator('.warning-text').first().innerText(), /This date is not confirmed\. The 15-day limit/);
  await page.getByText('How this date was worked out').click();
  const how = await page.locator('.details-text').innerText();
  assert.match(how, /Source: /);
  // Said in the page's words, from the facts of the count (not the command line's layout).
  assert.match(how, /The law gives them 15 (calendar|working) days after /);
  assert.match(how, /\b15 days counted, from /);
  assert.match(how, /Day 0 is [A-Z][a-z]+ \d{1,2}, \d{4}, the day you gave for sending it/);
  assert.match(how, /So the answer is due on [A-Z][a-z]+ \d{1,2}, \d{4}\./);
  assert.doesNotMatch(how, /Rule: |\d{4}-\d{2}-\d{2}/);
  await checkPage('the request', { shot: 'records-request' });

  // A correction: their reference, and the letter went a day earlier than first said.
  const sentRow = page.locator('.summary-list-row', { hasText: 'The day you sent it' });
  const sentBefore = await sentRow.innerText();
  await page.getByRole('link', { name: /Change\s+Their reference/ }).click();
  await heading('Correct where the letter went');
  await checkPage('correct the request');
  await page.getByLabel('Who holds the records').fill('');
  await page.getByRole('button', { name: 'Save the changes' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /Enter who holds the records/);
  await checkPage('correct the request with an error');
  await page.getByLabel('Who holds the records').fill('Harbor Counseling');
  await page.getByLabel('Their reference (optional)').fill('A-17');
  await page.getByLabel('The day you sent it').fill(new Date(Date.now() - 4 * 86400000).toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Save the changes' }).click();
  await heading('Your records request');
  assert.match(await page.locator('.summary-list').innerText(), /A-17/);
  assert.notEqual(await sentRow.innerText(), sentBefore);

  await page.getByLabel('What happened').selectOption({ label: 'They confirmed they received it' });
  await page.getByLabel('When').fill(new Date().toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.timeline-item', { hasText: 'They confirmed they received it' }).waitFor();
  assert.equal(await page.locator('.timeline-item').count(), 2);
  await checkPage('the request with an event');

  // Something recorded by mistake is corrected, then removed; the status follows.
  const daysAgo = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
  await page.getByLabel('What happened').selectOption({ label: 'They refused' });
  await page.getByLabel('When').fill(daysAgo(0));
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.timeline-item', { hasText: 'They refused' }).waitFor();
  assert.match(await page.locator('.body-l').innerText(), /Refused/);
  await page.locator('.timeline-item', { hasText: 'They refused' }).getByRole('link', { name: /^Change They refused/ }).click();
  await heading('Correct what you recorded');
  await checkPage('correct an event');
  await page.getByLabel('When did it happen?').fill(daysAgo(10));
  await page.getByRole('button', { name: 'Save the changes' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /is before they received the request/);
  await checkPage('correct an event with an error', { shot: 'records-event-change' });
  await page.getByLabel('When did it happen?').fill(daysAgo(1));
  await page.getByLabel('Notes (optional)').fill('They said it on the phone.');
  await page.getByRole('button', { name: 'Save the changes' }).click();
  await heading('Your records request');
  assert.match(await page.locator('.timeline-item', { hasText: 'They refused' }).innerText(), /They said it on the phone\./);
  await page.locator('.timeline-item', { hasText: 'They refused' }).getByRole('link', { name: /^Remove They refused/ }).click();
  await heading('Are you sure you want to remove this?');
  await checkPage('remove an event');
  await page.getByRole('button', { name: 'Yes, remove it' }).click();
  await heading('Your records request');
  await page.waitForFunction(() => document.querySelectorAll('.timeline-item').length === 2);
  assert.doesNotMatch(await page.locator('.timeline').innerText(), /They refused/);
  assert.match(await page.locator('.body-l').innerText(), /Waiting for their answer/);
  // The day it was sent cannot go while their acknowledgement counts from it: said, not done.
  await page.locator('.timeline-item', { hasText: 'You sent the request' }).getByRole('link', { name: /^Remove/ }).click();
  await page.getByRole('button', { name: 'Yes, remove it' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /counts from the day they received the request. Remove that first/);
  await checkPage('remove the sent day, refused');
  await page.getByRole('link', { name: 'No, keep it' }).click();
  await heading('Your records request');
  assert.equal(await page.locator('.timeline-item').count(), 2);
  await page.getByRole('link', { name: 'Back to your records requests' }).click();
  await heading('Get your records');
  assert.match(await page.locator('main').innerText(), /To Harbor Counseling[\s\S]*Waiting for their answer/);
});

test('a correction, in the person\'s own words: chosen, written, sent, refused, answered with a disagreement', async () => {
  await page.getByRole('button', { name: 'Start another request' }).click();
  await heading('What do you want to ask for?');
  const choices = await page.locator('main').innerText();
  // Each right offered with the law that gives it where the therapist is licensed.
  assert.match(choices, /A correction to your records[\s\S]*The law: [^\n]*164\.526[^\n]*\(United States/);
  assert.match(choices, /A list of who your records were shared with[\s\S]*The law: [^\n]*164\.528/);
  // A health plan's records of what was billed, under the same access right.
  assert.match(choices, /Your health plan’s records of what was billed[\s\S]*The law: [^\n]*160\.103/);
  // A copy can also go straight to a new therapist, as the person's written direction.
  assert.match(choices, /A copy of your records sent to your new therapist, or to someone else you choose/);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /Select what you want to ask for/);
  await checkPage('choose what to ask for, with an error');
  await page.getByLabel('A correction to your records').check();
  await checkPage('choose what to ask for', { shot: 'records-choose' });
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading('About you');
  assert.match(await page.locator('.caption-l').innerText(), /^Your correction request, page 1 of 4$/);
  assert.match(await page.title(), /^About you – Your correction request – Recourse$/);
  for (const next of ['How they can reply to you', 'Who has the records']) {
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await heading(next);
  }
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('What is wrong, and what it should say');
  // Nothing is assumed: what is wrong is the person's to say, and needed.
  assert.equal(await page.getByLabel('What the record says that is wrong or missing').inputValue(), '');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /What the record says that is wrong or missing/);
  await page.getByLabel('What the record says that is wrong or missing').fill('The note of 3 March says I missed three sessions. I attended all of them.');
  await page.getByLabel('What it should say instead, or what should be added').fill('That I attended every session in March.');
  await checkPage('correction, what is wrong', { shot: 'records-correction' });
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Check your answers');
  assert.match(await page.locator('main').innerText(), /I attended all of them\./);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the letter (PDF)' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'records-amendment.pdf');
  const letter = execFileSync('pdftotext', ['-layout', await download.path(), '-']).toString().replace(/\s+/g, ' ');
  assert.match(letter, /164\.526/);
  assert.match(letter, /The note of 3 March says I missed three sessions\. I attended all of them\./);
  assert.match(letter, /That I attended every session in March\./);

  await page.getByRole('button', { name: 'I have sent it' }).click();
  await heading('When did you send the letter?');
  const daysAgo = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
  await page.getByLabel('The day you sent it').fill(daysAgo(5));
  await page.getByLabel('By post').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await heading('Your request to correct your records');
  // Timed by the correction rule, not the copy's: 60 days under HIPAA.
  await page.getByText('How this date was worked out').click();
  assert.match(await page.locator('.details-text').innerText(), /The law gives them 60 calendar days/);
  const kinds = await page.getByLabel('What happened').locator('option').allInnerTexts();
  assert.ok(kinds.includes('They made the correction') && kinds.includes('They refused to make the correction'), kinds.join(', '));
  assert.ok(!kinds.includes('Some of the records came'), kinds.join(', '));
  await page.getByLabel('What happened').selectOption({ label: 'They refused to make the correction' });
  await page.getByLabel('When').fill(daysAgo(1));
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.timeline-item', { hasText: 'They refused to make the correction' }).waitFor();
  const next = page.locator('.case-list-item', { hasText: 'Send a statement of disagreement' });
  await next.waitFor();
  await checkPage('a refused correction', { shot: 'records-correction-refused' });
  // The statement has questions of its own: what was asked is filled in from the
  // correction, in the person's words; why they disagree is theirs to write.
  // It starts at its first question, not with a warning.
  await next.getByRole('link', { name: 'Write this letter' }).click();
  await heading('Your statement');
  assert.match(await page.locator('.caption-l').innerText(), /^Send a statement of disagreement, page 1 of 1$/);
  assert.equal(await page.getByLabel('What you asked them to correct').inputValue(),
    'The note of 3 March says I missed three sessions. I attended all of them.');
  await page.getByLabel('Why you disagree').fill('My calendar and my bank statements show each session I attended.');
  await checkPage('statement of disagreement, written', { shot: 'records-disagreement' });
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Send a statement of disagreement');
  const [statement] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the letter (PDF)' }).click(),
  ]);
  assert.equal(statement.suggestedFilename(), 'records-disagreement.pdf');
  const disagreement = execFileSync('pdftotext', ['-layout', await statement.path(), '-']).toString().replace(/\s+/g, ' ');
  assert.match(disagreement, /My calendar and my bank statements show each session I attended\./);
  assert.match(disagreement, /I attended all of them\./);
  await page.getByRole('link', { name: 'Back to the request' }).click();
  await heading('Your request to correct your records');
  await page.getByLabel('What happened').selectOption({ label: 'You sent a statement of disagreement' });
  await page.getByLabel('When').fill(daysAgo(0));
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.timeline-item', { hasText: 'You sent a statement of disagreement' }).waitFor();
  assert.equal(await page.locator('.case-list-item', { hasText: 'Send a statement of disagreement' }).count(), 0);
  await page.getByRole('link', { name: 'Back to your records requests' }).click();
  await heading('Get your records');
  const listed = await page.locator('.case-list-item', { hasText: 'Your request to correct your records' }).innerText();
  assert.match(listed, /Refused/);
  // Refused is an answer: no date is still awaited.
  assert.doesNotMatch(listed, /must answer by/);
});

test('complain to the board: prefilled answers checked and changed, then the packet', async () => {
  await page.goto(new URL('/', server.url).href);
  await heading('Your cases');
  await page.getByRole('link', { name: /About Dr\. Ana Pérez/ }).click();
  await page.getByRole('link', { name: 'Complain to the board' }).click();
  await heading('Complain to the board');
  assert.match(await page.locator('main').innerText(), /Board of Behavioral Sciences/);
  await checkPage('complaint, start', { shot: 'complaint-start' });
  // Opened before the answers are given (from a bookmark, say), the check page names each
  // missing answer with the way to it.
  const complaintPath = new URL(page.url()).pathname;
  await page.evaluate((p) => {
    window.history.pushState(null, '', p);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, `${complaintPath}/check`);
  await heading('Check your answers');
  const missing = page.locator('.missing-list');
  await missing.waitFor();
  assert.match(await missing.innerText(), /In your own words, what is your complaint about\?: not given yet/);
  // One missing answer is said as one ("1 answer ... is"), not "1 answer(s)".
  assert.match(await page.locator('main').innerText(), /\b1 answer the complaint needs is still empty/);
  await checkPage('complaint, check with answers missing');
  await missing.getByRole('link', { name: /In your own words/ }).click();
  await heading('In your own words, what is your complaint about?');
  await page.goBack();
  await heading('Check your answers');
  await page.goBack();
  await heading('Complain to the board');
  await page.getByRole('button', { name: 'Start' }).click();
  await heading('About you');
  assert.equal(await page.getByLabel('Your name').inputValue(), 'Zoë Müller');
  assert.ok(await page.getByLabel('The client', { exact: true }).isChecked());
  // The client's name is asked of someone complaining for them, as soon as they say so.
  assert.equal(await page.getByLabel("The client's name").isVisible(), false);
  await page.getByLabel("The client's parent or guardian").check();
  assert.equal(await page.getByLabel("The client's name").isVisible(), true);
  // Coming back to the page puts the choice back from its draft, and what the choice shows.
  await page.waitForTimeout(1000);  // the draft is kept half a second after the last change
  await page.reload();
  await heading('About you');
  await page.waitForFunction(() => document.querySelector('input[value="parent_guardian"]')?.checked);
  assert.equal(await page.getByLabel("The client's name").isVisible(), true);
  await page.getByLabel('The client', { exact: true }).check();
  assert.equal(await page.getByLabel("The client's name").isVisible(), false);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('How the board can reach you');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('The therapist');
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Dr. Ana Pérez');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  // One question to a page: the question is the page's heading.
  await heading('When did you see them? (optional)');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('In your own words, what is your complaint about?');
  const summary = page.getByLabel('In your own words, what is your complaint about?');
  await summary.fill('She ended therapy by text with no referral, and told my partner what I said in session.');
  await checkPage('complaint, the complaint page', { shot: 'complaint-step' });
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('What would you like to happen? (optional)');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('May the board obtain your therapy records to look into this? (optional)');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Have you reported this anywhere else? (optional)');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Check your answers');
  const text = await page.locator('main').innerText();
  assert.match(text, /Zoë Müller/);
  assert.match(text, /Dr\. Ana Pérez/);
  assert.match(text, /Not provided/);
  await checkPage('complaint, check your answers', { shot: 'complaint-check' });
  // Change returns to the check page.
  await page.locator('.summary-list-row').filter({ hasText: 'ended therapy by text' }).getByRole('link', { name: /Change/ }).click();
  await heading('In your own words, what is your complaint about?');
  await page.getByLabel('In your own words, what is your complaint about?').fill('She ended therapy by text with no referral.');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Check your answers');
  // A choice once made can be taken back: "I do not know" leaves it unanswered.
  await page.locator('.summary-list-row', { hasText: 'May the board obtain' }).getByRole('link', { name: /Change/ }).click();
  const release = page.getByRole('group', { name: /May the board obtain your therapy records/ });
  await release.getByLabel('Yes').check();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Check your answers');
  const releaseRow = page.locator('.summary-list-row', { hasText: 'May the board obtain' });
  assert.match(await releaseRow.innerText(), /yes/i);
  await releaseRow.getByRole('link', { name: /Change/ }).click();
  await heading('May the board obtain your therapy records to look into this? (optional)');
  await release.getByLabel('I do not know, or I will decide later').check();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('Check your answers');
  assert.match(await releaseRow.innerText(), /Not provided/);
  assert.match(await page.locator('main').innerText(), /She ended therapy by text with no referral\./);
  await page.getByRole('button', { name: 'Confirm and make the packet' }).click();
  await heading('Your complaint packet');
  await checkPage('complaint, the packet', { shot: 'complaint-packet' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the complaint packet (PDF)' }).click(),
  ]);
  const file = await download.path();
  execFileSync('qpdf', ['--check', file]);
  const packet = execFileSync('pdftotext', ['-layout', file, '-']).toString();
  assert.match(packet, /Board of Behavioral Sciences/);
  assert.match(packet, /She ended therapy by text with no referral\./);
  assert.match(packet, /Exhibit 1/);
  assert.match(packet, /Exhibit 2/);

  // Sent: the person notes the day, and the task is completed.
  await page.getByRole('button', { name: 'Save the day I sent it' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /Enter the day you sent it/);
  await checkPage('complaint, sent day missing');
  await page.getByLabel('The day you sent it').fill(new Date().toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Save the day I sent it' }).click();
  await heading('Your case');
  assert.match(await page.locator('.task-list-item').nth(4).innerText(), /Complain to the board[\s\S]*Completed/);
});

test('after the complaint: where it stands, what the board owes, each step noted and removable', async () => {
  const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
  await page.locator('.task-list-item').nth(4).getByRole('link').click();
  await heading('After you complained');
  let text = await page.locator('main').innerText();
  assert.match(text, /Sent to\s+Board of Behavioral Sciences/);
  assert.match(text, /Where it stands\s+Sent; no word from the board yet/);
  assert.match(text, /Expected by .*: The board must tell you what it first did about your complaint within 10 days of receiving it\. \(Cal\. Bus\. & Prof\. Code § 129\(b\)\)/);
  assert.match(text, /Nothing noted yet/);
  await checkPage('after the complaint', { shot: 'complaint-after' });

  // The board's reference, added later.
  await page.locator('.summary-list-row', { hasText: 'Board’s reference' }).getByRole('link', { name: /Change/ }).click();
  await heading('When and how you sent your complaint');
  await page.getByRole('group', { name: /How you sent it/ }).getByLabel('online').check();
  await page.getByLabel(/The board’s reference for your complaint/).fill('BBS-2026-0042');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await heading('After you complained');
  assert.match(await page.locator('main').innerText(), /Board’s reference\s+BBS-2026-0042/);

  // A step: nothing chosen is said by name; a request for information with its reply date.
  await page.getByRole('button', { name: 'Note something that happened' }).click();
  await heading('What happened?');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.error-summary').waitFor();
  const errors = await page.locator('.error-summary').innerText();
  assert.match(errors, /Choose what happened/);
  assert.match(errors, /Enter the day it happened/);
  await checkPage('note a step, nothing chosen');
  // A fresh page for the picture: the errors go with a new visit.
  await page.goBack();
  await heading('After you complained');
  await page.getByRole('button', { name: 'Note something that happened' }).click();
  await heading('What happened?');
  await page.getByLabel('The board asked for more information').check();
  await page.getByLabel(/The day they asked you to reply by/).fill(day(21));
  await page.getByLabel('When did it happen?').fill(day(0));
  await page.getByLabel(/Notes/).fill('They want the text messages.');
  await checkPage('note a step', { shot: 'complaint-step-add' });
  await page.getByRole('button', { name: 'Save' }).click();
  await heading('After you complained');
  text = await page.locator('main').innerText();
  assert.match(text, /Where it stands\s+The board asked you for more information/);
  assert.match(text, /The board asked for more information on .*: reply by /);
  assert.match(text, /They want the text messages\./);
  // A reply date before the request is refused by name, and nothing is stored.
  await page.getByRole('button', { name: 'Note something that happened' }).click();
  await page.getByLabel('The board asked for more information').check();
  await page.getByLabel('When did it happen?').fill(day(0));
  await page.getByLabel(/The day they asked you to reply by/).fill(day(-3));
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /reply/i);
  await page.goBack();
  await heading('After you complained');
  assert.equal(await page.locator('.summary-list-row', { hasText: 'The board asked for more information' }).count(), 1);

  // The letter asking where things stand, with the person's own words as they wrote them.
  await page.getByLabel(/Anything you want to add to the letter/).fill('Since I wrote, she has contacted me twice.');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Make the letter asking where things stand (PDF)' }).click(),
  ]);
  const file = await download.path();
  execFileSync('qpdf', ['--check', file]);
  const letter = execFileSync('pdftotext', ['-layout', file, '-']).toString();
  assert.match(letter, /Board of Behavioral Sciences/);
  assert.match(letter, /your reference\s+BBS-2026-0042/);
  assert.match(letter, /where my complaint stands/);
  assert.match(letter, /Since I wrote, she has contacted me twice\./);

  // Removed only after a confirmation.
  await page.locator('.summary-list-row', { hasText: 'The board asked for more information' }).getByRole('link', { name: /Remove/ }).click();
  await heading('Remove this step?');
  await checkPage('remove a step');
  await page.getByRole('button', { name: 'Remove it' }).click();
  await heading('After you complained');
  assert.match(await page.locator('main').innerText(), /Nothing noted yet/);
});

test('beyond the board: other places to turn with their sources, and letters to the therapist', async () => {
  const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
  await page.locator('a.back-link').click();
  await page.getByRole('link', { name: 'Other places you can turn, besides the board' }).click();
  await heading('Other places you can turn');
  let text = await page.locator('main').innerText();
  // The association of the therapist's own profession, with its source; not another's.
  assert.match(text, /American Association for Marriage and Family Therapy, Ethics Committee/);
  assert.match(text, /Source: AAMFT pages/);
  assert.doesNotMatch(text, /American Psychological Association/);
  // Insurance and the criminal law wait for an incident of their kind.
  assert.match(text, /Some places appear only for certain kinds of harm you note/);
  assert.doesNotMatch(text, /police/);
  await checkPage('other places to turn', { shot: 'elsewhere' });

  await page.getByRole('link', { name: 'Write to your therapist' }).click();
  await heading('Write to your therapist');
  await checkPage('write to your therapist');
  await page.getByRole('link', { name: 'Ask for a closing session or referrals' }).click();
  await heading('Ask for a closing session or referrals');
  text = await page.locator('main').innerText();
  assert.match(text, /AAMFT Code of Ethics 1\.11 \(Non-Abandonment\)/);
  assert.match(text, /What your therapist’s code of ethics says about ending therapy/);
  await page.getByRole('button', { name: 'Make the letter (PDF)' }).click();
  await page.locator('.error-summary').waitFor();
  const errors = await page.locator('.error-summary').innerText();
  assert.match(errors, /Choose what you would like to ask for/);
  assert.match(errors, /Enter the day you would like a reply by/);
  await page.reload();
  await heading('Ask for a closing session or referrals');
  await page.getByLabel('A closing session and the names of others who could help').check();
  await page.getByLabel('The day you would like a reply by').fill(day(14));
  await page.getByRole('group', { name: /Name the part of your therapist’s code/ }).getByLabel('Yes').check();
  await page.getByLabel(/Anything you want to add, in your own words/).fill('It ended in a hard week for me.');
  await checkPage('ending letter', { shot: 'write-ending' });
  let [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Make the letter (PDF)' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'ending-request.pdf');
  let file = await download.path();
  execFileSync('qpdf', ['--check', file]);
  let letter = execFileSync('pdftotext', [file, '-']).toString().replace(/\s+/g, ' ');
  assert.match(letter, /I would like to ask for a closing session with you/);
  assert.match(letter, /AAMFT Code of Ethics speaks to how therapy ends, in standard 1\.11/);
  assert.match(letter, /It ended in a hard week for me\./);
  assert.doesNotMatch(letter, /board/i);
  await page.locator('.pdf-note').getByText(/Your letter is made/).waitFor();

  await page.locator('a.back-link').click();
  await heading('Write to your therapist');
  await page.getByRole('link', { name: 'Raise a concern in your own words' }).click();
  await heading('Raise a concern in your own words');
  const words = 'I want to understand why our sessions ended.\nPlease tell me what happens to my notes.';
  await page.getByLabel('What you want to say or ask').fill(words);
  await checkPage('concern letter', { shot: 'write-concern' });
  [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Make the letter (PDF)' }).click(),
  ]);
  file = await download.path();
  letter = execFileSync('pdftotext', [file, '-']).toString();
  assert.match(letter, /I want to understand why our sessions ended\.\nPlease tell me what happens to my notes\./);
  assert.doesNotMatch(letter, /board/i);
  assert.doesNotMatch(letter, /ethics/i);
});

test('what is due: every date, soonest first, naming whose it is, with a calendar file', async () => {
  await page.goto(new URL('/', server.url).href);
  await heading('Your cases');
  await page.getByRole('link', { name: 'What is due, across all cases' }).click();
  await heading('What is due');
  // Soonest first: the dates in order (the complaint's steps among the requests').
  const days = (await page.locator('.timeline-when').allInnerTexts()).map((w) => Date.parse(w.split(' · ')[0]));
  assert.ok(days.length >= 2 && days.every((d, i) => i === 0 || days[i - 1] <= d), `not in date order: ${days}`);
  const first = page.locator('.timeline-item', { hasText: 'Harbor Counseling' }).first();
  assert.match(await first.innerText(), /Harbor Counseling/);
  assert.match(await first.innerText(), /For Zoë Müller/);
  assert.match(await page.locator('main').innerText(), /Expected by .*: The board must tell you what it first did/);
  await checkPage('what is due', { shot: 'due' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Add these dates to your calendar/ }).click(),
  ]);
  const ics = readFileSync(await download.path(), 'utf8');
  assert.match(ics, /^BEGIN:VCALENDAR\r\n/);
  assert.match(ics, /Harbor Counseling/);
});

test('a records request is removed only after a confirmation', async () => {
  await page.getByRole('link', { name: /Records due from Harbor Counseling/ }).click();
  await heading('Your records request');
  await page.getByRole('link', { name: 'Remove this request' }).click();
  await heading('Are you sure you want to remove this request?');
  await checkPage('remove a request');
  await page.getByRole('link', { name: 'No, keep it' }).click();
  await heading('Your records request');
  await page.getByRole('link', { name: 'Remove this request' }).click();
  await page.getByRole('button', { name: 'Yes, remove it' }).click();
  await heading('Get your records');
  // Only the correction request is left.
  assert.equal(await page.locator('.case-list-item').count(), 1);
  assert.match(await page.locator('.case-list-item').innerText(), /Your request to correct your records/);
});

test('usable at 320 px wide', async () => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(new URL('/', server.url).href);
  await heading('Your cases');
  await page.getByRole('link', { name: /About Dr\. Ana Pérez/ }).click();
  await heading('Your case');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 320px`);
  await checkPage('task list at 320 px', { shot: 'task-list-narrow' });
  await page.setViewportSize({ width: 1024, height: 800 });
});

test('nothing was sent outside the app', () => {
  assert.deepEqual(session.outside, []);
});
