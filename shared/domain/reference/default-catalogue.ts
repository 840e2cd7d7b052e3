/**
 * The DEFAULT category catalogue (管理部件和事件分类) a new city starts with. It is a starting point,
 * not law: each city edits names, limits, criteria and default departments through
 * `PUT /v1/admin/categories/{code}`, and the stored categories — not this file — are what cases use.
 *
 * Modelled on, but not copied from, the national classification of 数字化城市管理 (GB/T 30428.2,
 * formerly CJ/T 214 "管理部件和事件"): every category is a 小类 (minor class) inside a 大类 (major
 * class) of one of two groups — 部件 `component` (a physical facility that is broken, missing or
 * dirty) or 事件 `event` (a behaviour or situation that harms city appearance or order).
 *
 * Code scheme: `<group letter><2-digit major><2-digit minor>` — `C` for components, `E` for events,
 * e.g. `C0101` 井盖丢失/移位, `E0503` 沿街晾挂. The letter keeps codes unique across groups (the
 * standard numbers both groups from 01). Major numbers follow the standard's order where it has the
 * class (components 01 公用设施 · 02 道路交通 · 03 市容环境 · 04 园林绿化; events 01 市容环境 ·
 * 02 宣传广告 · 03 施工管理 · 04 突发事件 · 05 街面秩序); the event classes the seed's duties add
 * (06 道路交通 for parking and road damage · 07 园林绿化 · 08 公用设施) continue after them. Minor
 * numbers are our own. Cities adding categories should keep the scheme; the contract only requires
 * codes to match `/^[A-Z0-9]{2,12}$/`.
 *
 * Time limits are in WORKING hours (see {@link WORKING_HOURS_PER_DAY}); the working calendar turns them
 * into a `dueAt` from the first dispatch. Hazards to people also carry `urgentHours`: the limit of a case
 * filed as urgent (紧急), in clock hours day and night (e.g. 2 h for a missing manhole cover).
 *
 * `defaultDepartmentId` is set only for specialist duties handled city-wide by one unit (sanitation,
 * landscaping, street lighting); everything else is dispatched by location to the district and street
 * units of the case's grid, as the seed's 沿街晾挂 case was.
 */

/** One 小类 of the catalogue. */
export interface CategoryDefinition {
  /** `C`/`E` + 2-digit major + 2-digit minor, e.g. `E0503`. */
  code: string;
  /** 小类 name, e.g. 沿街晾挂. */
  name: string;
  /** 部件 component or 事件 event. */
  group: 'component' | 'event';
  /** 大类 name, e.g. 街面秩序. */
  majorClass: string;
  /**
   * 处置时限 — the handling limit in working hours, counted from the first dispatch; `urgentHours`: the
   * limit of an urgent case (紧急) in clock hours, day and night — set for hazards to people.
   */
  timeLimit: { workingHours: number; urgentHours?: number };
  /** The unit that handles this duty city-wide; absent when cases go by location to district units. */
  defaultDepartmentId?: string;
  /** 立案标准 — when a report of this category is a valid case. */
  filingCriteria?: string;
  /** 结案标准 — what the after photo must show for the case to close. */
  closingCriteria?: string;
}

/** One working day: 08:30–12:00 and 14:30–18:00. */
export const WORKING_HOURS_PER_DAY = 7;

const hours = (workingHours: number, urgentHours?: number) => ({ workingHours, ...(urgentHours ? { urgentHours } : {}) });
const days = (workingDays: number, urgentHours?: number) => hours(workingDays * WORKING_HOURS_PER_DAY, urgentHours);

/** 市园林绿化中心 */
const LANDSCAPING = 'city-landscaping';
/** 市环境卫生管理处 */
const SANITATION = 'city-sanitation';
/** 市路灯管理所 */
const LIGHTING = 'city-lighting';

