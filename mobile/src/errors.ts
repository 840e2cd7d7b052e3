import { friendlyApiError } from '../../web-core/messages.ts';

export { waitText } from '../../web-core/errors.ts';

/** A photo over the API's 10 MiB limit even after shrinking. */
export class PhotoTooLargeError extends Error {
  constructor() {
    super('photo too large');
    this.name = 'PhotoTooLargeError';
  }
}

/** The phone could not decode the file as an image (HEIC on some Android browsers, a broken file). */
export class PhotoUnreadableError extends Error {
  constructor() {
    super('photo unreadable');
    this.name = 'PhotoUnreadableError';
  }
}

/** Chinese words for the fields the page sends, for validation answers the API gives in English. */
const FIELD_MESSAGES: Array<[RegExp, string]> = [
  [/^description/, '问题描述不符合要求，请再多写几个字说明问题（最多 2000 字）'],
  [/^photoKeys/, '照片还没有上传完成或未通过检查，请稍候重试或重新选择照片'],
  [/^location/, '位置信息无效，请重新定位'],
  [/^phone/, '请输入正确的 11 位手机号'],
  [/^code/, '请输入短信中的 6 位验证码'],
  [/^displayName/, '昵称不符合要求'],
  [/^(score|satisfied|comment)/, '评价内容不符合要求'],
];

/** The photo errors of this page, before the shared texts. */
const photoMessage = (error: unknown) =>
  error instanceof PhotoTooLargeError
    ? '照片太大（压缩后仍超过 10 MB），请换一张照片'
    : error instanceof PhotoUnreadableError
      ? '无法读取这张照片，请换一张（支持 JPG、PNG、WebP）'
      : undefined;

/**
 * What to tell a person about an error, in Chinese (web-core/messages.ts: waits for 429/503, offline,
 * the field that is wrong; the API's own Chinese messages as they are), with this page's photo errors.
 */
export function friendlyError(error: unknown): string {
  return friendlyApiError(error, FIELD_MESSAGES, photoMessage);
}
