// Interview pages drawn from a form definition (forms/*.json, served by /api/v1/forms/{id}):
// one step per page, the step's title as the heading, each field by its type, "(optional)"
// on what may be skipped, and a choice's follow-up question revealed under the choice it
// depends on. The answers are read back into the shapes the form expects; the server
// checks them as the letter does.
import { h } from '../dom.js';
import { t, need } from '../i18n.js';
import {
  textField, textArea, radios, checkboxes, longDate, onSubmit, go, refusalFor,
} from '../view.js';

await need('interview');

const optionalSuffix = () => t('common.optional');

function labelOf(field) {
  const label = field.label || field.id;
  // A field needed only with some other answers says when in its help, not "(optional)".
  if (field.required || field.required_if || label.endsWith(optionalSuffix())) return label;
  return `${label} ${optionalSuffix()}`;
}

function addressText(v) {
  if (!v) return '';
  if (typeof v === 'string') return v;
  return ['line1', 'line2', 'city', 'region', 'postal_code', 'country'].map((k) => v[k]).filter(Boolean).join('\n');
}

// For a question that may be left unanswered: a choice that leaves (or takes back) the
// answer, so that a choice once made can be undone.
function notSure(field) {
  return field.required || field.required_if ? [] : [{ value: '', label: t('interview.not_sure') }];
}

// One part of a person answer. A part the letter needs (always, or with some other answers:
// the form's "parts") has no "(optional)" and says why in its hint; the name is always asked.
function personPart(field, part, value) {
  const rule = (field.parts || {})[part];
  const id = `${field.id}-${part}`;
  const opts = { id, name: id, label: t(`interview.person_${part}`), value,
    optional: part !== 'name' && !(rule && (rule.required || rule.required_if)),
    hint: rule && rule.help ? rule.help : undefined };
  if (part === 'address') return textArea({ ...opts, rows: 3 });
  const kind = { name: ['text', 'l'], relationship: ['text', 'l'], email: ['email', 'l'], phone: ['tel', 'm'] }[part];
  return textField({ ...opts, type: kind[0], width: kind[1] });
}

// One field as controls. Ids are the field's id (and -start/-end, -name... for parts).
// `asHeading`: the only question on its page, whose label or legend is the page's heading.
function control(field, value, asHeading = false) {
  const id = field.id;
  const common = { id, name: id, label: field.label, hint: field.help || undefined, optional: false, asHeading };
  const label = labelOf(field);
  switch (field.type) {
    case 'long_text':
      return textArea({ ...common, label, value: value || '', rows: 5 });
    case 'date':
      return textField({ ...common, label, type: 'date', value: value || '' });
    case 'approximate_date':
      return textField({ ...common, label, value: value && typeof value === 'object' ? value.text || '' : value || '', width: 'm' });
    case 'address':
      return textArea({ ...common, label, value: addressText(value), rows: 4 });
    case 'choice':
      return radios({ id, name: id, legend: label, hint: field.help || undefined, asHeading, value: value || '',
        options: field.options.map((o) => ({ value: o.value, label: o.label })).concat(notSure(field)) });
    case 'yes_no':
      return radios({ id, name: id, legend: label, hint: field.help || undefined, asHeading,
        value: value === true ? 'yes' : value === false ? 'no' : '',
        options: [{ value: 'yes', label: t('common.yes') }, { value: 'no', label: t('common.no') }, ...notSure(field)] });
    case 'multi_choice':
      return checkboxes({ id, name: id, legend: label, hint: field.help || undefined, asHeading, values: Array.isArray(value) ? value : [],
        options: field.options.map((o) => ({ value: o.value, label: o.label })) });
    case 'date_range': {
      const v = value || {};
      return h('div', { class: 'form-group', 'data-group-for': `${id}-start` },
        h('fieldset', { class: 'fieldset', 'aria-describedby': field.help ? `${id}-hint` : undefined },
          asHeading ? h('legend', { class: 'legend legend-l' }, h('h1', { class: 'legend-heading', text: label }))
            : h('legend', { class: 'legend', text: label }),
          field.help ? h('div', { class: 'hint', id: `${id}-hint`, text: field.help }) : null,
          textField({ id: `${id}-start`, name: `${id}-start`, label: t('interview.range_start'), type: 'date', value: v.start || '' }),
          textField({ id: `${id}-end`, name: `${id}-end`, label: t('interview.range_end'), type: 'date', value: v.end || '' })));
    }
    case 'person': {
      const v = value || {};
      return h('div', { class: 'form-group', 'data-group-for': `${id}-name` },
        h('fieldset', { class: 'fieldset', 'aria-describedby': field.help ? `${id}-hint` : undefined },
          h('legend', { class: 'legend', text: label }),
          field.help ? h('div', { class: 'hint', id: `${id}-hint`, text: field.help }) : null,
          ...['name', 'relationship', 'address', 'email', 'phone'].map((part) => personPart(field, part, v[part] || ''))));
    }
    default:
      return textField({ ...common, label, value: typeof value === 'string' ? value : '', width: 'l' });
  }
}

