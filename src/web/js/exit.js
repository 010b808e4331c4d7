// Quick exit, after GOV.UK's "Exit this page": the button at the top, or Shift pressed three
// times (each within 5 seconds of the last, counted aloud for screen readers). The page is
// covered at once, its content removed, and the browser goes to the app's own /exit, which
// locks the vault, wipes its keys and sends the browser on to a neutral site. location
// .replace keeps this page out of the history, so Back cannot bring it back.
import { t } from './i18n.js';
import { $ } from './dom.js';
import { flushDraft } from './view.js';

// How long leaving may wait for the last typing to be saved (it takes milliseconds on the
// same machine); the page is already covered.
const kFlushWaitMs = 1000;

const kWindowMs = 5000;
let presses = 0;
let timer = 0;

export function quickExit(event) {
  if (event) event.preventDefault();
  const saved = flushDraft({ keepalive: true });  // reads the page before it is emptied
  const overlay = $('exit-overlay');
  overlay.hidden = false;
  document.title = t('exit.tab_title');
  $('main').replaceChildren();
  const leave = () => window.location.replace('/exit');
  Promise.race([saved, new Promise((resolve) => { setTimeout(resolve, kFlushWaitMs); })]).then(leave, leave);
}

function announce(text) {
  $('announce').textContent = text;
}

// A press of Shift counts when it is let go without another key pressed meanwhile: Shift
// used for a capital letter or held for Shift+Tab (moving back through a page) is not a
// press, so a keyboard user going back three stops does not leave by accident.
let shiftDown = false;
let shiftWithOther = false;

function onKeyDown(e) {
  if (e.key === 'Shift') {
    if (!e.repeat) {
      shiftDown = true;
      shiftWithOther = false;
    }
  } else if (shiftDown || e.shiftKey) {
    shiftWithOther = true;
  }
}

function onKeyUp(e) {
  if (e.key !== 'Shift') return;
  const counted = shiftDown && !shiftWithOther;
  shiftDown = false;
  shiftWithOther = false;
  if (!counted) return;
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
  document.addEventListener('keydown', onKeyDown);
  document.addEventListener('keyup', onKeyUp);
  // A page brought back from the back-forward cache shows nothing until it is drawn again
  // from the server, which finds the vault locked.
  // A tab closed, or the browser sent elsewhere, half a second after the last key.
  window.addEventListener('pagehide', () => { flushDraft({ keepalive: true }); });
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) {
      $('main').replaceChildren();
      window.location.reload();
    }
  });
}
