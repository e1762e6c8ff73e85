import { beforeAll, describe, expect, it } from 'vitest';
import { randomToken } from '../worker/domain/ids';
import { createPublishedEvent } from './support/api';
import {
  memberSession,
  postForm,
  signIn,
  signUpWithWorkspace,
  uniqueEmail,
  type Workspace,
  workspaceApiKey,
} from './support/dashboard';
import { settledSnapshot } from './support/db-snapshot';
import { createList } from './support/door';

/**
 * Every dashboard form joins the bad-input table: a clear message at the field, nothing
 * written, never a 500.
 */

let ws: Workspace;
let fresh: string;
let memberId: string;
/** An event of the workspace and one of its check-in lists (the door's forms). */
let eventId: string;
let listId: string;

beforeAll(async () => {
  ws = await signUpWithWorkspace('Bad input');
  fresh = await signIn(uniqueEmail('fresh'));
  memberId = (await memberSession(ws.organizerId, 'door')).memberId;
  const auth = await workspaceApiKey(ws.organizerId);
  eventId = (await createPublishedEvent(auth)).id;
  listId = (await createList(auth, eventId, { name: 'Balcony' })).id;
});

const at = (path: string) =>
  path.replace('MEMBER', memberId).replace('EVENT', eventId).replace('LIST', listId);

const workspace = {
  name: 'Acme',
  slug: `acme-${randomToken(6)}`,
  country: 'DE',
  currency: 'EUR',
  timezone: 'Europe/Berlin',
};

type Row = [string, string, Record<string, string | string[]>, 'fresh' | 'owner', string];
const rows: Row[] = [
  [
    'workspace: empty name',
    '/dashboard/workspaces/new',
    { ...workspace, name: ' ' },
    'fresh',
    'f-name-error',
  ],
  [
    'workspace: slug with spaces',
    '/dashboard/workspaces/new',
    { ...workspace, slug: 'a b' },
    'fresh',
    'f-slug-error',
  ],
  [
    'workspace: country of three letters',
    '/dashboard/workspaces/new',
    { ...workspace, country: 'DEU' },
    'fresh',
    'f-country-error',
  ],
  [
    'workspace: unknown currency',
    '/dashboard/workspaces/new',
    { ...workspace, currency: 'XYZ' },
    'fresh',
    'f-currency-error',
  ],
  [
    'workspace: unknown time zone',
    '/dashboard/workspaces/new',
    { ...workspace, timezone: 'Mars/Base' },
    'fresh',
    'f-timezone-error',
  ],
  ['workspace: nothing sent', '/dashboard/workspaces/new', {}, 'fresh', 'f-name-error'],
  [
    'workspace: unknown field',
    '/dashboard/workspaces/new',
    { ...workspace, organizerId: 'org_x' },
    'fresh',
    'Unknown field',
  ],
  [
    'invite: not an email',
    '/dashboard/team/invite',
    { email: 'nope', role: 'door' },
    'owner',
    'f-email-error',
  ],
  [
    'invite: unknown role',
    '/dashboard/team/invite',
    { email: uniqueEmail(), role: 'king' },
    'owner',
    'f-role-error',
  ],
  [
    'invite: event of nobody',
    '/dashboard/team/invite',
    { email: uniqueEmail(), role: 'door', eventIds: 'evt_nope' },
    'owner',
    'Pick events of this workspace',
  ],
  ['API key: no name', '/dashboard/api-keys', { name: '', role: 'admin' }, 'owner', 'f-name-error'],
  [
    'API key: owner role',
    '/dashboard/api-keys',
    { name: 'k', role: 'owner' },
    'owner',
    'f-role-error',
  ],
  [
    'API key: name too long',
    '/dashboard/api-keys',
    { name: 'x'.repeat(101), role: 'admin' },
    'owner',
    'f-name-error',
  ],
  [
    'role change: unknown role',
    '/dashboard/team/MEMBER/role',
    { role: 'king' },
    'owner',
    'Pick a role',
  ],
  ['sign-in: no email', '/dashboard/sign-in', {}, 'fresh', 'f-email-error'],
  [
    'check-in list: no name',
    '/dashboard/events/EVENT/checkin-lists/new',
    { name: ' ', tickets: 'all' },
    'owner',
    'Enter a name',
  ],
  [
    'check-in list: some types, none chosen',
    '/dashboard/events/EVENT/checkin-lists/new',
    { name: 'VIP', tickets: 'some' },
    'owner',
    'f-ticketTypeIds-error',
  ],
  [
    'check-in list: a type of no event of ours',
    '/dashboard/events/EVENT/checkin-lists/new',
    { name: 'VIP', tickets: 'some', ticketTypeIds: 'tt_nope' },
    'owner',
    'Choose ticket types of this event',
  ],
  [
    'check-in list: closes before it opens',
    '/dashboard/events/EVENT/checkin-lists/new',
    { name: 'Late', tickets: 'all', validFrom: '2027-03-01T20:00', validUntil: '2027-03-01T18:00' },
    'owner',
    'The list must close after it opens',
  ],
  [
    'check-in list: a date that is not one',
    '/dashboard/events/EVENT/checkin-lists/new',
    { name: 'Odd', tickets: 'all', validUntil: '2027-02-30T20:00' },
    'owner',
    'f-validUntil-error',
  ],
  [
    'check-in list: a year out of range',
    '/dashboard/events/EVENT/checkin-lists/new',
    { name: 'Far', tickets: 'all', validFrom: '9999-01-01T10:00' },
    'owner',
    'f-validFrom-error',
  ],
  [
    'check-in list: unknown direction',
    '/dashboard/events/EVENT/checkin-lists/new',
    { name: 'Side', tickets: 'all', direction: 'up' },
    'owner',
    'Choose entry or exit',
  ],
  [
    'check-in list edit: a control character in the gate',
    '/dashboard/events/EVENT/checkin-lists/LIST/edit',
    { name: 'Balcony', tickets: 'all', gate: 'North\u0007' },
    'owner',
    'f-gate-error',
  ],
  [
    'check-in list edit: name too long',
    '/dashboard/events/EVENT/checkin-lists/LIST/edit',
    { name: 'b'.repeat(101), tickets: 'all' },
    'owner',
    'Use at most 100 characters',
  ],
];