// Whether a step asks one question only: its label or legend is then the page's heading
// (stepControls draws it so), and the step's title heads it on the check page only.
export function oneQuestion(step) {
  return step.fields.length === 1 && !['file', 'person'].includes(step.fields[0].type);
}

// The controls of a step. Fields whose show_if is "this choice on this page equals X" are
// drawn under that choice, and those for several of its choices ("in") after the group,
// each revealed as the choice is made; other fields are drawn when the server says they are
// shown for the answers so far (`shown`, their ids), or always when the form has none. The
// server decides which answers are used: a hidden one is not.
export function stepControls(step, answers, shown = null) {
  if (oneQuestion(step)) return [control(step.fields[0], answers[step.fields[0].id], true)];
  const nested = new Map();  // choice field id -> [{ value, field }]
  const after = new Map();   // choice field id -> [{ values, field }]: shown for several choices
  const onPage = new Set(step.fields.map((f) => f.id));
  for (const f of step.fields) {
    const c = f.show_if;
    const owner = c && c.field && onPage.has(c.field) ? step.fields.find((x) => x.id === c.field) : null;
    if (!owner || owner.type !== 'choice') continue;
    if ('equals' in c) {
      if (!nested.has(owner.id)) nested.set(owner.id, []);
      nested.get(owner.id).push({ value: String(c.equals), field: f });
    } else if (Array.isArray(c.in)) {
      if (!after.has(owner.id)) after.set(owner.id, []);
      after.get(owner.id).push({ values: c.in.map(String), field: f });
    }
  }
  const inner = new Set([...nested.values(), ...after.values()].flat().map((n) => n.field.id));
  const out = [];
  for (const f of step.fields) {
    if (inner.has(f.id) || f.type === 'file') continue;
    if (shown && !shown.has(f.id)) continue;
    if (f.type === 'choice') {
      const deps = nested.get(f.id) || [];
      const group = radios({ id: f.id, name: f.id, legend: labelOf(f), hint: f.help || undefined, value: answers[f.id] || '',
        options: f.options.map((o) => {
          const revealed = deps.filter((d) => d.value === o.value).map((d) => control(d.field, answers[d.field.id]));
          return { value: o.value, label: o.label, conditional: revealed.length ? h('div', {}, revealed) : undefined };
        }).concat(notSure(f)) });
      out.push(group);
      // A question for several of the choices follows the group, shown while one of them is
      // chosen (the server still decides what is asked: a hidden answer is not used).
      for (const dep of after.get(f.id) || []) {
        const box = h('div', { class: 'conditional-after' }, control(dep.field, answers[dep.field.id]));
        const sync = () => {
          const chosen = group.querySelector(`input[name="${f.id}"]:checked`);
          box.hidden = !(chosen && dep.values.includes(chosen.value));
        };
        group.addEventListener('change', sync);
        sync();
        out.push(box);
      }
    } else {
      out.push(control(f, answers[f.id]));
    }
  }
  return out;
}

function text(form, name) {
  const el = form.elements[name];
  if (!el) return undefined;
  if (el instanceof RadioNodeList) return el.value || '';
  return el.value;
}

