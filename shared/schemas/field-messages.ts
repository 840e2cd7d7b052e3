/**
 * Field messages our schemas set themselves, in English (zod's own messages are localised by its zh-CN
 * locale; these are not). Their Chinese is in `shared/http/zod-locale.ts`, keyed by the same names (the
 * type makes every one have it), so a function that only describes schemas (the OpenAPI document) does
 * not carry the Chinese.
 */
export const FIELD_MESSAGES = {
  phone: 'Not a valid phone number: use E.164 (+8613800000007) or an 11-digit mainland mobile number',
  departmentId: 'A department id (lower-case letters, digits, dashes)',
  smsCode: 'The code has 6 digits',
  changeOne: 'Change at least one field',
} as const;

export type FieldMessage = keyof typeof FIELD_MESSAGES;
