// Several people: the vault's owner makes an advocate's account, gives the advocate access to
// a person's records after comparing fingerprints, the advocate signs in with their own name
// and sees that person in their caseload, access is taken away again (the page says what
// cannot be unseen), the access history names who opened what and downloads, and a
// forgotten passphrase is recovered with the recovery code. Every page is checked with axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launch, newPage, checkPage, PASSPHRASE } from './harness.js';

const ADVOCATE_PASSPHRASE = 'green lamp by the window';

let server;
let browser;
let session;
let page;
let personUrl = '';
let ownerCode = '';

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

const heading = (name) => page.getByRole('heading', { level: 1, name }).waitFor();

async function lock() {
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await heading('Welcome back');
}

async function signIn(name, passphrase) {
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

// Signed in: the page drawn again where it was (whatever it shows this account). The Lock
// button shows as soon as the session is known, before the page itself is drawn: so this
// waits for the unlock page's heading to be gone too.
async function signedIn() {
  await page.getByRole('button', { name: 'Lock', exact: true }).waitFor();
  await page.waitForFunction(() => {
    const h1 = document.querySelector('main h1');
    return h1 && h1.textContent.trim() !== 'Welcome back';
  });
}

test('the owner makes an advocate account and gives them access after comparing fingerprints', async () => {
  await page.goto(server.url);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Type the same passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create my private space' }).click();
  await heading('Your recovery code');
  ownerCode = (await page.locator('#recovery-code').innerText()).trim();
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading('Your cases');
  await page.getByRole('button', { name: 'Start a case' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Your name').fill('Zoë Müller');
  await page.getByLabel("The therapist's name").fill('Dr. Ana Pérez');
  await page.getByRole('button', { name: 'Continue' }).click();
  await heading('Your case');
  await page.getByRole('link', { name: 'Your details, used in letters' }).click();
  await heading('Your details');
  personUrl = new URL(page.url()).pathname;

  await page.goto(`${server.url}account`);
  await heading('Your account');
  const ownerPrint = await page.locator('.summary-list-value').nth(2).innerText();
  assert.match(ownerPrint, /^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
  await checkPage(session, 'your account', { shot: 'account' });

  await page.getByRole('link', { name: 'Make an account for someone' }).click();
  await heading('Make an account');
  await page.getByRole('button', { name: 'Make the account' }).click();
  await page.locator('.error-summary').waitFor();
  await checkPage(session, 'make an account with errors');
  await page.getByLabel('Their name for signing in').fill('sam');
  await page.getByLabel('Advocate', { exact: true }).check();
  await page.getByLabel('A first passphrase for them').fill(ADVOCATE_PASSPHRASE);
  await page.getByRole('button', { name: 'Make the account' }).click();
  await heading('The account of sam is made');
  // Whoever makes the account never sees its recovery code.
  assert.equal(await page.locator('#recovery-code').count(), 0);
  assert.match(await page.locator('main').innerText(), /You never see it/);
  await checkPage(session, 'an account made');
  await page.getByRole('button', { name: 'Back to your account' }).click();
  await heading('Your account');

  await page.goto(`${server.url}${personUrl.slice(1)}`);
  await heading('Your details');
  await page.getByRole('link', { name: 'Who can see these records' }).click();
  await heading('Who can see these records');
  assert.match(await page.locator('main').innerText(), /read you their fingerprint/);
  await page.getByRole('button', { name: 'Give access' }).click();
  await page.locator('.error-summary').waitFor();
  await page.getByLabel('sam (Advocate)').check();
  await page.getByRole('button', { name: 'Give access' }).click();
  await page.getByRole('heading', { level: 3, name: /sam/ }).waitFor();
  const text = await page.locator('main').innerText();
  assert.match(text, /Given access by owner/);
  assert.match(text, /Take away access from sam/);
  await checkPage(session, 'who can see these records', { shot: 'access' });
});

test('the advocate signs in with their name and sees the person in their caseload', async () => {
  await lock();
  // Two accounts now: the name is asked for, and a wrong one is said plainly.
  await signIn('someone', ADVOCATE_PASSPHRASE);
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /no account with that name/);
  await checkPage(session, 'sign in with an unknown name', { shot: 'sign-in' });
  await signIn('sam', ADVOCATE_PASSPHRASE);
  // Sam's first sign-in: their own recovery code, shown to them alone.
  await heading('Your recovery code');
  assert.match(await page.locator('#recovery-code').innerText(), /^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
  assert.match(await page.locator('main').innerText(), /Your name for signing in is “sam”/);
  await checkPage(session, 'recovery code at the first sign-in');
  await page.getByRole('button', { name: 'Continue' }).click();
  await signedIn();
  await page.goto(server.url);
  await heading('Your cases');
  assert.match(await page.locator('main').innerText(), /Dr\. Ana Pérez/);
  await page.goto(`${server.url}caseload`);
  await heading('The people you help');
  const row = await page.locator('table tbody tr').first().innerText();
  assert.match(row, /Zoë Müller/);
  await checkPage(session, 'caseload', { shot: 'caseload' });
});

test('taking access away says what cannot be unseen, and the advocate is refused after', async () => {
  await lock();
  await signIn('owner', PASSPHRASE);
  await signedIn();
  await page.goto(`${server.url}${personUrl.slice(1)}/access`);
  await heading('Who can see these records');
  await page.getByRole('link', { name: 'Take away access from sam' }).click();
  await heading('Take away access from sam?');
  assert.match(await page.locator('main').innerText(), /already seen, or copied, cannot be unseen/);
  await checkPage(session, 'take away access', { shot: 'revoke' });
  await page.getByRole('button', { name: 'Take away access' }).click();
  await heading('Who can see these records');
  assert.doesNotMatch(await page.locator('main').innerText(), /Take away access from sam/);

  await page.getByRole('link', { name: /See every time someone opened/ }).click();
  await heading('Who opened or changed these records');
  const history = await page.locator('table').innerText();
  assert.match(history, /sam \(Advocate\)/);
  assert.match(history, /Opened/);
  assert.doesNotMatch(history, /Zoë|Pérez/, 'the history shows no content');
  assert.match(await page.locator('main').innerText(), /no entry has been changed or removed/);
  await checkPage(session, 'access history', { shot: 'access-history' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download this list' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^recourse-access-history-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^when,who,role,via,what,action,record\r\n/);
  assert.match(csv, /,sam,advocate,browser,/);
  assert.match(csv, /access\.revoke/);

  await lock();
  await signIn('sam', ADVOCATE_PASSPHRASE);
  await signedIn();
  await page.goto(`${server.url}caseload`);
  await heading('The people you help');
  assert.match(await page.locator('main').innerText(), /No one has given you access/);
  await page.goto(`${server.url}${personUrl.slice(1)}`);
  await heading('This page could not be shown');
  assert.doesNotMatch(await page.locator('main').innerText(), /Zoë/);
});

test('a forgotten passphrase is recovered with the recovery code, which is then replaced', async () => {
  await lock();
  await page.getByRole('button', { name: 'Forgotten your passphrase?' }).click();
  await heading('Forgotten your passphrase?');
  await checkPage(session, 'forgotten passphrase', { shot: 'recover' });
  await page.getByLabel('Your name').fill('owner');
  await page.getByLabel('Recovery code').fill('AAAA-BBBB-CCCC-DDDD-EEEE-FFFF');
  await page.getByLabel('New passphrase').fill('a brand new passphrase');
  await page.getByLabel('Type the same passphrase again').fill('a brand new passphrase');
  await page.getByRole('button', { name: 'Choose the new passphrase' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /recovery code does not open/);
  await page.getByLabel('Recovery code').fill(ownerCode.toLowerCase());
  await page.getByRole('button', { name: 'Choose the new passphrase' }).click();
  await heading('Your recovery code');
  const fresh = (await page.locator('#recovery-code').innerText()).trim();
  assert.notEqual(fresh, ownerCode);
  await page.getByRole('button', { name: 'Continue' }).click();
  await signedIn();
  await lock();
  await signIn('owner', 'a brand new passphrase');
  await signedIn();
  assert.notEqual(await page.locator('main h1').first().innerText(), 'Welcome back');
  assert.deepEqual(session.outside, [], 'the app called outside this computer');
});