// The step's answers as the form expects them; a field the page did not show is not sent
// (its saved answer stays), one shown and left empty is sent as "" (cleared).
export function readStep(form, step) {
  const out = {};
  for (const f of step.fields) {
    const id = f.id;
    switch (f.type) {
      case 'yes_no': {
        const v = text(form, id);
        if (v !== undefined) out[id] = v === 'yes' ? true : v === 'no' ? false : '';
        break;
      }
      case 'multi_choice':
        if (form.querySelector(`input[name="${id}"]`)) out[id] = [...form.querySelectorAll(`input[name="${id}"]:checked`)].map((i) => i.value);
        break;
      case 'date_range': {
        const s = text(form, `${id}-start`);
        const e = text(form, `${id}-end`);
        if (s !== undefined) out[id] = s || e ? { start: s, end: e } : '';
        break;
      }
      case 'person': {
        const name = text(form, `${id}-name`);
        if (name === undefined) break;
        const p = {};
        for (const part of ['name', 'relationship', 'address', 'email', 'phone']) {
          const v = (text(form, `${id}-${part}`) || '').trim();
          if (v) p[part] = v;
        }
        out[id] = Object.keys(p).length ? p : '';
        break;
      }
      case 'address': {
        const v = text(form, id);
        if (v !== undefined) {
          const lines = v.split('\n').map((l) => l.trim()).filter(Boolean);
          out[id] = lines.length ? { line1: lines.join(', ') } : '';
        }
        break;
      }
      case 'approximate_date': {
        const v = text(form, id);
        if (v !== undefined) out[id] = v.trim() ? { text: v.trim() } : '';
        break;
      }
      default: {
        const v = text(form, id);
        if (v !== undefined) out[id] = f.type === 'long_text' ? v : v.trim();
      }
    }
  }
  return out;
}

// An answer as a person reads it on the check page.
export function answerText(field, v) {
  if (v === undefined || v === null || v === '') return '';
  switch (field.type) {
    case 'yes_no': return v === true ? t('common.yes') : v === false ? t('common.no') : String(v);
    case 'choice': { const o = field.options.find((x) => x.value === v); return o ? o.label : String(v); }
    case 'multi_choice': return (Array.isArray(v) ? v : []).map((x) => (field.options.find((o) => o.value === x) || { label: x }).label).join(', ');
    case 'date_range': return v.start || v.end ? t('interview.range_text', { start: v.start ? longDate(v.start) : '?', end: v.end ? longDate(v.end) : '?' }) : '';
    case 'date': return longDate(String(v));
    case 'address': return addressText(v).split('\n');
    case 'approximate_date': return typeof v === 'object' ? v.text || '' : String(v);
    case 'person': return ['name', 'relationship', 'address', 'email', 'phone'].map((k) => v[k]).filter(Boolean);
    default: return String(v);
  }
}

// The field a server refusal names ("date_range.end" -> its input).
export function inputFor(step, fieldName) {
  const [id, part] = fieldName.split('.');
  const f = step.fields.find((x) => x.id === id);
  if (!f) return '';
  if (f.type === 'date_range') return `${id}-${part === 'end' ? 'end' : 'start'}`;
  if (f.type === 'person') return `${id}-${part || 'name'}`;
  return id;
}

// Saves a step when its form is sent. `save(answers)` sends the step's answers and resolves
// to what the interview is afterwards; a refusal about one of the step's questions is shown
// on that question. Then the browser goes to the next step shown after it (`shownAfter`
// of the saved interview; `stepPath(id)` is its address), or to `checkPath` after the last
// step, or when the person came from the check page (`returning`).
export function submitStep(f, st, { save, shownAfter, stepPath, checkPath, returning }) {
  onSubmit(f, async () => {
    let saved;
    try {
      saved = await save(readStep(f, st));
    } catch (err) {
      if (err.status === 400 && err.field) {
        const input = inputFor(st, err.field) || st.fields[0].id;
        return [{ field: input, text: refusalFor(err, input) }];
      }
      throw err;
    }
    const now = shownAfter(saved);
    const i = now.findIndex((s) => s.id === st.id);
    go(returning || i < 0 || i === now.length - 1 ? checkPath : stepPath(now[i + 1].id));
    return [];
  }, {}, st.fields[0].id);
}
