import type { MessageParams } from '#shared/domain/errors';

/**
 * The languages of error messages: Chinese first (the users are in mainland China), English for the
 * rest. Codes never change with the language; only `message` (and zod's field messages) do.
 */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

/**
 * The caller's language from `Accept-Language` (RFC 9110: ranges with q-values): the best-weighted
 * range we have — `zh*` is zh-CN, `en*` is en — else zh-CN.
 */
export function negotiateLanguage(header: string | undefined): Language {
  if (!header) return DEFAULT_LANGUAGE;
  const ranges = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranges) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return DEFAULT_LANGUAGE;
}

type Texts = Readonly<Record<Language, string>>;

/**
 * THE message catalogue, by the stable ids domain errors carry. `{name}` is replaced by the error's
 * parameter of that name. An error without an id (or with one missing here) gets its code's general
 * text in Chinese, and its own English message in English.
 */
export const MESSAGES: Readonly<Record<string, Texts>> = {
  'request.invalid': { 'zh-CN': '请求参数不正确', en: 'The request is not valid' },
  'request.bad-json': { 'zh-CN': '请求体不是有效的 JSON', en: 'The body is not valid JSON' },
  'request.too-large': { 'zh-CN': '请求体过大（此接口最多接受 {max} 字节）', en: 'The body is too large (this route accepts at most {max} bytes)' },
  'request.bad-cursor': { 'zh-CN': '分页游标无效，请使用上一页返回的 nextCursor', en: 'The cursor is not valid for this list' },
  'request.no-route': { 'zh-CN': '接口不存在', en: 'No such route' },
  'local.starting': { 'zh-CN': '平台正在启动，请稍后再试', en: 'The platform is starting; try again in a moment' },
  'auth.token-required': { 'zh-CN': '请先登录（缺少访问令牌）', en: 'An access token is required (Authorization: Bearer …)' },
  'auth.token-invalid': { 'zh-CN': '访问令牌无效或已过期，请重新登录', en: 'The access token is invalid or has expired' },
  'auth.account-inactive': { 'zh-CN': '账号已停用或已注销', en: 'The account is disabled or no longer exists' },
  'auth.role-forbidden': { 'zh-CN': '您的角色无权使用此功能', en: 'Your role may not use this route' },
  'auth.code-wrong': { 'zh-CN': '验证码错误或已过期', en: 'The verification code is wrong or has expired' },
  'auth.phone-not-allowed': { 'zh-CN': '验证码仅发送至中国大陆手机号', en: 'Verification codes are sent to mainland China mobile numbers only' },
  'auth.sms-cooldown': { 'zh-CN': '验证码发送过于频繁，请 {seconds} 秒后再试', en: 'Please wait {seconds} s before requesting another code' },
  'auth.sms-phone-hourly': { 'zh-CN': '该手机号获取验证码次数过多，请稍后再试', en: 'Too many codes requested for this phone number; try again later' },
  'auth.sms-ip-hourly': { 'zh-CN': '当前网络获取验证码次数过多，请稍后再试', en: 'Too many codes requested from this network; try again later' },
  'auth.phone-taken': { 'zh-CN': '该手机号已注册，请直接登录', en: 'This phone number already has an account; log in instead' },
  'auth.no-account': { 'zh-CN': '该手机号尚未注册，请先注册', en: 'This phone number has no account; register first' },
  'auth.account-disabled': { 'zh-CN': '账号已停用', en: 'This account is disabled' },
  'auth.session-ended': { 'zh-CN': '登录状态已失效，请重新登录', en: 'The session has ended; log in again' },
  'account.not-found': { 'zh-CN': '账号不存在', en: 'Account not found' },
  'account.cancel-retry': { 'zh-CN': '注销过程中案件发生变化，请重试', en: 'A case kept changing while the account was being cancelled; try again' },
  'staff-batch.unknown-department': { 'zh-CN': '部门 {id} 不存在', en: 'No department {id}' },
  'staff-batch.unknown-grid': { 'zh-CN': '网格 {ids} 不存在', en: 'No grid {ids}' },
  'staff-batch.duplicate-phone': { 'zh-CN': '与第 {row} 行手机号重复', en: 'The same phone as row {row}' },
  'staff-batch.citizen-phone': { 'zh-CN': '该手机号属于市民账号，不能作为工作人员导入', en: 'This phone belongs to a citizen\'s account' },
  'staff-batch.interrupted': { 'zh-CN': '已写入 {written}/{total} 项后，有账号被他人同时修改；请重新提交同一批数据以完成导入', en: '{written} of {total} changes were written before an account changed meanwhile; send the same batch again to finish it' },
  'staff.not-found': { 'zh-CN': '该工作人员不存在', en: 'No such staff member' },
  'staff.last-admin': { 'zh-CN': '这是系统中唯一启用的管理员，不能取消其管理员角色或停用该账号；请先为其他人员授予管理员角色', en: 'This is the only active administrator: make someone else an administrator before removing this role or disabling the account' },
  'scope.no-department': { 'zh-CN': '您不属于任何部门', en: 'You belong to no department' },
  'scope.staff-outside': { 'zh-CN': '该人员不在您的管辖范围内', en: 'That person is outside your department' },
  'duty.time-out-of-range': { 'zh-CN': '时间须在过去 24 小时内，且不得晚于当前时间 5 分钟以上', en: 'The time must lie within the last 24 hours and at most 5 minutes ahead' },
  'roll-call.no-field-staff': { 'zh-CN': '该人员不存在，或不是监督员/处置人员', en: 'No supervisor or handler with this id' },
  'roll-call.not-on-duty': { 'zh-CN': '该人员当前未上班，不能点名', en: 'This person is not on duty' },
  'roll-call.open': { 'zh-CN': '该人员还有未应答的点名，请等待其应答或超时后再点名', en: 'This person has an unanswered roll call' },
  'roll-call.not-found': { 'zh-CN': '点名不存在', en: 'No such roll call' },
  'roll-call.closed': { 'zh-CN': '该点名已超时关闭（超过应答时限 1 小时），不能再应答', en: 'This roll call has closed (more than an hour past due)' },
  'scope.department-outside': { 'zh-CN': '该部门不在您的管辖范围内', en: 'That department is outside yours' },
  'reference.unknown-department': { 'zh-CN': '部门不存在', en: 'Unknown department' },
  'reference.unknown-grid': { 'zh-CN': '网格不存在', en: 'Unknown grids' },
  'calendar.invalid': { 'zh-CN': '工作日历不正确', en: 'The calendar is not valid' },
  'calendar.year-missing': { 'zh-CN': '{year} 年节假日日历尚未配置：未配置前，节假日按工作日计算时限', en: 'The calendar of {year} is not set: its holidays count as working days' },
  'case.not-found': { 'zh-CN': '案件不存在', en: 'No such case' },
  'photo.pending': { 'zh-CN': '照片仍在检查中，请 {seconds} 秒后重试', en: 'A photo is still being checked after its upload; try again in {seconds} s' },
  'idempotency.other-body': { 'zh-CN': '该 Idempotency-Key 已用于另一个不同的请求，请为新的操作使用新的 Idempotency-Key', en: 'This Idempotency-Key was used with a different request body; use a new key for a new action' },
  'case.changed': { 'zh-CN': '案件已被他人修改，请刷新后重试', en: 'Someone else changed this case at the same moment; reload it' },
  'case.stale-version': { 'zh-CN': '案件已更新（当前版本 {current}，您的版本 {expected}），请刷新后重试', en: 'The case changed meanwhile (version {current}, you had {expected}); reload it' },
  'case.invalid-transition': { 'zh-CN': '案件当前状态（{status}）不允许此操作（{action}）', en: 'A {status} case cannot take the action {action}' },
  'case.action-forbidden': { 'zh-CN': '您无权对此案件执行此操作（{action}）', en: 'You may not take the action {action} on this case' },
  'case.busy': { 'zh-CN': '案件正被频繁更新，请稍后再试', en: 'The case is busy; try again' },
  'merge.self': { 'zh-CN': '不能将案件合并到其自身', en: 'A case cannot be merged into itself' },
  'merge.unknown-target': { 'zh-CN': '要合并到的案件不存在', en: 'Unknown case to merge into' },
  'merge.target-not-open': { 'zh-CN': '目标案件已办结、作废或已被合并，只能合并到未办结的案件', en: 'Merge into an open case (the target is closed, voided or merged)' },
  'field-check.wrong-status': { 'zh-CN': '核实用于待受理的案件，核查用于已处置待核查的案件', en: 'A verify-report check is for reported cases, a check-result check for handled ones' },
  'field-check.open': { 'zh-CN': '该案件已有未完成的核实/核查任务', en: 'This case has an open field check already' },
  'field-check.no-supervisor': { 'zh-CN': '该网格暂无巡查监督员，请指定监督员', en: 'Nobody patrols this case\'s grid: give supervisorId' },
  'field-check.unknown-supervisor': { 'zh-CN': '监督员不存在或已停用', en: 'Unknown or inactive supervisor' },
  'field-check.none-open': { 'zh-CN': '该案件没有待回复的核实/核查任务', en: 'This case has no open field check' },
  'field-check.photo-kinds': { 'zh-CN': '照片须同为处置前或同为处置后的照片', en: 'Photos of one kind, please (all before or all after)' },
  'report.location-required': { 'zh-CN': '请提供问题发生的位置', en: 'A location is required' },
  'report.video-supervisors-only': { 'zh-CN': '仅监督员可上报视频巡查案件', en: 'Only supervisors report from video patrol (channel video)' },
  'report.camera-without-video': { 'zh-CN': 'cameraId 仅用于视频巡查上报（channel: "video"）', en: 'cameraId goes with channel video' },
  'report.unknown-camera': { 'zh-CN': '摄像头不存在：{cameraId}', en: 'Unknown camera {cameraId}' },
  'support.not-open': { 'zh-CN': '该问题已办结，无需再关注', en: 'This case is no longer open' },
  'stats.unknown-scope': { 'zh-CN': '统计范围不存在：{scope}', en: 'Unknown statistics scope: {scope}' },
  'stats.scope-outside': { 'zh-CN': '该统计范围不在您的部门辖区内', en: 'That scope is outside your department' },
  'stats.range-reversed': { 'zh-CN': '结束日期早于开始日期', en: 'The range ends before it starts' },
  'admin.stale-version': { 'zh-CN': '该项已被 {name} 于 {time} 修改，请刷新后再改', en: '{name} changed this item at {time} (Beijing time); reload it before changing it' },
  'admin.stale-version-unknown': { 'zh-CN': '该项已被他人修改，请刷新后再改', en: 'Someone changed this item since you read it; reload it before changing it' },
  'stats.range-too-long': { 'zh-CN': '统计区间过长', en: 'The range is too long' },
};

