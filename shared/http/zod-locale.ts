import * as z from '#shared/validation/zod';
import zhCN from 'zod/v4/locales/zh-CN.js';
import { FIELD_MESSAGES, type FieldMessage } from '#shared/schemas/field-messages';
import type { Language } from './messages.ts';

/**
 * zod's field messages per language. Only the Chinese locale is loaded besides zod's built-in English
 * (the default of its global config), so the bundles carry two locales, not fifty. Messages a schema
 * sets itself stay as written.
 */
const ERROR_MAPS: Readonly<Record<Language, z.core.$ZodErrorMap | undefined>> = {
  'zh-CN': zhCN().localeError,
  en: undefined,
};

/** Parse options that make zod speak `language`. */
export const zodParseOptions = (language: Language): z.core.ParseContext<z.core.$ZodIssue> | undefined =>
  ERROR_MAPS[language] ? { error: ERROR_MAPS[language] } : undefined;

/** The Chinese of the messages our schemas set themselves (shared/schemas/field-messages.ts). */
const CHINESE: Readonly<Record<FieldMessage, string>> = {
  phone: '手机号格式不正确：请填写 11 位大陆手机号或 E.164 格式（+8613800000007）',
  departmentId: '部门编号格式不正确（小写字母、数字和连字符）',
  smsCode: '验证码为 6 位数字',
  changeOne: '请至少修改一项',
};
const CHINESE_OF = new Map<string, string>((Object.keys(FIELD_MESSAGES) as FieldMessage[]).map((name) => [FIELD_MESSAGES[name], CHINESE[name]]));

/** An issue's message in `language`: a message our schema set itself has its Chinese here. */
export const localizeIssueMessage = (language: Language, message: string): string => (language === 'zh-CN' ? (CHINESE_OF.get(message) ?? message) : message);
