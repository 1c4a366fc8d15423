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
  // Layout
  response: { th: 'คำตอบ', en: 'Response' },
  responseOrNetwork: { th: 'คำตอบหรือมุมมองเครือข่าย', en: 'Response or network view' },
  resizeNetwork: { th: 'ปรับความกว้างมุมมองเครือข่าย (ลูกศรซ้ายขวา, Enter พับเก็บ)', en: 'Resize the network view (arrow keys; Enter folds it away)' },
  collapseNetwork: { th: 'พับเก็บมุมมองเครือข่าย', en: 'Fold the network view away' },
  expandNetwork: { th: 'แสดงมุมมองเครือข่าย', en: 'Show the network view' },
  resizeEditor: { th: 'ปรับความกว้างตัวแก้ไขและคำตอบ (ลูกศรซ้ายขวา)', en: 'Resize the editor and the response (arrow keys)' },
  resizeSidebar: { th: 'ปรับความกว้างแผงด้านข้าง (ลูกศรซ้ายขวา)', en: 'Resize the side panel (arrow keys)' },
  // The network view's analysis
  IN_PROVINCE: { th: 'อยู่ในจังหวัด', en: 'In the province' },
  province: { th: 'จังหวัด', en: 'Province' },
  communities: { th: 'สีตามกลุ่ม', en: 'Colour by community' },
  community: { th: 'กลุ่ม', en: 'Community' },
  modularity: { th: 'ค่าโมดูลาริตี', en: 'modularity' },
  sizeBy: { th: 'ขนาดตาม', en: 'Size by' },
  sizeDegree: { th: 'จำนวนเพื่อนบ้าน', en: 'Degree' },
  sizeBetweenness: { th: 'ความเป็นตัวกลาง', en: 'Betweenness' },
  sizeNone: { th: 'เท่ากัน', en: 'Same size' },
  betweennessRefused: {
    th: 'เครือข่ายใหญ่เกินกว่าจะคำนวณความเป็นตัวกลางในเบราว์เซอร์ (เกิน 2,000 โหนด หรือ 20,000 เส้น) ใช้ provinceNetwork แทน',
    en: 'Too large to compute betweenness in the browser (over 2,000 nodes or 20,000 edges); the API’s provinceNetwork computes it on the server',
  },
  sharedEdges: { th: 'แสดงเส้นร่วมโครงการ', en: 'Shared-initiative edges' },
  filters: { th: 'ตัวกรอง', en: 'Filters' },
  filterSector: { th: 'ภาค', en: 'Sector' },
  filterRole: { th: 'บทบาทในโครงการ', en: 'Participation role' },
  filterLink: { th: 'ประเภทลิงก์', en: 'Link type' },
  filterProvince: { th: 'จังหวัด', en: 'Province' },
  filterTheme: { th: 'ประเด็นโครงการ', en: 'Initiative theme' },
  search: { th: 'ค้นหาในเครือข่าย', en: 'Search the network' },
  noMatch: { th: 'ไม่พบ', en: 'No match' },
  expand: { th: 'ขยาย', en: 'Expand' },
  expandCounting: { th: 'กำลังนับเพื่อนบ้าน…', en: 'counting neighbours…' },
  expandHint: {
    th: 'จำนวนเพื่อนบ้านที่ยังไม่อยู่ในภาพ นับจาก API ก่อนดึง (ระยะ 1)',
    en: 'Neighbours not drawn yet, counted by the API before fetching (depth 1)',
  },
  ego: { th: 'โฟกัสเฉพาะโหนดนี้', en: 'Focus on this node' },
  hops: { th: 'ระยะ', en: 'hops' },
  undo: { th: 'เลิกทำการขยาย', en: 'Undo expansion' },
  degree: { th: 'จำนวนเพื่อนบ้าน', en: 'Degree' },
  truncated: { th: 'คำตอบถูกตัดตามขอบเขตของ API: ไม่ได้แสดงทั้งหมด', en: 'The answer was cut at the API’s bounds: not everything is drawn' },
  loadMore: { th: 'โหลดเพิ่ม', en: 'Load more' },
  atBound: { th: 'ถึงขอบเขตสูงสุดของ API แล้ว', en: 'at the API’s largest bound' },
  noCentre: { th: 'โหลดเพิ่มได้เฉพาะคำตอบของ neighbourhood', en: 'only a neighbourhood answer can be loaded further' },
  svg: { th: 'บันทึกภาพ SVG', en: 'Save SVG' },
  layoutRunning: { th: 'กำลังจัดวาง…', en: 'Laying out…' },
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