/** The general text of each error code, for errors that carry no message id. */
const BY_CODE: Readonly<Record<string, Texts>> = {
  VALIDATION_FAILED: { 'zh-CN': '请求参数不正确', en: 'The request is not valid' },
  UNAUTHENTICATED: { 'zh-CN': '请先登录', en: 'Authentication required' },
  FORBIDDEN: { 'zh-CN': '无权执行此操作', en: 'You may not do this' },
  NOT_FOUND: { 'zh-CN': '未找到', en: 'Not found' },
  CONFLICT: { 'zh-CN': '操作冲突，请刷新后重试', en: 'Conflict' },
  PHOTO_PENDING: { 'zh-CN': '照片仍在检查中，请稍后重试', en: 'A photo is still being checked; try again in a moment' },
  PRECONDITION_FAILED: { 'zh-CN': '该项已被他人修改，请刷新后再改', en: 'The item changed since you read it' },
  PHONE_TAKEN: { 'zh-CN': '该手机号已注册', en: 'This phone number already has an account' },
  INVALID_TRANSITION: { 'zh-CN': '案件当前状态不允许此操作', en: 'The action is not allowed in the case\'s status' },
  PAYLOAD_TOO_LARGE: { 'zh-CN': '请求体过大', en: 'The body is too large' },
  HEADERS_TOO_LARGE: { 'zh-CN': '请求头字段过大（网址与请求头合计不超过 16 KiB）', en: 'Request header fields too large (the URL and headers together at most 16 KiB)' },
  UNSUPPORTED_MEDIA_TYPE: { 'zh-CN': '请求体须为 JSON（Content-Type: application/json）', en: 'Content-Type must be application/json' },
  RATE_LIMITED: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  BUSY: { 'zh-CN': '系统繁忙，请稍后再试', en: 'The service is busy; try again in a moment' },
  INTERNAL: { 'zh-CN': '服务器内部错误', en: 'Internal error' },
};

const fill = (text: string, params: MessageParams | undefined) => text.replace(/\{(\w+)\}/g, (whole, name: string) => (params && name in params ? String(params[name]) : whole));

/** The message of an error in `language`: its id's text, else (English) its own message, else its code's general text. */
export function localize(language: Language, code: string, error: { messageId?: string | undefined; messageParams?: MessageParams | undefined; message?: string }): string {
  const entry = error.messageId ? MESSAGES[error.messageId] : undefined;
  if (entry) return fill(entry[language], error.messageParams);
  if (language === 'en' && error.message) return error.message;
  return (BY_CODE[code] ?? BY_CODE.INTERNAL!)[language];
}
