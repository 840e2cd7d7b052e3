import type { SmsMessage } from '#shared/domain/messaging/sms-templates';
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * The SMS verification rules, as data. Limits are per phone and per client IP; the
 * hour is a fixed clock window (simple to hold atomically with one conditional counter per window).
 */
export const SMS_CODE_POLICY: Readonly<Record<'digits' | 'lifetimeSeconds' | 'maxWrongAttempts' | 'resendCooldownSeconds' | 'maxSendsPerPhonePerHour' | 'maxSendsPerIpPerHour', number>> = {
  digits: 6,
  lifetimeSeconds: 5 * 60,
  maxWrongAttempts: 5,
  resendCooldownSeconds: 60,
  maxSendsPerPhonePerHour: 5,
  /** Default; deployments set SMS_IP_HOURLY_LIMIT. */
  maxSendsPerIpPerHour: 30,
};

export type CodePurpose = 'register' | 'login';

/** A 6-digit code from the CSPRNG (leading zeros kept). */
export function generateCode(): string {
  return String(randomInt(0, 10 ** SMS_CODE_POLICY.digits)).padStart(SMS_CODE_POLICY.digits, '0');
}

/**
 * Codes are stored only as a keyed hash bound to the phone and purpose, so a table read reveals
 * nothing usable and a register code cannot log in.
 */
export function hashCode(pepper: string, phone: string, purpose: CodePurpose, code: string): string {
  return createHmac('sha256', pepper).update(`${phone}\u0000${purpose}\u0000${code}`).digest('base64url');
}

/** Constant-time comparison of two hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The start (epoch seconds) of the fixed one-hour window containing `now`. */
export const hourWindow = (now: Date) => Math.floor(now.getTime() / 3_600_000) * 3600;

/** The verification-code SMS (template `verification-code`). */
export const codeMessage = (code: string): SmsMessage => ({ template: 'verification-code', params: { code } });
