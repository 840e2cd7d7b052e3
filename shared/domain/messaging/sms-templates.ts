import * as z from '#shared/validation/zod';

/**
 * SMS as templates (短信模板): mainland carriers deliver only registered templates under a registered
 * signature (签名), so every text CityGrid sends is a template id plus parameters. SNS and the local
 * outbox get the rendered text (`【signature】` + the template with its parameters filled in); Aliyun and
 * Tencent Cloud get the registered template id and the parameters, and render it themselves.
 *
 * The texts below are the defaults; a city registers its own wording with its provider and configures
 * it (and the provider's template ids) in `SMS_TEMPLATES` — checked at start-up against these
 * parameter lists, so a template that would miss a parameter fails the deployment, not an SMS.
 */
export const SMS_TEMPLATES = {
  'verification-code': { params: ['code'], text: '您的验证码是${code}，5分钟内有效。如非本人操作，请忽略本短信。' },
  'case-filed': { params: ['date', 'caseNumber'], text: '您${date}反映的问题已受理立案，案件编号${caseNumber}，我们将尽快派遣处置。' },
  'case-rejected': { params: ['date', 'reason'], text: '您${date}反映的问题经核实未予立案，原因：${reason}。如有疑问请致电12345。' },
  'case-closed': { params: ['caseNumber'], text: '您反映的问题（案件编号${caseNumber}）已处置完毕并结案。欢迎在“我的上报”中评价处置结果。' },
  'case-closed-hotline': { params: ['caseNumber'], text: '您反映的问题（案件编号${caseNumber}）已处置完毕并结案。感谢您的监督。' },
  'deadline-warning': { params: ['caseNumber', 'dueDate'], text: '案件${caseNumber}临近处置时限（${dueDate}），请尽快处置并上传处置后照片。' },
  'case-voided': { params: ['date', 'caseNumber'], text: '您${date}反映的问题（案件编号${caseNumber}）经核实已作废，不再处置。如有疑问请致电12345。' },
  escalation: { params: ['caseNumber', 'level', 'holder'], text: '超期升级：案件${caseNumber}已超过处置时限（第${level}级），请督促${holder}尽快处置。' },
  'case-merged': { params: ['date', 'caseNumber'], text: '您${date}反映的问题与案件${caseNumber}为同一问题，已合并处理，结案时将短信告知您。' },
  'case-merged-unnumbered': { params: ['date'], text: '您${date}反映的问题与他人已反映的问题为同一问题，已合并处理，结案时将短信告知您。' },
  'case-closed-follower': { params: ['caseNumber'], text: '您关注的问题（案件编号${caseNumber}）已处置完毕并结案，感谢您的监督。' },
  'field-check': { params: ['kind', 'caseNumber', 'place', 'due'], text: '${kind}任务：案件${caseNumber}（${place}），请于${due}前到现场${kind}，并在“我的任务”中回复。' },
  'roll-call': { params: ['due'], text: '点名：指挥中心正在点名，请于${due}前打开“城管通”，在“任务”中应答并上报当前位置。' },
  supervision: { params: ['caseNumber', 'by', 'note'], text: '督办：案件${caseNumber}受到${by}督办${note}，请加快处置并及时反馈。' },
} as const satisfies Record<string, { params: readonly string[]; text: string }>;

export type SmsTemplateId = keyof typeof SMS_TEMPLATES;
type ParamsOf<T extends SmsTemplateId> = Record<(typeof SMS_TEMPLATES)[T]['params'][number], string>;

/** One SMS: a template and its parameters (values as text; providers limit each to a few dozen characters). */
export type SmsMessage = { [T in SmsTemplateId]: { template: T; params: ParamsOf<T> } }[SmsTemplateId];

/** A city's registered form of one template: the provider's template id and/or its own wording. */
export interface SmsTemplateSetting {
  /** The provider's id of the registered template (Aliyun `SMS_123456789`, Tencent `1234567`). */
  providerTemplateId?: string | undefined;
  /** The registered wording with `${param}` placeholders (SNS and the outbox render it). */
  text?: string | undefined;
}
export type SmsTemplateSettings = Partial<Record<SmsTemplateId, SmsTemplateSetting>>;

const PLACEHOLDER = /\$\{(\w+)\}/g;
const placeholdersOf = (text: string) => [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);

/** `SMS_TEMPLATES`: a JSON object of template id → `{ providerTemplateId?, text? }`, each text using exactly its template's parameters. */
export const SmsTemplateSettingsSchema = z.lazy(() => z.partialRecord(z.enum(Object.keys(SMS_TEMPLATES) as [SmsTemplateId, ...SmsTemplateId[]]), z.strict(z.object({ providerTemplateId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_]{1,40}$/))), text: z.optional(z.string().check(z.minLength(1), z.maxLength(300))) }))).check(z.superRefine((settings, ctx) => {
    for (const [id, setting] of Object.entries(settings) as Array<[SmsTemplateId, SmsTemplateSetting]>) {
      if (!setting.text) continue;
      const wanted = [...SMS_TEMPLATES[id].params].sort().join(',');
      const found = [...new Set(placeholdersOf(setting.text))].sort().join(',');
      if (wanted !== found) ctx.addIssue({ code: 'custom', path: [id, 'text'], message: `uses \${${found || '…'}} but the template's parameters are \${${wanted}}` });
    }
  })));

/** The parameters in the template's declared order (Tencent's TemplateParamSet is positional: {1}, {2}…). */
export const orderedParams = (message: SmsMessage): string[] => SMS_TEMPLATES[message.template].params.map((name) => (message.params as Record<string, string>)[name] ?? '');

/** The text of a message as a phone shows it: `【signature】` and the (city's or default) wording, filled in. */
export function renderSms(message: SmsMessage, options: { signature: string; settings?: SmsTemplateSettings | undefined }): string {
  const text = options.settings?.[message.template]?.text ?? SMS_TEMPLATES[message.template].text;
  const params = message.params as Record<string, string>;
  return `【${options.signature}】${text.replace(PLACEHOLDER, (_, name: string) => params[name] ?? '')}`;
}
