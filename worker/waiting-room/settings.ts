import type { WaitingRoomConfig } from '../../durable-objects/waiting-room/types';
import type { WaitingRoomSettings } from '../db/schema';

/** What an organizer gets for every waiting-room setting they leave out (API.md). */
export const WAITING_ROOM_DEFAULTS = {
  activeLimit: 500,
  admitPerMinute: 1000,
  admissionMinutes: 15,
  autoThreshold: 200,
  preQueueMinutes: 30,
} as const satisfies Omit<WaitingRoomConfig, 'mode'>;

/** The settings as stored (only what the organizer gave) with every default filled in. */
export function resolveWaitingRoom(settings: WaitingRoomSettings): WaitingRoomConfig {
  return {
    mode: settings.mode,
    activeLimit: settings.activeLimit ?? WAITING_ROOM_DEFAULTS.activeLimit,
    admitPerMinute: settings.admitPerMinute ?? WAITING_ROOM_DEFAULTS.admitPerMinute,
    admissionMinutes: settings.admissionMinutes ?? WAITING_ROOM_DEFAULTS.admissionMinutes,
    autoThreshold: settings.autoThreshold ?? WAITING_ROOM_DEFAULTS.autoThreshold,
    preQueueMinutes: settings.preQueueMinutes ?? WAITING_ROOM_DEFAULTS.preQueueMinutes,
  };
}
