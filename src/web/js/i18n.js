// The message catalog: every word the interface shows comes from /messages/<lang>.json.
// The browser loads it in parts (/messages/<lang>/<part>.json: the messages whose keys start
// with "<part>."): the shell's parts at start, and each page module its own with
// need('records', ...) before it draws anything, so that a page carries only its words.
// t('key', {name: 'value'}) fills {name} placeholders; with a count of 1 it says
// '<key>_one' when the catalog has it. A missing key is an error a test catches, shown as
// the key itself so the page still works.
const messages = {};
const loaded = new Map();  // part -> the promise of its messages
let language = 'en';

function loadPart(part) {
  if (!loaded.has(part)) {
    loaded.set(part, (async () => {
      const res = await fetch(`/messages/${language}/${part}.json`, { cache: 'no-store' });
      if (!res.ok) throw new Error(`messages/${language}/${part}.json: ${res.status}`);
      Object.assign(messages, await res.json());
    })().catch((e) => {
      loaded.delete(part);  // tried again by the next page that needs it
      throw e;
    }));
  }
  return loaded.get(part);
}

// The shell's parts, in the page's language.
export async function loadMessages(lang, parts) {
  language = lang;
  await Promise.all(parts.map(loadPart));
}

// The parts a module's pages use, loaded once.
export async function need(...parts) {
  await Promise.all(parts.map(loadPart));
}

export function t(key, vars) {
  // One of a thing: "<key>_one" when the catalog has it ("1 file"; the key itself says "2 files").
  const one = vars && Number(vars.count) === 1 && typeof messages[`${key}_one`] === 'string';
  const text = messages[one ? `${key}_one` : key];
  if (typeof text !== 'string') {
    console.error(`message catalog: no "${key}"`);
    return key;
  }
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

// Whether the catalog has a message (for optional, data-driven keys such as a status).
export function has(key) {
  return typeof messages[key] === 'string';
}
