import { ApiError, hasChinese, OfflineError, SessionEndedError, waitText } from './errors.ts';

/**
 * What to tell a person about an error, in Chinese: waits for 429/503, offline, the field that is wrong.
 * Messages the API already gives in Chinese (the apps send Accept-Language: zh-CN) are shown as they
 * are. `fields` maps a `details[].path` to the app's own words for validation answers given in English;
 * `other` handles the app's own errors (photo too large, …) first.
 */
export function friendlyApiError(error: unknown, fields: Array<[RegExp, string]> = [], other?: (error: unknown) => string | undefined): string {
  if (error instanceof OfflineError || (typeof navigator !== 'undefined' && navigator.onLine === false)) {
    return '网络不可用，请检查网络连接后重试';
  }
  if (error instanceof SessionEndedError) return '登录已过期，请重新登录';
  const own = other?.(error);
  if (own) return own;
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
    const known = detail && fields.find(([path]) => path.test(detail.path));
    if (known) return known[1];
    return hasChinese(error.message) ? error.message : '填写的内容不符合要求，请检查后重试';
  }
  if (error.status >= 500) return '服务器开小差了，请稍后再试';
  return hasChinese(error.message) ? error.message : '出了点问题，请稍后再试';
}
