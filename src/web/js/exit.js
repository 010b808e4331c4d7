// Quick exit, after GOV.UK's "Exit this page": the button at the top, or Shift pressed three
// times (each within 5 seconds of the last, counted aloud for screen readers). The page is
// covered at once, its content removed, and the browser goes to the app's own /exit, which
// locks the vault, wipes its keys and sends the browser on to a neutral site. location
// .replace keeps this page out of the history, so Back cannot bring it back.
import { t } from './i18n.js';
import { $ } from './dom.js';

const kWindowMs = 5000;
let presses = 0;
let timer = 0;

export function quickExit(event) {
  if (event) event.preventDefault();
  const overlay = $('exit-overlay');
  overlay.hidden = false;
  document.title = t('exit.tab_title');
  $('main').replaceChildren();
  window.location.replace('/exit');
}

function announce(text) {
  $('announce').textContent = text;
}

function onKey(e) {
  if (e.key !== 'Shift' || e.repeat) return;
  presses += 1;
  clearTimeout(timer);
  if (presses >= 3) {
    presses = 0;
    quickExit();
    return;
  }
  announce(t(presses === 1 ? 'exit.shift_two_more' : 'exit.shift_one_more'));
  timer = setTimeout(() => {
    presses = 0;
    announce(t('exit.shift_expired'));
  }, kWindowMs);
}

export function installQuickExit() {
  $('quick-exit').addEventListener('click', quickExit);
  document.addEventListener('keydown', onKey);
  // A page brought back from the back-forward cache shows nothing until it is drawn again
  // from the server, which finds the vault locked.
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) {
      $('main').replaceChildren();
      window.location.reload();
    }
  });
}
