// What every page is made of: the title (never personal data), a back link, the error
// summary, form fields after the GOV.UK Design System's patterns, summary lists and tags.
import { h, $ } from './dom.js';
import { t, has } from './i18n.js';
import { api, fetchDownload } from './api.js';

let navigateTo = () => {};
export function setNavigator(fn) {
  navigateTo = fn;
}
export function go(path, options) {
  navigateTo(path, options);
}

// Starts a page: sets the tab title from a catalog key, clears the main area and returns it.
// Leaves out what a page builds conditionally and did not need (null, undefined, false),
// which the DOM's own append() would show as the words "null" or "false".
function appendPresent(...nodes) {
  Element.prototype.append.apply(this, nodes.filter((n) => n !== null && n !== undefined && n !== false));
}

// A new page: its title from the catalog (with `vars`, never personal data), the page
// emptied for what it shows.
export function page(titleKey, vars) {
  const main = $('main');
  if (main.append !== appendPresent) main.append = appendPresent;
  main.replaceChildren();
  document.title = `${t(titleKey, vars)} – ${t('shell.brand')}`;
  main.dataset.title = document.title;
  return main;
}

export function heading(text, tag = 'h1', cls = 'heading-l') {
  return h(tag, { class: cls, tabindex: '-1', id: tag === 'h1' ? 'page-heading' : undefined, text });
}

export function backLink(href) {
  return h('a', { class: 'back-link', href, 'data-nav': true, text: t('common.back') });
}

export function link(href, text, cls) {
  return h('a', { href, 'data-nav': true, class: cls || 'link', text });
}

export function buttonLink(href, text, secondary) {
  return h('a', { href, 'data-nav': true, role: 'button', draggable: 'false',
    class: secondary ? 'button secondary' : 'button', text });
}

// A YYYY-MM-DD day written out in the page's language ("April 2, 2024"); anything else as
// it is.
export function longDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return iso || '';
  return new Intl.DateTimeFormat(document.documentElement.lang || 'en',
    { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])));
}

// The day of the week of a YYYY-MM-DD day, in the page's language ("Saturday").
export function weekday(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return '';
  return new Intl.DateTimeFormat(document.documentElement.lang || 'en',
    { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])));
}

export function para(text, cls) {
  return h('p', { class: cls || 'body', text });
}

// --- errors --------------------------------------------------------------------------------
// Shows the problems of a form: the summary at the top (focused, announced, each problem a
// link to its field), the message above each field, and "Error: " before the tab title.
// problems: [{ field: 'input id', text }].
export function showErrors(form, problems) {
  clearErrors(form);
  if (problems.length === 0) return;
  const main = $('main');
  const list = h('ul', { class: 'error-summary-list' },
    problems.map((p) => h('li', {}, h('a', { href: `#${p.field}`, text: p.text,
      on: { click: (e) => { e.preventDefault(); focusField(p.field); } } }))));
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1',
    'aria-labelledby': 'error-summary-title' },
  h('h2', { class: 'error-summary-title', id: 'error-summary-title', text: t('errors.summary_title') }),
  list);
  const back = main.querySelector('.back-link');
  main.insertBefore(summary, back ? back.nextSibling : main.firstChild);
  for (const p of problems) {
    if (p.whole) continue;
    const group = form.querySelector(`[data-group-for="${p.field}"]`);
    if (!group) continue;
    group.classList.add('form-group-error');
    const msgId = `${p.field}-error`;
    const msg = h('p', { class: 'error-message', id: msgId },
      h('span', { class: 'visually-hidden', text: t('errors.prefix') }), p.text);
    // After the question's own hint, else its label or legend (a label that is the page's
    // heading counts as its heading).
    let anchor = group.querySelector(':scope > .hint, :scope > fieldset > .hint')
      || group.querySelector(':scope > label, :scope > h1, :scope > fieldset > legend');
    if (anchor && anchor.parentNode && anchor.parentNode.tagName === 'H1') anchor = anchor.parentNode;
    if (anchor) anchor.parentNode.insertBefore(msg, anchor.nextSibling);
    else group.prepend(msg);
    const input = $(p.field);
    if (input) {
      input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') || ''} ${msgId}`.trim());
      input.setAttribute('aria-invalid', 'true');
    }
  }
  document.title = `${t('errors.title_prefix')}${main.dataset.title}`;
  summary.focus();
}