export const DEFAULT_CATALOGUE: readonly CategoryDefinition[] = [
  // ── 部件 components ────────────────────────────────────────────────────────────────────────────
  // C01 公用设施
  {
    code: 'C0101',
    name: '井盖丢失/移位',
    group: 'component',
    majorClass: '公用设施',
    timeLimit: hours(2, 2),
    filingCriteria: '车行道、人行道或公共场地井盖缺失、移位，井口敞露',
    closingCriteria: '井盖已复位或补齐；一时无法补齐的已设置围挡和警示标志',
  },
  {
    code: 'C0102',
    name: '井盖破损',
    group: 'component',
    majorClass: '公用设施',
    timeLimit: days(1, 4),
    filingCriteria: '井盖破裂、缺角、下沉或与路面高差明显，存在安全隐患',
    closingCriteria: '井盖已更换或修复，与路面平顺',
  },
  {
    code: 'C0103',
    name: '雨水箅子缺失/破损',
    group: 'component',
    majorClass: '公用设施',
    timeLimit: days(1, 4),
    filingCriteria: '雨水箅子缺失、断裂或移位',
    closingCriteria: '雨水箅子已补齐或更换，安放稳固',
  },
  {
    code: 'C0104',
    name: '路灯损坏',
    group: 'component',
    majorClass: '公用设施',
    timeLimit: days(2),
    defaultDepartmentId: LIGHTING,
    filingCriteria: '路灯不亮、灯头脱落、灯杆倾斜或检修门缺失',
    closingCriteria: '路灯恢复正常照明，灯杆、灯头、检修门完好',
  },
  {
    code: 'C0105',
    name: '消防栓损坏',
    group: 'component',
    majorClass: '公用设施',
    timeLimit: days(2, 4),
    filingCriteria: '室外消防栓破损、漏水、缺件或被圈占遮挡',
    closingCriteria: '消防栓完好可用，周边无遮挡',
  },
  // C02 道路交通
  {
    code: 'C0201',
    name: '道路护栏损坏',
    group: 'component',
    majorClass: '道路交通',
    timeLimit: days(3, 6),
    filingCriteria: '道路隔离护栏倒伏、断裂、缺失',
    closingCriteria: '护栏已扶正、修复或补齐，连续完整',
  },
  {
    code: 'C0202',
    name: '交通标志牌损坏',
    group: 'component',
    majorClass: '道路交通',
    timeLimit: days(3, 6),
    filingCriteria: '交通标志牌倾斜、破损、缺失或被遮挡',
    closingCriteria: '标志牌已修复、更换或清除遮挡，清晰可辨',
  },
  {
    code: 'C0203',
    name: '公交站亭损坏',
    group: 'component',
    majorClass: '道路交通',
    timeLimit: days(3),
    filingCriteria: '公交站亭顶棚、座椅、站牌或玻璃破损',
    closingCriteria: '站亭各部件完好',
  },
  {
    code: 'C0204',
    name: '路名牌损坏/缺失',
    group: 'component',
    majorClass: '道路交通',
    timeLimit: days(5),
    filingCriteria: '路名牌缺失、倾斜、破损或字迹不清',
    closingCriteria: '路名牌已补齐或修复，字迹清晰',
  },
  // C03 市容环境
  {
    code: 'C0301',
    name: '公厕设施损坏',
    group: 'component',
    majorClass: '市容环境',
    timeLimit: days(2),
    defaultDepartmentId: SANITATION,
    filingCriteria: '公共厕所门窗、便器、洗手设施、照明等损坏或无法使用',
    closingCriteria: '损坏设施已修复，公厕正常开放使用',
  },
  {
    code: 'C0302',
    name: '垃圾箱/果皮箱损坏',
    group: 'component',
    majorClass: '市容环境',
    timeLimit: days(2),
    defaultDepartmentId: SANITATION,
    filingCriteria: '垃圾箱、果皮箱破损、倾倒、缺失或箱盖脱落',
    closingCriteria: '已修复、扶正或补设，外观完好',
  },
  {
    code: 'C0303',
    name: '广告牌匾设施破损',
    group: 'component',
    majorClass: '市容环境',
    timeLimit: days(2, 4),
    filingCriteria: '户外广告设施、门头牌匾破损、松动，有坠落危险',
    closingCriteria: '已加固、修复或拆除，无安全隐患',
  },
  {
    code: 'C0304',
    name: '景观灯损坏',
    group: 'component',
    majorClass: '市容环境',
    timeLimit: days(3),
    defaultDepartmentId: LIGHTING,
    filingCriteria: '亮化景观灯在亮灯时段不亮、缺亮、灯具脱落或线路外露',
    closingCriteria: '景观灯恢复正常亮灯，灯具、线路完好',
  },
  // C04 园林绿化
  {
    code: 'C0401',
    name: '行道树缺损',
    group: 'component',
    majorClass: '园林绿化',
    timeLimit: days(3),
    defaultDepartmentId: LANDSCAPING,
    filingCriteria: '行道树缺株、死亡、严重倾斜或树池破损',
    closingCriteria: '已补植、扶正或修复树池',
  },
  {
    code: 'C0402',
    name: '绿地护栏损坏',
    group: 'component',
    majorClass: '园林绿化',
    timeLimit: days(3),
    defaultDepartmentId: LANDSCAPING,
    filingCriteria: '绿地护栏倒伏、断裂或缺失',
    closingCriteria: '护栏已修复或补齐',
  },
  {
    code: 'C0403',
    name: '花坛/花箱破损',
    group: 'component',
    majorClass: '园林绿化',
    timeLimit: days(3),
    defaultDepartmentId: LANDSCAPING,
    filingCriteria: '花坛、花箱破裂、倾倒或缺失',
    closingCriteria: '已修复、扶正或补设',
  },
  {
    code: 'C0404',
    name: '古树名木受损',
    group: 'component',
    majorClass: '园林绿化',
    timeLimit: days(2),
    defaultDepartmentId: LANDSCAPING,
    filingCriteria: '古树名木被刻划、钉挂、剥皮、折枝或保护设施损坏',
    closingCriteria: '已采取救护措施，保护设施已修复',
  },

  // ── 事件 events ────────────────────────────────────────────────────────────────────────────────
  // E01 市容环境
  {
    code: 'E0101',
    name: '私搭乱建',
    group: 'event',
    majorClass: '市容环境',
    timeLimit: days(5),
    filingCriteria: '未经批准在公共区域、道路两侧搭建棚亭、围墙等建（构）筑物',
    closingCriteria: '已拆除并清理现场',
  },
  {
    code: 'E0102',
    name: '暴露垃圾',
    group: 'event',
    majorClass: '市容环境',
    timeLimit: hours(2),
    defaultDepartmentId: SANITATION,
    filingCriteria: '公共区域散落或袋装暴露的生活垃圾',
    closingCriteria: '垃圾已清除，地面无残留',
  },
  {
    code: 'E0103',
    name: '积存垃圾渣土',
    group: 'event',
    majorClass: '市容环境',
    timeLimit: days(1),
    defaultDepartmentId: SANITATION,
    filingCriteria: '公共区域长期积存的垃圾、渣土',
    closingCriteria: '已清运完毕，现场整洁',
  },
  {
    code: 'E0104',
    name: '道路不洁',
    group: 'event',
    majorClass: '市容环境',
    timeLimit: hours(2),
    defaultDepartmentId: SANITATION,
    filingCriteria: '道路、人行道有明显果皮纸屑、污渍、积泥等',
    closingCriteria: '路面已清扫干净',
  },
  {
    code: 'E0105',
    name: '垃圾满溢',
    group: 'event',
    majorClass: '市容环境',
    timeLimit: hours(2),
    defaultDepartmentId: SANITATION,
    filingCriteria: '垃圾箱、垃圾桶满溢，垃圾散落在外',
    closingCriteria: '已清运，周边无散落垃圾',
  },
  {
    code: 'E0106',
    name: '乱堆物堆料',
    group: 'event',
    majorClass: '市容环境',
    timeLimit: days(1),
    filingCriteria: '在道路、人行道或公共场地堆放物品、材料',
    closingCriteria: '堆放物已清除，场地恢复原状',
  },
  {
    code: 'E0107',
    name: '亮化灯光扰民',
    group: 'event',
    majorClass: '市容环境',
    timeLimit: days(3),
    filingCriteria: '楼体亮化、灯光招牌过亮、频闪或超出规定时段亮灯，影响居民休息',
    closingCriteria: '已调低亮度、调整朝向或按规定时段关闭，经回访无扰民',
  },
  // E02 宣传广告
  {
    code: 'E0201',
    name: '非法小广告',
    group: 'event',
    majorClass: '宣传广告',
    timeLimit: hours(4),
    filingCriteria: '在建筑物、设施、树木上张贴、涂写、喷涂的小广告',
    closingCriteria: '已清除或覆盖，无明显痕迹',
  },
  {
    code: 'E0202',
    name: '违规户外广告',
    group: 'event',
    majorClass: '宣传广告',
    timeLimit: days(5),
    filingCriteria: '未经审批或超出审批范围设置的户外广告、牌匾标识',
    closingCriteria: '已拆除或已依法补办手续并按审批整改',
  },
  {
    code: 'E0203',
    name: '街头散发广告',
    group: 'event',
    majorClass: '宣传广告',
    timeLimit: hours(4),
    filingCriteria: '在道路、广场向行人散发商业宣传品',
    closingCriteria: '散发行为已制止，散落宣传品已清除',
  },
  {
    code: 'E0204',
    name: '违规标语宣传品',
    group: 'event',
    majorClass: '宣传广告',
    timeLimit: days(1),
    filingCriteria: '擅自悬挂、张贴的横幅、标语、条幅或过期宣传品',
    closingCriteria: '已拆除',
  },
  // E03 施工管理 (渣土管理)
  {
    code: 'E0301',
    name: '渣土车辆未密闭/抛洒滞漏',
    group: 'event',
    majorClass: '施工管理',
    timeLimit: hours(2, 2),
    filingCriteria: '渣土运输车辆未密闭运输，或沿途抛洒、滴漏渣土泥浆',
    closingCriteria: '车辆已查处整改，路面遗撒已清理干净',
  },
  {
    code: 'E0302',
    name: '施工废弃料',
    group: 'event',
    majorClass: '施工管理',
    timeLimit: days(2),
    filingCriteria: '施工结束后遗留在公共区域的废弃建材、渣土',
    closingCriteria: '废弃料已清运，场地恢复原状',
  },
  {
    code: 'E0303',
    name: '工地扬尘',
    group: 'event',
    majorClass: '施工管理',
    timeLimit: hours(4),
    filingCriteria: '施工工地未覆盖、未洒水或车辆未冲洗，产生明显扬尘',
    closingCriteria: '裸土已覆盖、洒水降尘，出入口冲洗设施运行',
  },
  {
    code: 'E0304',
    name: '施工占道',
    group: 'event',
    majorClass: '施工管理',
    timeLimit: days(1),
    filingCriteria: '施工超出审批范围占用道路，或未设置围挡、警示标志',
    closingCriteria: '已退回审批范围，围挡和警示标志规范设置',
  },
  // E04 突发事件
  {
    code: 'E0401',
    name: '道路积水',
    group: 'event',
    majorClass: '突发事件',
    timeLimit: hours(2, 2),
    filingCriteria: '降雨后道路积水影响车辆、行人通行',
    closingCriteria: '积水已排除，或已设置警示并疏导交通',
  },
  {
    code: 'E0402',
    name: '路面塌陷',
    group: 'event',
    majorClass: '突发事件',
    timeLimit: hours(2, 2),
    filingCriteria: '道路、人行道出现塌陷、空洞',
    closingCriteria: '已设置围挡警示并完成抢修或移交抢修单位',
  },
  // E05 街面秩序
  {
    code: 'E0501',
    name: '占道经营/流动摊贩',
    group: 'event',
    majorClass: '街面秩序',
    timeLimit: hours(4),
    filingCriteria: '占用道路、广场等公共场所摆摊设点或流动叫卖',
    closingCriteria: '摊点已撤离，现场无遗留物',
  },
  {
    code: 'E0502',
    name: '店外经营',
    group: 'event',
    majorClass: '街面秩序',
    timeLimit: hours(4),
    filingCriteria: '临街商户超出门窗、外墙在店外摆放商品或从事经营',
    closingCriteria: '商品、设施已收回店内',
  },
  {
    code: 'E0503',
    name: '沿街晾挂',
    group: 'event',
    majorClass: '街面秩序',
    timeLimit: days(1),
    filingCriteria: '在临街建筑外、树木、护栏、电线杆等处晾晒、吊挂衣物或杂物',
    closingCriteria: '晾挂物已收回，现场无晾挂',
  },
  {
    code: 'E0504',
    name: '露天烧烤',
    group: 'event',
    majorClass: '街面秩序',
    timeLimit: hours(4),
    filingCriteria: '在城市道路、广场等公共场所露天烧烤或为其提供场地',
    closingCriteria: '烧烤已停止，设施已撤离，现场清理干净',
  },
  {
    code: 'E0505',
    name: '占道废品收购',
    group: 'event',
    majorClass: '街面秩序',
    timeLimit: hours(4),
    filingCriteria: '占用道路、人行道收购、堆放废品',
    closingCriteria: '废品已清走，场地恢复原状',
  },
  // E06 道路交通
  {
    code: 'E0601',
    name: '机动车乱停放',
    group: 'event',
    majorClass: '道路交通',
    timeLimit: hours(4),
    filingCriteria: '机动车在人行道、绿地或禁停区域停放，影响通行',
    closingCriteria: '车辆已驶离或已依法处置',
  },
  {
    code: 'E0602',
    name: '非机动车乱停放',
    group: 'event',
    majorClass: '道路交通',
    timeLimit: hours(4),
    filingCriteria: '非机动车（含共享单车）未在停放区停放或堆积，影响通行',
    closingCriteria: '车辆已规整或清离，通道畅通',
  },
  {
    code: 'E0603',
    name: '道路破损',
    group: 'event',
    majorClass: '道路交通',
    timeLimit: days(2),
    filingCriteria: '车行道、人行道出现坑槽、沉陷、道板松动缺失',
    closingCriteria: '破损路面已修补平整',
  },
  {
    code: 'E0604',
    name: '废弃车辆',
    group: 'event',
    majorClass: '道路交通',
    timeLimit: days(5),
    filingCriteria: '长期停放在公共区域、无人使用的废弃机动车、非机动车',
    closingCriteria: '车辆已移走或依法处置',
  },
  // E07 园林绿化
  {
    code: 'E0701',
    name: '绿地脏乱',
    group: 'event',
    majorClass: '园林绿化',
    timeLimit: days(1),
    defaultDepartmentId: LANDSCAPING,
    filingCriteria: '绿地、绿化带内有垃圾、杂物或枯枝落叶堆积',
    closingCriteria: '绿地已清理干净',
  },
  {
    code: 'E0702',
    name: '树木倒伏/断枝',
    group: 'event',
    majorClass: '园林绿化',
    timeLimit: hours(4, 2),
    defaultDepartmentId: LANDSCAPING,
    filingCriteria: '树木倒伏、断枝悬挂或枝叶遮挡交通标志、路灯，存在安全隐患',
    closingCriteria: '倒树、断枝已清除或扶正，隐患消除',
  },
  {
    code: 'E0703',
    name: '毁绿占绿',
    group: 'event',
    majorClass: '园林绿化',
    timeLimit: days(3),
    defaultDepartmentId: LANDSCAPING,
    filingCriteria: '踩踏、毁坏、侵占绿地或擅自砍伐、移植树木',
    closingCriteria: '侵占已清除，绿地已恢复或补植',
  },
  // E08 公用设施
  {
    code: 'E0801',
    name: '架空线缆低垂/脱落',
    group: 'event',
    majorClass: '公用设施',
    timeLimit: days(1, 2),
    filingCriteria: '架空电力、通信线缆低垂、脱落、缠绕树木，影响通行或安全',
    closingCriteria: '线缆已规整、架高或入管',
  },
  {
    code: 'E0802',
    name: '公共设施污损涂鸦',
    group: 'event',
    majorClass: '公用设施',
    timeLimit: days(2),
    filingCriteria: '配电箱、交接箱、站亭等公共设施被涂写、刻画、污损',
    closingCriteria: '污损已清除或覆盖，外观整洁',
  },
];
