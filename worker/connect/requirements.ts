/**
 * Stripe's requirement names (`individual.verification.document`, `external_account`, ...)
 * and disabled reasons in words an organizer understands. Names we have no words for are
 * shown as Stripe spells them, so nothing is hidden.
 */

const PHRASES: [RegExp, string][] = [
  [/^external_account$/, 'a bank account for payouts'],
  [/^tos_acceptance\./, 'acceptance of Stripe’s terms'],
  [/^business_type$/, 'the type of business'],
  [/^business_profile\.(mcc|product_description)$/, 'what the business sells'],
  [/^business_profile\.url$/, 'the business website'],
  [/^business_profile\.support_/, 'support contact details'],
  [/^(individual|representative)\.verification\.(additional_)?document/, 'an identity document'],
  [/^(individual|representative)\.(first|last)_name$/, 'the legal name'],
  [/^(individual|representative)\.dob\./, 'the date of birth'],
  [/^(individual|representative)\.address\./, 'the home address'],
  [/^(individual|representative)\.(id_number|ssn_last_4)$/, 'an ID number'],
  [/^(individual|representative)\.email$/, 'an email address'],
  [/^(individual|representative)\.phone$/, 'a phone number'],
  [/^(individual|representative)\.relationship\./, 'the representative’s role'],
  [/^company\.verification\.document/, 'a company registration document'],
  [/^company\./, 'company details'],
  [/^(owners|directors|executives)\./, 'details of owners and directors'],
  [/^settings\.payments\.statement_descriptor/, 'a statement descriptor'],
];

/** Each requirement once, in words, in the order given (past due first when the caller says). */
export function describeRequirements(names: readonly string[]): string[] {
  const words = names.map((name) => PHRASES.find(([pattern]) => pattern.test(name))?.[1] ?? name);
  return [...new Set(words)];
}

const REASONS: Record<string, string> = {
  'requirements.past_due': 'Stripe paused the account: information is overdue',
  'requirements.pending_verification': 'Stripe is verifying the details given',
  under_review: 'Stripe is reviewing the account',
  listed: 'Stripe is reviewing the account',
  platform_paused: 'the platform paused the account',
  'rejected.fraud': 'Stripe rejected the account',
  'rejected.terms_of_service': 'Stripe rejected the account',
  'rejected.listed': 'Stripe rejected the account',
  'rejected.other': 'Stripe rejected the account',
  other: 'Stripe disabled the account',
};

/** Stripe's `requirements.disabled_reason` in words. */
export function describeDisabledReason(reason: string): string {
  return REASONS[reason] ?? `Stripe disabled the account (${reason})`;
}
