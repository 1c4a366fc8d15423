import { createContext, useContext } from 'react';

/** The IDE speaks Thai first: analysts in the provinces read Thai; partners abroad read English. */
export type Lang = 'th' | 'en';

const TEXT = {
  examples: { th: 'ตัวอย่างคำสั่ง', en: 'Example operations' },
  examplesHint: {
    th: 'คำสั่งตัวอย่างของศูนย์ข้อมูล คลิกเพื่อเปิดในแท็บใหม่ แล้วกดปุ่มเรียกใช้',
    en: "The hub's named operations. Click one to open it in a new tab, then run it.",
  },
  graph: { th: 'มุมมองเครือข่าย', en: 'Network view' },
  graphHint: {
    th: 'เรียกใช้คำสั่งที่คืนผู้ปฏิบัติงาน ลิงก์ หรือเส้นทาง เพื่อวาดเครือข่าย คลิกโหนดเพื่อดึงเพื่อนบ้าน',
    en: 'Run an operation that returns actors, links or paths to draw its network. Click a node to fetch its neighbours.',
  },
  nodes: { th: 'โหนด', en: 'nodes' },
  edges: { th: 'เส้นเชื่อม', en: 'edges' },
  loading: { th: 'กำลังดึงเพื่อนบ้าน…', en: 'Fetching neighbours…' },
  added: { th: 'เพิ่มโหนดใหม่', en: 'new nodes added' },
  noNeighbours: { th: 'ไม่มีเพื่อนบ้านใหม่', en: 'no new neighbours' },
  notExpandable: { th: 'โหนดนี้ไม่มีรหัสให้ดึงข้อมูลต่อ', en: 'This node has no id to fetch more from' },
  fit: { th: 'พอดีจอ', en: 'Fit' },
  relayout: { th: 'จัดวางใหม่', en: 'Re-layout' },
  png: { th: 'บันทึกภาพ PNG', en: 'Save PNG' },
  gexf: { th: 'ส่งออก GEXF', en: 'Export GEXF' },
  close: { th: 'ปิด', en: 'Close' },
  people: { th: 'ภาคประชาชน', en: "People's sector" },
  government: { th: 'ภาครัฐ', en: 'Government' },
  private: { th: 'ภาคเอกชน', en: 'Private' },
  initiative: { th: 'โครงการร่วม', en: 'Joint initiative' },
  language: { th: 'ภาษา', en: 'Language' },
  failed: { th: 'ดึงข้อมูลไม่สำเร็จ', en: 'Could not fetch' },
  live: { th: 'ติดตามสด', en: 'Live' },
  events: { th: 'เหตุการณ์', en: 'events' },
  liveHint: {
    th: 'กำลังติดตาม subscription: ทุกเหตุการณ์เพิ่มหรือปรับโหนดในเครือข่าย กดหยุดเพื่อเลิกติดตาม',
    en: 'Following the subscription: each event adds or updates nodes. Stop it to stop following.',
  },
  // Link types (LinkType), what joins two actors in a network, and the IATI participation roles.
  COORDINATION: { th: 'ประสานงาน', en: 'Coordination' },
  MEMBERSHIP: { th: 'เป็นสมาชิก', en: 'Membership' },
  FUNDING: { th: 'ให้ทุน', en: 'Funding' },
  COUNTERPART: { th: 'คู่ทำงานต่างภาค', en: 'Counterpart' },
  SHARED_INITIATIVE: { th: 'ร่วมโครงการเดียวกัน', en: 'Shared initiative' },
  JOINED: { th: 'ทำงานร่วมกัน', en: 'Works with' },
  LINK: { th: 'ลิงก์', en: 'Link' },
  ACCOUNTABLE: { th: 'ผู้รับผิดชอบ', en: 'Accountable' },
  EXTENDING: { th: 'ผู้บริหารจัดการ', en: 'Extending' },
  IMPLEMENTING: { th: 'ผู้ดำเนินงาน', en: 'Implementing' },
  path: { th: 'เส้นทางสั้นที่สุด', en: 'Shortest path' },
} as const;

export type TextKey = keyof typeof TEXT;

export function text(lang: Lang, key: TextKey): string {
  return TEXT[key][lang];
}

/** A codelist value (LinkType, ParticipationRole…) in words, or as it is when unknown. */
export function term(lang: Lang, value: string): string {
  return value in TEXT ? text(lang, value as TextKey) : value;
}

export const LangContext = createContext<Lang>('th');

/** The current language's text for a key. */
export function useText(): (key: TextKey) => string {
  const lang = useContext(LangContext);
  return (key) => text(lang, key);
}

const STORAGE_KEY = 'hub-ide:lang';

export function savedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'th';
  } catch {
    return 'th';
  }
}

export function saveLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private windows may refuse storage; the choice then lasts for this page only.
  }
}