export function clearErrors(form) {
  const main = $('main');
  main.querySelectorAll('.error-summary').forEach((e) => e.remove());
  form.querySelectorAll('.error-message').forEach((e) => e.remove());
  form.querySelectorAll('.form-group-error').forEach((e) => e.classList.remove('form-group-error'));
  form.querySelectorAll('[aria-invalid]').forEach((e) => {
    e.removeAttribute('aria-invalid');
    const d = (e.getAttribute('aria-describedby') || '').split(' ').filter((x) => !x.endsWith('-error'));
    if (d.length) e.setAttribute('aria-describedby', d.join(' ')); else e.removeAttribute('aria-describedby');
  });
  if (main.dataset.title) document.title = main.dataset.title;
}

function focusField(id) {
  const el = $(id);
  if (!el) return;
  const group = el.closest('[data-group-for]');
  const label = group && group.querySelector('legend, label');
  el.focus();
  if (label) label.scrollIntoView({ block: 'start' });
}

// A server refusal as a problem on the field it names (fieldMap: server field -> input id);
// anything else goes on `fallbackField` with a plain message.
export function problemFromApi(err, fieldMap, fallbackField) {
  if (err.status === 0) return { field: fallbackField, text: t('errors.unreachable') };
  if (err.status === 401) return { field: fallbackField, text: t('errors.locked') };
  // About the whole page, not one answer: said once, at the top, and no box marked wrong.
  if (err.reason === 'changed_meanwhile') {
    return { field: $('page-heading') ? 'page-heading' : fallbackField, text: refusalText(err), whole: true };
  }
  const field = fieldMap[err.field] || fallbackField;
  return { field, text: fieldMap[err.field] ? refusalFor(err, field) : refusalText(err) };
}

// A refusal about the answer in the box `inputId`. An empty answer that is needed is named
// by its question: a choice by its legend, a box by its label ("“Their name”: this answer is
// needed"); anything else as refusalText says it.
export function refusalFor(err, inputId) {
  if (err.reason === 'required' || err.reason === 'required_by_answers') {
    const el = document.getElementById(inputId);
    const plain = (node) => (node ? node.textContent.replace(` ${t('common.optional')}`, '').trim() : '');
    const legend = plain(el && el.closest('fieldset')?.querySelector('legend'));
    const label = plain(document.querySelector(`label[for="${CSS.escape(inputId)}"]`));
    // A choice by its question; a box of a group (a person's name, a range's start) by the
    // group's question and its own label; a box alone by its label.
    let words = label;
    if (el && (el.type === 'radio' || el.type === 'checkbox')) words = legend;
    else if (legend && el && el.type === 'date') words = legend;
    else if (legend && label) words = t('errors.named_part', { field: legend, part: label });
    if (words) return t(`errors.named.${err.reason}`, { label: words });
  }
  return refusalText(err);
}

// A refusal in the page's words. When the server names its reason, the catalog says it all,
// with the facts the server gives (days in the page's own form, kinds of event by their
// names). Otherwise the catalog says what kind of problem it is and the server's own
// sentence (without the field's code name, which the error summary's link replaces) says
// exactly what is wrong.
export function refusalText(err) {
  if (err.reason && has(`errors.reason.${err.reason}`)) return t(`errors.reason.${err.reason}`, factsOf(err.args));
  const detail = (err.message || '').replace(/^[a-z_.]+: /, '');
  const lead = has(`errors.code.${err.code}`) ? t(`errors.code.${err.code}`) : '';
  if (!lead) return detail || t('errors.generic');
  return detail ? t('errors.with_detail', { lead, detail }) : lead;
}

// The facts the server gives with a reason or a notice, in the page's own form: days as
// long dates, kinds of event by their names.
export function factsOf(given) {
  const args = {};
  for (const [name, value] of Object.entries(given || {})) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) args[name] = longDate(value);
    else if (name === 'event' && has(`event.${value}`)) args[name] = t(`event.${value}`);
    else args[name] = value;
  }
  return args;
}

