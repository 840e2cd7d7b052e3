import * as z from '#shared/validation/zod';
import zhCN from 'zod/v4/locales/zh-CN.js';
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
