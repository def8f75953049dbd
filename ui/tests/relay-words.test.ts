import { describe, expect, it } from 'vitest';
import type { ActivityLine } from '../src/lib/bindings/ActivityLine';
import { format } from '../src/lib/i18n/i18n.svelte';
import { activitySentence, clockWords, interfaceLabel } from '../src/lib/relay-words';

// 14:05 local time on a fixed day, and "now" later that day.
const AT = new Date(2026, 11, 6, 14, 5).getTime();
const NOW = new Date(2026, 11, 6, 18, 0).getTime();
const HHMM = new Date(AT).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

const line = (over: Partial<ActivityLine>): ActivityLine => ({
  at: AT,
  action: 'reveal',
  subject: { kind: 'other' },
  fromIp: '10.77.0.4',
  ...over,
});

describe('relay words', () => {
  it("names the user's own secret by its label", () => {
    const own = line({ subject: { kind: 'own', entryId: 'e1', label: 'VPN password for Sam' } });
    expect(activitySentence(own, NOW)).toBe(`VPN password for Sam — opened from 10.77.0.4, ${HHMM}`);
  });

  it("names a colleague's secret by the token's name", () => {
    const theirs = line({ action: 'create', subject: { kind: 'colleague', tokenName: 'Sam' } });
    expect(activitySentence(theirs, NOW)).toBe(
      `${format('en', 'activity.colleague', { name: 'Sam' })} — ${format('en', 'activity.create')} from 10.77.0.4, ${HHMM}`,
    );
  });

  it('leaves out the address where there is none (the sweeper, the app itself)', () => {
    expect(activitySentence(line({ action: 'expire', fromIp: null }), NOW)).toBe(
      `${format('en', 'activity.someone')} — ${format('en', 'activity.expire')}, ${HHMM}`,
    );
  });

  it('says the day for lines before today', () => {
    const yesterday = NOW + 24 * 3600 * 1000;
    expect(clockWords(AT, yesterday)).toBe(`yesterday ${HHMM}`);
    expect(clockWords(AT, NOW)).toBe(HHMM);
  });

  it('names networks for a person', () => {
    expect(interfaceLabel({ name: 'wlp2s0', address: '192.168.1.20', kind: 'wifi', isDefault: true })).toBe(
      'Wi-Fi (wlp2s0) — 192.168.1.20 · recommended',
    );
    expect(interfaceLabel({ name: 'wg0', address: '10.8.0.2', kind: 'vpn', isDefault: false })).toBe('VPN (wg0) — 10.8.0.2');
    expect(interfaceLabel({ name: 'veth-relay', address: '10.77.0.2', kind: 'virtual', isDefault: false })).toBe(
      'Virtual network (veth-relay) — 10.77.0.2',
    );
    expect(interfaceLabel({ name: 'lo', address: '127.0.0.1', kind: 'loopback', isDefault: false })).toBe('This computer only');
  });
});
