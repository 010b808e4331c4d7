// Every word the interface shows comes from the message catalog (src/web/messages/en.json):
// every key the code asks for is there, every key there is used, the page shell has no
// words of its own, and no script sets text from a hand-written string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { repo } from './harness.js';

const web = path.join(repo, 'src/web');
const catalog = JSON.parse(readFileSync(path.join(web, 'messages/en.json'), 'utf8'));

function scripts(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return scripts(p);
    return e.name.endsWith('.js') ? [p] : [];
  });
}
// The scripts without their comments (a comment may show a key as an example).
const sources = scripts(path.join(web, 'js')).map((p) => ({
  p, text: readFileSync(p, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''),
}));
const html = readFileSync(path.join(web, 'index.html'), 'utf8');

// Keys as written: any quoted dotted name ('start.welcome.title', wherever it is passed:
// t(), has(), page(), a ternary), data-t="a.b", and templates such as
// t(`tasks.${task.id}.name`), which become patterns.
function keysUsed() {
  const literal = new Set();
  const patterns = [];
  for (const { text } of sources) {
    for (const m of text.matchAll(/'([a-z_]+(?:\.[a-z0-9_]+)+)'/g)) literal.add(m[1]);
    for (const m of text.matchAll(/\b(?:t|has)\(\s*`([^`]+)`/g)) {
      const source = m[1].split(/\$\{[^}]+\}/).map((part) => part.replace(/[.*+?^()[\]|\\]/g, '\\$&')).join('[a-z_]+(?:\\.[a-z_]+)*');
      patterns.push(new RegExp(`^${source}$`));
    }
    // Keys built in a variable first: let hintKey = `tasks.${task.id}.hint`.
    for (const m of text.matchAll(/Key = `([^`]+)`/g)) {
      const source = m[1].split(/\$\{[^}]+\}/).map((part) => part.replace(/[.*+?^()[\]|\\]/g, '\\$&')).join('[a-z_]+(?:\\.[a-z_]+)*');
      patterns.push(new RegExp(`^${source}(_some)?$`));
    }
  }
  for (const m of html.matchAll(/data-t="([^"]+)"/g)) literal.add(m[1]);
  // A removal page's messages are named by their prefix (view.js confirmRemoval).
  for (const { text } of sources) {
    for (const m of text.matchAll(/\bmessages: '([a-z_.]+)'/g)) {
      if (!(m[1] in catalog)) literal.delete(m[1]);
      for (const part of ['title', 'heading', 'confirm', 'keep']) literal.add(`${m[1]}.${part}`);
    }
  }
  return { literal, patterns };
}

test('every key the code asks for is in the catalog', () => {
  const { literal } = keysUsed();
  // Dotted names outside the catalog's namespaces are the API's field names
  // ('provider.name'), not messages.
  const namespaces = new Set(Object.keys(catalog).map((k) => k.split('.')[0]));
  const missing = [...literal].filter((k) => namespaces.has(k.split('.')[0]) && !(k in catalog));
  assert.deepEqual(missing, []);
});

test('every key in the catalog is used', () => {
  const { literal, patterns } = keysUsed();
  // "<key>_one" is what t() says for a count of one, when "<key>" is asked for.
  const used = (k) => literal.has(k) || patterns.some((p) => p.test(k));
  const unused = Object.keys(catalog).filter((k) => !used(k) && !(k.endsWith('_one') && used(k.slice(0, -4))));
  assert.deepEqual(unused, []);
});

test('the page shell has no words of its own', () => {
  const body = html.slice(html.indexOf('<body>'), html.indexOf('</body>'));
  const words = body.replace(/<[^>]+>/g, ' ').trim();
  assert.equal(words, '');
  assert.match(html, /<title>Recourse<\/title>/);  // the name, until the catalog is loaded
});

