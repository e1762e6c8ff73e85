import type { QueueView } from '../waiting-room/view';
import { formatClock, formatInstant } from './format';
import { inlineScript } from './inline-code';
import { Layout } from './layout';
import { EventHeader, type EventHeading } from './parts';

/** Where a waiting buyer stands: the API's queue view, as much of it as the page shows. */
export type WaitingView = Pick<
  QueueView,
  | 'phase'
  | 'position'
  | 'peopleAhead'
  | 'etaSeconds'
  | 'pollAfterSeconds'
  | 'progress'
  | 'salesStartAt'
>;

/** The page's sentences; the status JSON sends the same ones so the script only swaps text. */
export interface WaitingWords {
  live: string;
  ahead: string;
  eta: string;
}

const NUMBER = new Intl.NumberFormat('en');
const DAY_MS = 24 * 60 * 60 * 1000;

/** An estimated wait for people: "less than a minute", "about 3 minutes", "about 1 hour 20 minutes". */
export function waitWords(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return 'not known yet';
  if (seconds < 60) return 'less than a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return minutes === 1 ? 'about 1 minute' : `about ${minutes} minutes`;
  // Past an hour, to the nearest ten minutes: nobody needs "2 hours 37 minutes".
  const rounded = Math.round(minutes / 10) * 10;
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  const hourWords = hours === 1 ? '1 hour' : `${hours} hours`;
  return rest === 0 ? `about ${hourWords}` : `about ${hourWords} ${rest} minutes`;
}

/** When sales open, in the event's time zone: the time alone when it is within a day. */
export function salesOpenWords(salesStartAt: string, timezone: string, now: number): string {
  return Date.parse(salesStartAt) - now < DAY_MS
    ? formatClock(salesStartAt, timezone)
    : formatInstant(salesStartAt, timezone);
}

/** How far along the bar is, in whole percent. */
export function progressPercent(view: WaitingView): number {
  return Math.round(Math.min(1, Math.max(0, view.progress)) * 100);
}

/** The sentences for a view: the live region, the people ahead, the wait. */
export function waitingWords(view: WaitingView): WaitingWords {
  if (view.phase === 'pre_queue') {
    return {
      live: 'You are in the waiting room. Your place in line is drawn when sales open.',
      ahead: 'Everyone who arrives before then has the same chance.',
      eta: `Sales open in ${waitWords(view.etaSeconds)}.`,
    };
  }
  const ahead = view.peopleAhead ?? 0;
  return {
    live: `You are number ${NUMBER.format(view.position ?? ahead + 1)} in line.`,
    ahead:
      ahead === 0
        ? 'You are next.'
        : `${NUMBER.format(ahead)} ${ahead === 1 ? 'person is' : 'people are'} ahead of you.`,
    eta: `Estimated wait: ${waitWords(view.etaSeconds)}`,
  };
}

/**
 * Progressive enhancement: polls the page's status JSON instead of reloading, swaps the
 * sentences and the bar, follows `next` once admitted, and reloads when the phase changes or
 * a poll fails (the server then decides). Constant code that reads its data from the page,
 * so emitting it raw is safe; the meta refresh sits in <noscript> for browsers without it.
 */
const POLL = inlineScript(
  `(function(){var d=document,r=d.getElementById('wr');if(!r||!window.fetch)return;` +
    `function set(i,t){var e=d.getElementById(i);if(e&&typeof t==='string')e.textContent=t}` +
    `function poll(s){setTimeout(function(){fetch(r.getAttribute('data-status'),{credentials:'same-origin',headers:{accept:'application/json'}})` +
    `.then(function(x){if(!x.ok)throw x;return x.json()}).then(function(v){if(v.next){location.replace(v.next);return}` +
    `if(v.phase!==r.getAttribute('data-phase')){location.reload();return}` +
    `set('wr-live',v.live);set('wr-ahead',v.ahead);set('wr-eta',v.eta);var p=d.getElementById('wr-progress');` +
    `if(p){p.value=v.percent;p.textContent=v.percent+'%'}poll(v.pollAfterSeconds)})['catch'](function(){location.reload()})},s*1e3)}` +
    `poll(+r.getAttribute('data-poll')||5)})()`,
);

/** Props of the waiting page. */
export interface WaitingPageProps {
  event: EventHeading & { slug: string };
  view: WaitingView;
  now: number;
}

/**
 * The waiting room: where the buyer stands, how long it may take, and a bar that fills on the
 * way to the front. Reloads itself (meta refresh without JS, a small poll with it) and goes
 * on to ticket selection once the buyer is admitted.
 */
export function WaitingPage(props: WaitingPageProps) {
  const { event, view } = props;
  const words = waitingWords(view);
  const percent = progressPercent(view);
  return (
    <Layout
      title={`Waiting room: ${event.title}`}
      refreshSeconds={view.pollAfterSeconds}
      refreshIsFallback
      noindex
    >
      <EventHeader event={event} level="h2" />
      <h1>You are in the waiting room</h1>
      <div
        id="wr"
        class="card"
        data-status={`/e/${event.slug}/queue/status.json`}
        data-poll={String(view.pollAfterSeconds)}
        data-phase={view.phase}
      >
        <p id="wr-live" class="big" role="status" aria-live="polite" aria-atomic="true">
          {words.live}
        </p>
        <p id="wr-ahead">{words.ahead}</p>
        {view.phase !== 'pre_queue' ? (
          <>
            <label for="wr-progress" class="small">
              Your way to the front
            </label>
            <progress id="wr-progress" max="100" value={String(percent)}>
              {percent}%
            </progress>
          </>
        ) : null}
        <p id="wr-eta" class="muted">
          {words.eta}
        </p>
      </div>
      {view.phase === 'pre_queue' && view.salesStartAt ? (
        <p>
          Sales open at{' '}
          <time datetime={view.salesStartAt}>
            {salesOpenWords(view.salesStartAt, event.timezone, props.now)}
          </time>
          ; the order is drawn at random then, so arriving earlier gives no advantage.
        </p>
      ) : null}
      <p class="muted small">
        Keep this page open: it updates by itself and takes you to the tickets as soon as it is your
        turn. Reloading it does not cost you your place.
      </p>
      <script>{POLL}</script>
    </Layout>
  );
}
