// A badge is one id however it reaches the station: scanned, typed in lower case, or typed with a Japanese IME
// left in full-width mode. Every schema a badge comes in through normalizes it the same way.
import { describe, expect, it } from 'vitest';
import { CheckPinRequest, NewOperatorFields, RosterEntry } from './index.js';
import { sessionCalls } from './calls/session.js';
import { normalizeBadge } from './badge.js';

const FORMS = ['OP-1001', 'op-1001', ' Op-1001 \r\n', 'ＯＰ－１００１', 'ｏｐ－１００１', 'OP‐1001', 'OP−1001'];

describe('badge ids', () => {
  it('read as one id in upper case, whatever the case, width or dash they were typed with', () => {
    for (const form of FORMS) expect(normalizeBadge(form), JSON.stringify(form)).toBe('OP-1001');
  });

  it('come out of sign-in, enrolment, the hub PIN check and the roster normalized', () => {
    for (const form of FORMS) {
      expect(sessionCalls['session.signIn'].input.parse({ badge: form, pin: '1234' }).badge).toBe('OP-1001');
      expect(NewOperatorFields.parse({ badge: form, name: 'A', role: 'staff', pin: '1234', pinRepeat: '1234' }).badge).toBe('OP-1001');
      expect(CheckPinRequest.parse({ badge: form, pin: '1234' }).badge).toBe('OP-1001');
      expect(RosterEntry.parse({ id: 'op-1', badge: form, name: 'A', role: 'staff', pinHash: 'h', disabled: false, rev: 1 }).badge).toBe('OP-1001');
    }
  });

  it('still refuses what is no badge: empty once trimmed, or spaces inside', () => {
    expect(sessionCalls['session.signIn'].input.safeParse({ badge: '  ', pin: '1234' }).success).toBe(false);
    expect(NewOperatorFields.safeParse({ badge: 'OP 1001', name: 'A', role: 'staff', pin: '1234', pinRepeat: '1234' }).success).toBe(false);
    expect(NewOperatorFields.safeParse({ badge: '　', name: 'A', role: 'staff', pin: '1234', pinRepeat: '1234' }).success).toBe(false);
  });
});