describe('dashboard forms refuse bad input', () => {
  for (const [name, path, fields, who, marker] of rows) {
    it(name, async () => {
      const before = await settledSnapshot();
      const res = await postForm(at(path), fields, {
        cookie: who === 'fresh' ? fresh : ws.cookie,
      });
      expect(res.status, res.text.slice(0, 300)).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.text).toContain(marker);
      expect(await settledSnapshot()).toEqual(before);
    });
  }

  it('a taken workspace slug is an error at the field', async () => {
    const slug = `taken-${randomToken(6)}`;
    expect(
      (await postForm('/dashboard/workspaces/new', { ...workspace, slug }, { cookie: fresh }))
        .status,
    ).toBe(303);
    const other = await signIn(uniqueEmail('second'));
    const before = await settledSnapshot();
    const res = await postForm(
      '/dashboard/workspaces/new',
      { ...workspace, slug },
      { cookie: other },
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('Another workspace uses this name');
    expect(await settledSnapshot()).toEqual(before);
  });

  it('unknown ids are 404 pages, never 500', async () => {
    for (const path of [
      '/dashboard/team/mem_nope/remove',
      '/dashboard/api-keys/key_nope/revoke',
      '/dashboard/team/invitations/inv_nope/revoke',
      '/dashboard/events/EVENT/devices/dvc_nope/revoke',
      '/dashboard/events/EVENT/checkin-lists/cl_nope/edit',
      '/dashboard/events/EVENT/checkin-lists/cl_nope/delete',
      '/dashboard/events/EVENT/conflicts/999/review',
      '/dashboard/events/EVENT/conflicts/-1/review',
      '/dashboard/events/evt_nope/checkin-lists/new',
    ]) {
      const res = await postForm(at(path), {}, { cookie: ws.cookie });
      expect(res.status, path).toBe(404);
    }
  });
});