// --- fields --------------------------------------------------------------------------------
function hintFor(id, hint) {
  return hint ? h('div', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
}

function labelText(label, optional) {
  return optional ? `${label} ${t('common.optional')}` : label;
}

// A text box. opts: { id, name, label, hint, value, optional, type, autocomplete, width,
// asHeading, inputmode, spellcheck }
export function textField(opts) {
  const labelEl = h('label', { class: opts.asHeading ? 'label label-l' : 'label', for: opts.id,
    text: labelText(opts.label, opts.optional) });
  const input = h('input', {
    class: `input ${opts.width ? `width-${opts.width}` : ''}`.trim(), id: opts.id,
    name: opts.name || opts.id, type: opts.type || 'text', value: opts.value || '',
    autocomplete: opts.autocomplete || 'off', inputmode: opts.inputmode,
    spellcheck: opts.spellcheck === undefined ? undefined : String(opts.spellcheck),
    'aria-describedby': opts.hint ? `${opts.id}-hint` : undefined,
  });
  return h('div', { class: 'form-group', 'data-group-for': opts.id },
    opts.asHeading ? h('h1', { class: 'label-wrapper' }, labelEl) : labelEl,
    hintFor(opts.id, opts.hint), input);
}

export function textArea(opts) {
  const labelEl = h('label', { class: opts.asHeading ? 'label label-l' : 'label', for: opts.id,
    text: labelText(opts.label, opts.optional) });
  const area = h('textarea', { class: 'textarea', id: opts.id, name: opts.name || opts.id,
    rows: String(opts.rows || 5), spellcheck: 'true',
    'aria-describedby': opts.hint ? `${opts.id}-hint` : undefined });
  area.value = opts.value || '';
  return h('div', { class: 'form-group', 'data-group-for': opts.id },
    opts.asHeading ? h('h1', { class: 'label-wrapper' }, labelEl) : labelEl,
    hintFor(opts.id, opts.hint), area);
}

// A drop-down list. options: [{ value, label }]; the first option may be the "choose" one.
export function selectField(opts) {
  const select = h('select', { class: 'select', id: opts.id, name: opts.name || opts.id,
    'aria-describedby': opts.hint ? `${opts.id}-hint` : undefined },
  opts.options.map((o) => h('option', { value: o.value, text: o.label, selected: o.value === opts.value })));
  return h('div', { class: 'form-group', 'data-group-for': opts.id },
    h('label', { class: 'label', for: opts.id, text: labelText(opts.label, opts.optional) }),
    hintFor(opts.id, opts.hint), select);
}

// Radios in a fieldset whose legend is the question. options: [{ value, label, hint,
// conditional: Node }]. The group's id is the first radio's id, for the error summary.
export function radios(opts) {
  const items = opts.options.map((o, i) => {
    const id = i === 0 ? opts.id : `${opts.id}-${i + 1}`;
    const input = h('input', { class: 'radios-input', id, name: opts.name || opts.id, type: 'radio',
      value: o.value, checked: o.value === opts.value,
      'aria-describedby': o.hint ? `${id}-item-hint` : undefined });
    const item = h('div', { class: 'radios-item' }, input,
      h('label', { class: 'label radios-label', for: id, text: o.label }),
      o.hint ? h('div', { class: 'hint radios-hint', id: `${id}-item-hint`, text: o.hint }) : null);
    if (!o.conditional) return item;
    const cond = h('div', { class: 'radios-conditional', id: `${id}-conditional` }, o.conditional);
    input.setAttribute('aria-controls', cond.id);
    return [item, cond];
  });
  const fieldset = h('fieldset', { class: 'fieldset',
    'aria-describedby': opts.hint ? `${opts.id}-hint` : undefined },
  h('legend', { class: opts.asHeading ? 'legend legend-l' : 'legend' },
    opts.asHeading ? h('h1', { class: 'legend-heading', text: labelText(opts.legend, opts.optional) })
      : labelText(opts.legend, opts.optional)),
  hintFor(opts.id, opts.hint),
  h('div', { class: 'radios' }, items));
  const group = h('div', { class: 'form-group', 'data-group-for': opts.id }, fieldset);
  const sync = () => {
    for (const input of group.querySelectorAll('.radios-input')) {
      const cond = $(input.getAttribute('aria-controls') || '') || group.querySelector(`#${input.id}-conditional`);
      if (cond) cond.hidden = !input.checked;
    }
  };
  group.addEventListener('change', sync);
  queueMicrotask(sync);
  return group;
}

// Checkboxes in a fieldset. options: [{ value, label, hint }]; values: the checked ones.
export function checkboxes(opts) {
  const chosen = new Set(opts.values || []);
  const items = opts.options.map((o, i) => {
    const id = i === 0 ? opts.id : `${opts.id}-${i + 1}`;
    return h('div', { class: 'checkboxes-item' },
      h('input', { class: 'checkboxes-input', id, name: opts.name || opts.id, type: 'checkbox',
        value: o.value, checked: chosen.has(o.value),
        'aria-describedby': o.hint ? `${id}-item-hint` : undefined }),
      h('label', { class: 'label checkboxes-label', for: id, text: o.label }),
      o.hint ? h('div', { class: 'hint checkboxes-hint', id: `${id}-item-hint`, text: o.hint }) : null);
  });
  return h('div', { class: 'form-group', 'data-group-for': opts.id },
    h('fieldset', { class: 'fieldset', 'aria-describedby': opts.hint ? `${opts.id}-hint` : undefined },
      h('legend', { class: opts.asHeading ? 'legend legend-l' : 'legend' },
        opts.asHeading ? h('h1', { class: 'legend-heading', text: labelText(opts.legend, opts.optional) })
          : labelText(opts.legend, opts.optional)),
      hintFor(opts.id, opts.hint),
      h('div', { class: 'checkboxes' }, items)));
}

export function submitButton(text) {
  return h('button', { type: 'submit', class: 'button', 'data-prevent-double-click': 'true', text });
}

export function formOf(...children) {
  return h('form', { novalidate: true, autocomplete: 'off' }, children);
}

// The value of a form control by name ("" when empty); radios: the checked one.
export function valueOf(form, name) {
  const el = form.elements[name];
  if (!el) return '';
  if (el instanceof RadioNodeList) return el.value || '';
  // A group of one radio is the input itself, whose value is there checked or not.
  if (el.type === 'checkbox' || el.type === 'radio') return el.checked ? el.value : '';
  return (el.value || '').trim();
}

export function checkedValues(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}

// --- showing answers ------------------------------------------------------------------------
// rows: [{ key, value, href, changeLabel }]; an empty value shows "Not provided".
export function summaryList(rows) {
  return h('dl', { class: 'summary-list' }, rows.map((r) => h('div', { class: 'summary-list-row' },
    h('dt', { class: 'summary-list-key', text: r.key }),
    h('dd', { class: `summary-list-value${r.value ? '' : ' not-provided'}` },
      Array.isArray(r.value) ? r.value.map((line) => h('p', { class: 'summary-line', text: line }))
        : (r.value || t('common.not_provided'))),
    r.href ? h('dd', { class: 'summary-list-actions' },
      h('a', { class: 'link', href: r.href, 'data-nav': true }, r.action || t('common.change'),
        h('span', { class: 'visually-hidden', text: ` ${r.changeLabel || r.key}` }))) : null)));
}

export function tag(text, colour) {
  return h('strong', { class: `tag${colour ? ` tag-${colour}` : ''}`, text });
}

export function insetText(...children) {
  return h('div', { class: 'inset-text' }, children);
}

// What a letter or packet still needs, each by name with a link to the page that asks
// for it ([{ label, href, why }]); `why` says when it is needed only because of other
// answers (a form field's required_if: its help).
export function missingList(items) {
  if (!items.length) return null;
  return h('ul', { class: 'list list-bullet missing-list' }, items.map((i) => h('li', {},
    link(i.href, t('common.missing_item', { label: i.label })), i.why ? h('div', { class: 'hint', text: i.why }) : null)));
}

// A link to a PDF the app makes. Without scripts it is a plain download; with them the file
// is fetched, so that characters the PDF could not show (written in it as codes, such as
// [U+1F33B]) are named beside the link, as the command line names them.
export function pdfLink(href, filename, text) {
  const note = h('div', { class: 'pdf-note', role: 'status' });
  const a = h('a', { class: 'link', href, download: filename, text });
  a.addEventListener('click', async (event) => {
    event.preventDefault();
    note.replaceChildren();
    let unshown;
    try {
      unshown = await fetchDownload(href, filename);
    } catch (err) {
      note.append(warningText(refusalText(err)));
      return;
    }
    if (!unshown.length) return;
    note.append(insetText(para(t('common.pdf_unshown')),
      h('ul', { class: 'list list-bullet' }, unshown.map((code) => {
        const cp = parseInt(code.slice(2), 16);
        const invisible = cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0xfeff;
        return h('li', { text: invisible ? t('common.pdf_unshown_control', { code })
          : t('common.pdf_unshown_char', { char: String.fromCodePoint(cp), code }) });
      })),
      para(t('common.pdf_unshown_after'))));
  });
  return h('div', {}, h('p', { class: 'body' }, a), note);
}

export function warningText(text) {
  return h('div', { class: 'warning-text' },
    h('span', { class: 'warning-text-icon', 'aria-hidden': 'true', text: '!' }),
    h('strong', { class: 'warning-text-text' },
      h('span', { class: 'visually-hidden', text: t('common.warning') }), text));
}

// What was typed on a page whose saving found the vault locked: kept in this tab's memory
// (never stored) and put back once the vault is open again, as the same account only (the
// one who typed it): passphrases are never kept.
let kept = null;
let account = '';
export function setAccount(name) {
  if (name && account && name !== account) kept = null;
  if (name) account = name;
}
export function keepTyped(form) {
  const values = {};
  for (const el of form.elements) {
    if (!el.name || el.type === 'password' || el.type === 'file') continue;
    if (el.type === 'radio' || el.type === 'checkbox') {
      if (el.checked) (values[el.name] = values[el.name] || []).push(el.value);
    } else {
      values[el.name] = el.value;
    }
  }
  kept = { path: window.location.pathname + window.location.search, values, account };
}

// Puts `values` (name -> text or list of checked values) into the page's form.
function fillForm(form, values) {
  for (const el of form.elements) {
    if (!el.name || !(el.name in values) || el.type === 'password' || el.type === 'file') continue;
    const v = values[el.name];
    if (el.type === 'radio' || el.type === 'checkbox') el.checked = Array.isArray(v) && v.includes(el.value);
    else if (typeof v === 'string') el.value = v;
  }
  filled(form);
}

// After answers are put back into a form: each choice says so as a person's click would
// (bubbling), so that what a choice reveals is shown again; then the form itself.
function filled(form) {
  for (const el of form.querySelectorAll('input[type="radio"], input[type="checkbox"]')) {
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
  form.dispatchEvent(new Event('change'));
}

function valuesOf(form) {
  const values = {};
  for (const el of form.elements) {
    if (!el.name || el.type === 'password' || el.type === 'file') continue;
    if (el.type === 'radio' || el.type === 'checkbox') {
      if (!values[el.name]) values[el.name] = [];
      if (el.checked) values[el.name].push(el.value);
    } else {
      values[el.name] = el.value;
    }
  }
  return values;
}

function keptNotice() {
  $('main').insertBefore(h('div', { class: 'notification', role: 'status' },
    h('p', { class: 'body', text: t('common.kept_typed') })), $('main').firstChild);
}

// --- drafts: what is typed is saved as it is typed (sealed, /api/v1/drafts/place), so that
// a lock, a quick exit or a closed tab loses nothing; opening the app again goes back to
// that page with it.
let draftTimer = 0;
let saveDraftNow = async () => {};

export function stopDraft() {
  clearTimeout(draftTimer);
  draftTimer = 0;
}

// Saves at once what was typed since the last save (the save waits for half a second of
// quiet otherwise), so that the last words before a quick exit, a lock or a closed tab are
// kept too. The page's values are read before this returns, so the page may be emptied
// straight after; the promise settles when the server has them (or could not take them).
export function flushDraft({ keepalive = false } = {}) {
  if (!draftTimer) return Promise.resolve();
  clearTimeout(draftTimer);
  return saveDraftNow({ keepalive });
}

// Whether a form's typing is kept as the draft: not a form with nothing to type but a
// passphrase or a file (unlocking, a confirmation), whose sending must leave the draft of
// the page the person was on for them to come back to.
function drafted(form) {
  return !form.hasAttribute('data-no-draft') && Object.keys(valuesOf(form)).length > 0;
}

export function watchDraft() {
  stopDraft();
  const form = $('main').querySelector('form:not([data-no-draft])');
  if (!form || !drafted(form)) return;
  const path = window.location.pathname + window.location.search;
  saveDraftNow = async (opts) => {
    draftTimer = 0;
    try { await api('PUT', '/api/v1/drafts/place', { path, values: valuesOf(form) }, opts); } catch (e) { /* kept in the page */ }
  };
  const later = () => { clearTimeout(draftTimer); draftTimer = setTimeout(saveDraftNow, 500); };
  form.addEventListener('input', later);
  form.addEventListener('change', later);
}

export async function dropDraft() {
  stopDraft();
  try { await api('DELETE', '/api/v1/drafts/place'); } catch (e) { /* nothing to drop */ }
}

// After opening the vault: back to the page the draft was typed on, with what was typed.
// Returns the path to go to, or '' when this page is the place (then filled in) or there
// is no draft.
export async function resumeDraft() {
  let d;
  try { d = await api('GET', '/api/v1/drafts/place'); } catch (e) { return ''; }
  const here = window.location.pathname + window.location.search;
  if (d.path !== here) return window.location.pathname === '/' ? d.path : '';
  const form = $('main').querySelector('form:not([data-no-draft])');
  if (!form) return '';
  fillForm(form, d.values || {});
  keptNotice();
  return '';
}

export function restoreTyped() {
  if (!kept || kept.path !== window.location.pathname + window.location.search) return false;
  if (kept.account !== account) {
    kept = null;  // typed by someone else, who has since been locked out
    return false;
  }
  const form = $('main').querySelector('form');
  if (!form) return false;
  for (const el of form.elements) {
    if (!el.name || !(el.name in kept.values) || el.type === 'password' || el.type === 'file') continue;
    const v = kept.values[el.name];
    if (el.type === 'radio' || el.type === 'checkbox') el.checked = v.includes(el.value);
    else el.value = v;
  }
  filled(form);
  kept = null;
  $('main').insertBefore(h('div', { class: 'notification', role: 'status' },
    h('p', { class: 'body', text: t('common.kept_typed') })), $('main').firstChild);
  return true;
}


// Sends a form: `save` does the work and goes on; a refusal is shown in the error summary on
// the field it names (fieldMap: server field -> input id), a locked vault keeps what was
// typed and shows the unlock page here, where unlocking brings it back.
export function onSubmit(form, save, fieldMap, fallbackField) {
  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true;
    try {
      clearErrors(form);
      stopDraft();
      const problems = (await save(form)) || [];
      if (problems.length) showErrors(form, problems);
      else if (drafted(form)) dropDraft();  // saved: its draft is done with
    } catch (err) {
      if (err.status === 401) {
        keepTyped(form);
        go(window.location.pathname + window.location.search, { replace: true });
      } else {
        showErrors(form, [problemFromApi(err, fieldMap || {}, fallbackField)]);
      }
    } finally {
      busy = false;
    }
  });
}

// A page that asks before something is removed for good: the question as its heading, what
// goes with it (`body`), an optional warning, a red button and a link back that keeps it.
// `messages` is the catalog prefix of its title, heading, confirm and keep. After `remove`
// the browser goes to `after`, in place of this page so that Back does not return to it.
export function confirmRemoval({ messages, back, body = [], warning, remove, after }) {
  const main = page(`${messages}.title`);
  const f = formOf(h('div', { class: 'button-group' },
    h('button', { type: 'submit', class: 'button warning', text: t(`${messages}.confirm`) }),
    link(back, t(`${messages}.keep`))));
  main.append(backLink(back), heading(t(`${messages}.heading`)), ...body,
    warning ? warningText(warning) : null, f);
  onSubmit(f, async () => {
    await remove();
    go(after, { replace: true });
    return [];
  }, {}, 'page-heading');
  return main;
}
