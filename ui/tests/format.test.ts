import { describe, expect, it } from 'vitest';
import type { Profile } from '../src/lib/bindings/Profile';
import {
  EXPIRY_PRESETS,
  expiryChoices,
  maxTtlFor,
  parseRecipients,
  strengthOf,
  svgDataUrl,
  timeLeftWords,
} from '../src/lib/format';

const DAY = 86400;
const hosted: Profile = {
  id: 'eu', name: 'EU', baseUrl: 'https://eu.onetimesecret.com/', username: null,
  kind: 'hosted', hushlinkRelay: false, hasToken: false, isDefault: true,
};

describe('expiry presets', () => {
  it('offers only what the server accepts and keeps the wanted preset', () => {
    const { choices, pick } = expiryChoices(7 * DAY, DAY);
    expect(choices.map((c) => c.label)).toEqual(['5 minutes', '15 minutes', '1 hour', '1 day', '2 days', '7 days']);
    expect(pick).toBe(DAY);
  });

  it('falls back to the longest allowed preset when the default is too long', () => {
    expect(expiryChoices(7 * DAY, 14 * DAY).pick).toBe(7 * DAY);
  });

  it('rounds a non-preset default down to a preset', () => {
    expect(expiryChoices(14 * DAY, 3 * DAY).pick).toBe(2 * DAY);
  });

  it('derives the maximum from the profile', () => {
    expect(maxTtlFor(hosted)).toBe(7 * DAY);
    expect(maxTtlFor({ ...hosted, hasToken: true })).toBe(14 * DAY);
    expect(maxTtlFor({ ...hosted, kind: 'custom' })).toBe(7 * DAY);
    expect(maxTtlFor({ ...hosted, kind: 'localRelay', hushlinkRelay: true })).toBe(14 * DAY);
    expect(EXPIRY_PRESETS.at(-1)?.seconds).toBe(14 * DAY);
  });
});

describe('words', () => {
  it('says time left coarsely', () => {
    expect(timeLeftWords(30_000)).toBe('less than a minute');
    expect(timeLeftWords(60_000)).toBe('1 minute');
    expect(timeLeftWords(5 * 3_600_000 + 1)).toBe('5 hours');
    expect(timeLeftWords(3 * DAY * 1000)).toBe('3 days');
    expect(timeLeftWords(-1)).toBe('expired');
  });

  it('grades strength by entropy', () => {
    expect(strengthOf(30).words).toBe('Weak');
    expect(strengthOf(50).words).toBe('Fair');
    expect(strengthOf(70).words).toBe('Strong');
    expect(strengthOf(118).level).toBe(3);
  });

  it('splits recipients on commas, semicolons and lines, without duplicates', () => {
    expect(parseRecipients(' sam@x.org, Kim;\nkim ,, Lee ')).toEqual(['sam@x.org', 'Kim', 'Lee']);
    expect(parseRecipients('  ')).toEqual([]);
  });

  it('makes an inert data URL of an SVG', () => {
    const url = svgDataUrl('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>');
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(url).not.toContain('<');
  });
});
