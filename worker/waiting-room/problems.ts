import type {
  AdmissionFailure,
  ClaimResult,
  JoinResult,
} from '../../durable-objects/waiting-room/types';
import { type AppError, notFound, problem, unauthorized } from '../domain/errors';
import type { TokenRefusal } from './view';

/** The waiting room's refusals as the API's problems (API.md "Waiting room"). */

const TOKEN_DETAIL: Record<Exclude<TokenRefusal, 'missing'>, string> = {
  malformed: 'The token is not a Tessera waiting-room token.',
  invalid: 'The token is not valid (tampered with, or of another kind).',
  expired: 'The token has expired.',
  other_event: 'The token belongs to another event.',
};

/** A queue token that can not be used: 401, with why. */
export function queueTokenProblem(reason: TokenRefusal): AppError {
  if (reason === 'missing') {
    return unauthorized('Send the queue token as `Authorization: Bearer <queueToken>`.');
  }
  return problem('invalid_token', TOKEN_DETAIL[reason], {
    reason,
  });
}

/** Why the DO refused a join. */
export function joinProblem(result: Exclude<JoinResult, { ok: true }>): AppError {
  switch (result.code) {
    case 'not_found':
      return notFound('event');
    case 'waiting_room_off':
      return problem(
        'waiting_room_off',
        'This event has no waiting room: choose tickets right away.',
      );
    case 'queue_not_open':
      return problem('queue_not_open', `The waiting room opens at ${result.opensAt}.`, {
        opensAt: result.opensAt,
      });
    case 'not_on_sale':
      if (result.reason === 'draft') return notFound('event'); // drafts do not exist for buyers
      return problem('not_on_sale', `Tickets for this event are not on sale (${result.reason}).`, {
        reason: result.reason,
      });
  }
}

/** An admission the buyer can no longer use (order paid, hold ended, or lapsed unused). */
export function admissionEnded(reason: 'used' | 'lapsed'): AppError {
  const detail =
    reason === 'used'
      ? 'This admission has been used. Join the waiting room again to buy more.'
      : 'This admission lapsed before it was used. Join the waiting room again.';
  return problem('admission_ended', detail, { reason });
}

/** Why a claim failed, for answers that can only say "admitted" or refuse. */
export function claimProblem(
  result: Exclude<ClaimResult, { ok: true } | { code: 'not_yet_admitted' }>,
): AppError {
  return result.code === 'not_found' ? notFound('event') : admissionEnded(result.reason);
}

/**
 * The DO's admission refusal for a hold. `refusal` says what was wrong with the
 * `Tessera-Admission` header when one was sent but could not be used.
 */
export function admissionProblem(result: AdmissionFailure, refusal?: TokenRefusal): AppError {
  switch (result.code) {
    case 'admission_required': {
      const why =
        refusal && refusal !== 'missing'
          ? `The Tessera-Admission header was refused: ${TOKEN_DETAIL[refusal]}`
          : 'Join the waiting room first; send the admission token as `Tessera-Admission`.';
      return problem(
        'admission_required',
        `The waiting room is active for this event. ${why}`,
        refusal ? { reason: refusal } : {},
      );
    }
    case 'admission_ended':
      return admissionEnded(result.reason);
    case 'admission_in_use':
      return problem(
        'admission_in_use',
        'This admission already holds tickets: finish or release that hold first.',
        { holdId: result.holdId },
      );
  }
}
