/**
 * A module's standing in words, in the same terms and figures as the progress
 * dashboard (show_progress), so the side panel and the notebook never disagree.
 */
import { IAssessment, IModuleStatus } from './api';

/**
 * A share as a whole percentage, rounded as Python's `{:.0%}` rounds it (halves to even),
 * so a figure never differs by one from the notebook's.
 */
export function percent(share: number): string {
  const scaled = share * 100;
  const floor = Math.floor(scaled);
  const rest = scaled - floor;
  const whole = rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  return `${whole}%`;
}

/** The practice line, word for word as show_progress writes it. */
export function practiceWords(status: IModuleStatus): string {
  const p = status.practice;
  if (!status.started) {
    return 'Not started.';
  }
  const done = p.finished ? `all ${p.items} items finished` : `${p.done} of ${p.items} items finished`;
  const answered =
    p.answered === p.questions ? 'every question answered' : `${p.answered} of ${p.questions} questions answered`;
  return `Practice: ${done}; ${percent(p.mastery)} on your latest answers (${answered}).`;
}

export function assessmentWords(a: IAssessment | null): string | null {
  if (a === null) {
    return null;
  }
  if (!a.complete) {
    return `Assessment: ${a.done} of ${a.items} items answered; not finished`;
  }
  const score = `${percent(a.score)} (pass mark ${percent(a.pass_mark)})`;
  return a.passed ? `Assessment passed: ${score}` : `Assessment not passed: ${score}`;
}

/** A short state for the launcher card's caption and the panel's badge. */
export function shortState(status: IModuleStatus): string {
  if (status.certificate) {
    return 'Certificate issued';
  }
  if (status.assessment?.passed) {
    return 'Passed';
  }
  if (!status.started) {
    return 'Not started';
  }
  const p = status.practice;
  return p.finished ? 'Practice finished' : `In practice: ${p.done} of ${p.items}`;
}

/** How full the ring is drawn: the share of practice items finished. */
export function ringShare(status: IModuleStatus | undefined): number {
  if (!status || status.practice.items === 0) {
    return 0;
  }
  return status.practice.done / status.practice.items;
}
