// What every browser test needs: a Recourse server of its own (a new data directory, a free
// port on 127.0.0.1), Debian's Chromium driven by playwright-core, the neutral site the
// quick exit goes to answered locally (no test reaches the internet), and axe-core run in
// the page.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../../..');
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const binary = process.env.RECOURSE_BIN || path.join(repo, 'build/recourse');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
export const outDir = process.env.RECOURSE_E2E_OUT || path.join(repo, 'tests/e2e/out');
export const PASSPHRASE = 'blue kettle under the stairs';

// The neutral site the quick exit goes to, played by a page on another local port.
async function startNeutralSite() {
  const site = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html lang="en"><title>Weather</title><h1>Weather</h1></html>');
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  return site;
}

// Starts `recourse serve` on a free port with a new data directory, and the neutral site.
// Resolves to { url, exitUrl, dataDir, stop() }.
export async function startServer() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'recourse-e2e-'));
  const site = await startNeutralSite();
  const exitUrl = `http://127.0.0.1:${site.address().port}/weather`;
  const proc = spawn(binary, ['--data-dir', dataDir, 'serve', '--port', '0', '--kdf', 'interactive',
    '--exit-url', exitUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${out}`)), 15000);
    const onData = (chunk) => {
      out += chunk.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the server stopped (${code}): ${out}`)); });
  });
  proc.removeAllListeners('exit');
  return {
    url,
    exitUrl,
    dataDir,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((resolve) => { proc.on('exit', resolve); setTimeout(resolve, 5000); });
      await new Promise((resolve) => site.close(resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-default-apps', '--disable-features=Translate,OptimizationHints,MediaRouter'],
  });
}

// A new browser context in which any request outside the app (and its neutral site) is
// refused and listed: the app must make no such call.
export async function newPage(browser, server, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1024, height: 800 }, ...options });
  context.setDefaultTimeout(5000);
  const outside = [];
  await context.route((u) => !u.href.startsWith(server.url) && !u.href.startsWith(server.exitUrl), (route) => {
    outside.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Refusals the app expects (401 when locked, 400 for a wrong answer) are logged by the
  // browser as failed loads; those are not problems, but a server error (5xx) is.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => { if (r.status() >= 500) problems.push(`${r.status()} from ${r.url()}`); });
  return { context, page, outside, problems };
}

// Runs axe-core in the page (WCAG 2.0/2.1 A and AA) and resolves to its violations, each
// with the rule, its impact and the elements at fault.
export async function axeViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

export async function screenshot(page, name) {
  mkdirSync(outDir, { recursive: true });
  // From the top, so that the sticky header is drawn where a person first sees it.
  const y = await page.evaluate(() => window.scrollY);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
  await page.evaluate((back) => window.scrollTo(0, back), y);
}

// Checks a session's page as it is now: no accessibility violations (axe-core, WCAG 2.1 A
// and AA), no script errors, no value shown that is not there (null, undefined, NaN), a tab
// title that names none of `personal`, and (when named) a screenshot.
export async function checkPage(session, name, { shot, personal = ['Zoë', 'Müller', 'Pérez', 'Ana'] } = {}) {
  const { page } = session;
  assert.deepEqual(await axeViolations(page), [], `${name}: axe-core found WCAG 2.1 A/AA violations`);
  assert.deepEqual(session.problems, [], `${name}: the page reported errors`);
  assert.doesNotMatch(await page.locator('main').innerText(), /\b(null|undefined|NaN|\[object Object\])\b/,
    `${name}: the page shows a value that is not there`);
  assert.doesNotMatch(await page.locator('main').innerText(), /\{[a-z_]+\}/,
    `${name}: the page shows a placeholder the catalog's words left unfilled`);
  const title = await page.title();
  for (const word of personal) assert.ok(!title.includes(word), `${name}: the tab title "${title}" names a person`);
  if (shot) await screenshot(page, shot);
}
