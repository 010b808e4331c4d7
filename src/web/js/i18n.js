// The message catalog: every word the interface shows comes from /messages/<lang>.json.
// t('key', {name: 'value'}) fills {name} placeholders; a missing key is an error a test
// catches, shown as the key itself so the page still works.
let messages = {};

export async function loadMessages(lang) {
  const res = await fetch(`/messages/${lang}.json`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`messages/${lang}.json: ${res.status}`);
  messages = await res.json();
}

export function t(key, vars) {
  const text = messages[key];
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