test('no script sets text from a hand-written string', () => {
  const found = [];
  for (const { p, text } of sources) {
    for (const m of text.matchAll(/\b(?:text|textContent)\s*[:=]\s*(['"`])([^'"`]*)\1/g)) {
      if (/[A-Za-z]{2}/.test(m[2].replace(/\$\{[^}]*\}/g, ''))) found.push(`${path.relative(repo, p)}: ${m[0]}`);
    }
    for (const m of text.matchAll(/\bpara\(\s*(['"`])/g)) found.push(`${path.relative(repo, p)}: ${m[0]}`);
  }
  assert.deepEqual(found, []);
});

// A key for one of a thing stands beside the key for several, with no placeholder the other
// lacks (t() fills both from the same facts).
test('each "_one" key has its plural beside it', () => {
  const lonely = Object.keys(catalog).filter((k) => k.endsWith('_one') && !(k.slice(0, -4) in catalog));
  assert.deepEqual(lonely, []);
  const extra = Object.keys(catalog).filter((k) => k.endsWith('_one') && k.slice(0, -4) in catalog).filter((k) => {
    const names = (v) => new Set([...v.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
    const many = names(catalog[k.slice(0, -4)]);
    return [...names(catalog[k])].some((n) => !many.has(n));
  });
  assert.deepEqual(extra, []);
});

test('placeholders in the catalog are well formed', () => {
  const bad = Object.entries(catalog).filter(([, v]) => /\{[^}]*[^a-z_}][^}]*\}/.test(v) || /\{[^}]*$/.test(v));
  assert.deepEqual(bad, []);
});

// The reasons the server gives for a refusal (core::Status::withReason, and the forms'
// answer problems marked /*reason=*/), each said in the catalog's own words.
function reasonsGiven(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return reasonsGiven(p);
    if (!/\.(cc|h)$/.test(e.name)) return [];
    const text = readFileSync(p, 'utf8');
    return [...text.matchAll(/(?:withReason\(\s*|\/\*reason=\*\/)"([a-z_]+)"/g)].map((m) => m[1]);
  });
}

test('every reason the server gives for a refusal is said in the catalog, and only those', () => {
  const given = new Set(reasonsGiven(path.join(repo, 'src')));
  assert.ok(given.size >= 20, `only ${given.size} reasons found: the scan is broken`);
  const said = new Set(Object.keys(catalog).filter((k) => k.startsWith('errors.reason.')).map((k) => k.slice(14)));
  assert.deepEqual([...given].filter((r) => !said.has(r)).sort(), []);
  assert.deepEqual([...said].filter((r) => !given.has(r)).sort(), []);
});

// Every script loads the catalog's parts its own words are in (i18n.js need, or the shell's
// parts in main.js), so that no page shows a key instead of its words.
test('every script loads the parts of the catalog it uses', () => {
  const namespaces = new Set(Object.keys(catalog).map((k) => k.split('.')[0]));
  const mainText = sources.find(({ p }) => p.endsWith(path.join('js', 'main.js'))).text;
  const shellMatch = mainText.match(/kShellParts = \[([^\]]*)\]/);
  assert.ok(shellMatch, 'main.js names the shell\'s parts');
  const shell = new Set([...shellMatch[1].matchAll(/'([a-z_]+)'/g)].map((m) => m[1]));
  const wrong = [];
  for (const { p, text } of sources) {
    const used = new Set();
    for (const m of text.matchAll(/'([a-z_]+)(?:\.[a-z0-9_]+)+'/g)) if (namespaces.has(m[1])) used.add(m[1]);
    for (const m of text.matchAll(/`([a-z_]+)\.(?:[a-z0-9_]+|\$\{)/g)) if (namespaces.has(m[1])) used.add(m[1]);
    const needMatch = text.match(/^await need\(([^)]*)\);$/m);
    const declared = new Set(needMatch ? [...needMatch[1].matchAll(/'([a-z_]+)'/g)].map((m) => m[1]) : []);
    const isPage = p.includes(`${path.sep}pages${path.sep}`);
    for (const ns of used) {
      if (!shell.has(ns) && !declared.has(ns)) wrong.push(`${path.relative(repo, p)} uses ${ns} without need('${ns}')`);
    }
    if (!isPage && declared.size) wrong.push(`${path.relative(repo, p)}: only page modules load parts`);
    for (const ns of declared) if (!namespaces.has(ns)) wrong.push(`${path.relative(repo, p)} needs '${ns}', which the catalog has not`);
  }
  assert.deepEqual(wrong, []);
});

// The sentences the server works out (core::Notice, its keys marked /*notice=*/) and the
// next steps of a records request (marked /*step=*/), each said in the catalog's own words:
// "notice.<key>", and "next.<step>.label" with its ".note".
function markedGiven(dir, marker) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return markedGiven(p, marker);
    if (!/\.(cc|h)$/.test(e.name)) return [];
    const text = readFileSync(p, 'utf8');
    return [...text.matchAll(new RegExp(`/\\*${marker}=\\*/"([a-z_.]+)"`, 'g'))].map((m) => m[1]);
  });
}

test('every notice and next step the server gives is said in the catalog, and only those', () => {
  const notices = new Set(markedGiven(path.join(repo, 'src'), 'notice'));
  assert.ok(notices.size >= 15, `only ${notices.size} notices found: the scan is broken`);
  const saidNotices = new Set(Object.keys(catalog).filter((k) => k.startsWith('notice.')).map((k) => k.slice(7)));
  assert.deepEqual([...notices].filter((k) => !saidNotices.has(k)).sort(), []);
  assert.deepEqual([...saidNotices].filter((k) => !notices.has(k)).sort(), []);

  const steps = new Set(markedGiven(path.join(repo, 'src'), 'step'));
  assert.ok(steps.size >= 7, `only ${steps.size} steps found: the scan is broken`);
  const saidSteps = new Set(Object.keys(catalog).filter((k) => k.startsWith('next.')).map((k) => k.split('.')[1]));
  assert.deepEqual([...steps].filter((k) => !saidSteps.has(k) || !(`next.${k}.note` in catalog)).sort(), []);
  assert.deepEqual([...saidSteps].filter((k) => !steps.has(k)).sort(), []);
});
