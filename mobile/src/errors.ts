import { ApiError, OfflineError, SessionEndedError } from './api.ts';

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

/** "3 秒" / "2 分钟" / "1 小时 5 分钟" for a Retry-After. */
export function waitText(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} 秒`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} 分钟`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} 小时 ${minutes % 60} 分钟` : `${hours} 小时`;
}

const hasChinese = (text: string) => /[\u4e00-\u9fff]/.test(text);

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

/**
 * What to tell a person about an error, in Chinese: waits for 429, offline, photo size, the field that
 * is wrong. Messages the API already gives in Chinese (Accept-Language: zh-CN) are shown as they are.
 */
export function friendlyError(error: unknown): string {
  if (error instanceof OfflineError || (typeof navigator !== 'undefined' && navigator.onLine === false)) {
    return '网络不可用，请检查网络连接后重试';
  }
  if (error instanceof SessionEndedError) return '登录已过期，请重新登录';
  if (error instanceof PhotoTooLargeError) return '照片太大（压缩后仍超过 10 MB），请换一张照片';
  if (error instanceof PhotoUnreadableError) return '无法读取这张照片，请换一张（支持 JPG、PNG、WebP）';
  if (!(error instanceof ApiError)) return '出了点问题，请稍后再试';
  switch (error.status) {
    case 429:
      return error.retryAfterSeconds ? `操作太频繁，请 ${waitText(error.retryAfterSeconds)}后再试` : '操作太频繁，请稍后再试';
    case 503:
      return error.retryAfterSeconds ? `服务繁忙，请 ${waitText(error.retryAfterSeconds)}后再试` : '服务繁忙，请稍后再试';
    case 413:
      return '内容太大，请减少照片或文字后再试';
    case 401:
      return '验证码错误或已过期，请重新获取';
    case 403:
      return '没有权限进行此操作';
    case 404:
      return '没有找到相关内容';
  }
  if (error.code === 'PHONE_TAKEN') return '该手机号已注册，请直接登录';
  if (error.code === 'INVALID_TRANSITION') return '案件状态已变化，请刷新后再试';
  if (error.status === 409) return '请求冲突，请刷新后再试';
  if (error.status === 400) {
    const detail = error.details[0];
    if (detail && hasChinese(detail.message)) return detail.message;
    const known = detail && FIELD_MESSAGES.find(([path]) => path.test(detail.path));
    if (known) return known[1];
    return hasChinese(error.message) ? error.message : '填写的内容不符合要求，请检查后重试';
  }
  if (error.status >= 500) return '服务器开小差了，请稍后再试';
  return hasChinese(error.message) ? error.message : '出了点问题，请稍后再试';
}
