import { randomToken } from '../../worker/domain/ids';
import { type CreatedEvent, call } from './api';
import { pendingOrder, postWebhook, signedSandboxWebhook, waitForStatus } from './purchase';

/** Helpers for the door's tests: lists, devices, scans. */

type Auth = Record<string, string>;

export interface ListBody {
  id: string;
  name: string;
  isDefault: boolean;
  direction: 'entry' | 'exit';
  checkedIn: number;
  inside: number;
  total: number;
}

export interface ScanBody {
  result: string;
  ticket?: { id: string; holderName: string | null; ticketTypeName: string | null };
  list?: { id: string };
  checkedInAt?: string;
  firstCheckedInAt?: string;
  gate?: string | null;
  device?: { id: string; name: string } | null;
  reentry?: boolean;
}

export const nonce = () => `n_${randomToken(16)}`;
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function createList(auth: Auth, eventId: string, body: Record<string, unknown>) {
  const res = await call<ListBody>('POST', `/api/v1/organizer/events/${eventId}/checkin-lists`, {
    headers: auth,
    body,
  });
  if (res.status !== 201) throw new Error(`list: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function lists(auth: Auth, eventId: string): Promise<ListBody[]> {
  const res = await call<{ data: ListBody[] }>(
    'GET',
    `/api/v1/organizer/events/${eventId}/checkin-lists`,
    { headers: auth },
  );
  if (res.status !== 200) throw new Error(`lists: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

export async function createDevice(
  auth: Auth,
  eventId: string,
  body: Record<string, unknown> = { name: `Door ${randomToken(4)}` },
) {
  const res = await call<{ id: string; token: string; pairingUrl: string }>(
    'POST',
    `/api/v1/organizer/events/${eventId}/devices`,
    { headers: auth, body },
  );
  if (res.status !== 201) throw new Error(`device: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...res.body, auth: bearer(res.body.token) };
}

export function checkin(auth: Auth, body: Record<string, unknown>) {
  return call<ScanBody>('POST', '/api/v1/checkin', { headers: auth, body });
}

export function doorScan(device: Auth, body: Record<string, unknown>) {
  return call<ScanBody>('POST', '/api/v1/door/scan', {
    headers: device,
    body: { nonce: nonce(), ...body },
  });
}

export interface SyncBody {
  results: { nonce: string; outcome: string; conflictWith?: { deviceId: string } }[];
  recorded: number;
  replayed: number;
}

export function sync(device: Auth, scans: Record<string, unknown>[]) {
  return call<SyncBody>('POST', '/api/v1/door/sync', { headers: device, body: { scans } });
}

/** Paid tickets of one type, without waiting for the confirmation mail. */
export async function paidTickets(event: CreatedEvent, key: string, quantity: number) {
  const order = await pendingOrder(event, key, quantity);
  await postWebhook(await signedSandboxWebhook(order.payment.paymentId, 'succeed'));
  const paid = await waitForStatus(order.orderId, order.orderToken, 'paid');
  return { orderId: order.orderId, tickets: paid.tickets };
}
