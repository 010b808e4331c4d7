// Sentences the server works out (core::Notice: {key, args, text}) and the next steps of a
// records request ({key, args}), said from the catalog's notice, next and unit parts, which
// only the pages that show them load.
import { t, has, need } from '../i18n.js';
import { factsOf } from '../view.js';

await need('notice', 'next', 'unit');

// The facts, and those that name another message: a next step (`step`), why there is no
// due date (`why`), a kind of day counted (`unit`, with its count), a complaint's step said
// in its own notice (`said`).
function facts(given) {
  const args = factsOf(given);
  for (const [name, value] of Object.entries(given || {})) {
    if (name === 'unit' && has(`unit.${value}`)) args[name] = t(`unit.${value}`, args);
    else if (name === 'step' && has(`next.${value}.label`)) args[name] = t(`next.${value}.label`, args);
    else if (name === 'why' && has(`notice.${value}`)) args[name] = t(`notice.${value}`, args);
    else if (name === 'said' && has(`notice.${value}`)) args[name] = t(`notice.${value}`, args);
  }
  return args;
}

// "notice.<key>" with its facts, or the server's English when the catalog has no such key.
export function noticeText(n) {
  if (!n) return '';
  if (n.key && has(`notice.${n.key}`)) return t(`notice.${n.key}`, facts(n.args));
  return n.text || '';
}

// A next step of a records request: what to do, and what to know about it.
export function nextStepText(n) {
  const args = facts(n.args);
  return {
    label: has(`next.${n.key}.label`) ? t(`next.${n.key}.label`, args) : n.label,
    note: has(`next.${n.key}.note`) ? t(`next.${n.key}.note`, args) : n.note || '',
  };
}

// An event as the request's kind words it ("They sent the list" for a list of disclosures).
export function eventLabel(kind, type) {
  return has(`event.${kind}.${type}`) ? t(`event.${kind}.${type}`) : t(`event.${type}`);
}
