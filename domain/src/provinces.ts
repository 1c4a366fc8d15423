/**
 * Reference list of Thailand's 77 provinces: the 76 changwat and Bangkok.
 *
 * Codes:
 * - `code`: ISO 3166-2:TH subdivision code. For provinces its two digits are the
 *   DOPA code (TH-10 Bangkok ... TH-96 Narathiwat; TH-38 Bueng Kan dates from 2011).
 *   The special city TH-S (Pattaya) is not a province and is left out.
 * - `dopaCode`: province code of the Department of Provincial Administration (DOPA).
 * - `pcode`: admin-1 P-code of the OCHA common operational dataset (COD-AB), "TH" + the DOPA digits.
 *
 * English names are written as ISO 3166-2:TH writes them, TH-10 included:
 * "Krung Thep Maha Nakhon", which English usually calls Bangkok.
 *
 * Regions follow the six-region geographic scheme of the Royal Society of Thailand,
 * which NESDC also uses, rather than the four-region administrative scheme:
 * the upper north alone is NORTH, the lower north (Nakhon Sawan to Phetchabun) is CENTRAL,
 * and Tak goes to WEST. Bangkok is CENTRAL. The counts are NORTH 9, NORTHEAST 20,
 * CENTRAL 22, EAST 7, WEST 5 and SOUTH 14.
 */

import { badUserInput } from '@hub/server';
import type { Region } from './codelists.js';

/** A region's code: the string values of the `Region` enum. */
export type RegionCode = `${Region}`;

export interface ProvinceRecord {
  /** ISO 3166-2:TH code, e.g. "TH-80" */
  code: string;
  /** DOPA (Department of Provincial Administration) two-digit province code, e.g. "80" */
  dopaCode: string;
  /** OCHA P-code, e.g. "TH80" */
  pcode: string;
  /** Official Thai name, e.g. "นครศรีธรรมราช"; Bangkok is "กรุงเทพมหานคร". */
  nameTh: string;
  /** English name as ISO 3166-2:TH writes it, e.g. "Nakhon Si Thammarat", "Krung Thep Maha Nakhon" (Bangkok). */
  nameEn: string;
  region: RegionCode;
}

/** The 77 provinces, sorted by code. */
export const PROVINCES: readonly ProvinceRecord[] = [
  { code: 'TH-10', dopaCode: '10', pcode: 'TH10', nameTh: 'กรุงเทพมหานคร', nameEn: 'Krung Thep Maha Nakhon', region: 'CENTRAL' },
  { code: 'TH-11', dopaCode: '11', pcode: 'TH11', nameTh: 'สมุทรปราการ', nameEn: 'Samut Prakan', region: 'CENTRAL' },
  { code: 'TH-12', dopaCode: '12', pcode: 'TH12', nameTh: 'นนทบุรี', nameEn: 'Nonthaburi', region: 'CENTRAL' },
  { code: 'TH-13', dopaCode: '13', pcode: 'TH13', nameTh: 'ปทุมธานี', nameEn: 'Pathum Thani', region: 'CENTRAL' },
  { code: 'TH-14', dopaCode: '14', pcode: 'TH14', nameTh: 'พระนครศรีอยุธยา', nameEn: 'Phra Nakhon Si Ayutthaya', region: 'CENTRAL' },
  { code: 'TH-15', dopaCode: '15', pcode: 'TH15', nameTh: 'อ่างทอง', nameEn: 'Ang Thong', region: 'CENTRAL' },
  { code: 'TH-16', dopaCode: '16', pcode: 'TH16', nameTh: 'ลพบุรี', nameEn: 'Lop Buri', region: 'CENTRAL' },
  { code: 'TH-17', dopaCode: '17', pcode: 'TH17', nameTh: 'สิงห์บุรี', nameEn: 'Sing Buri', region: 'CENTRAL' },
  { code: 'TH-18', dopaCode: '18', pcode: 'TH18', nameTh: 'ชัยนาท', nameEn: 'Chai Nat', region: 'CENTRAL' },
  { code: 'TH-19', dopaCode: '19', pcode: 'TH19', nameTh: 'สระบุรี', nameEn: 'Saraburi', region: 'CENTRAL' },
  { code: 'TH-20', dopaCode: '20', pcode: 'TH20', nameTh: 'ชลบุรี', nameEn: 'Chon Buri', region: 'EAST' },
  { code: 'TH-21', dopaCode: '21', pcode: 'TH21', nameTh: 'ระยอง', nameEn: 'Rayong', region: 'EAST' },
  { code: 'TH-22', dopaCode: '22', pcode: 'TH22', nameTh: 'จันทบุรี', nameEn: 'Chanthaburi', region: 'EAST' },
  { code: 'TH-23', dopaCode: '23', pcode: 'TH23', nameTh: 'ตราด', nameEn: 'Trat', region: 'EAST' },
  { code: 'TH-24', dopaCode: '24', pcode: 'TH24', nameTh: 'ฉะเชิงเทรา', nameEn: 'Chachoengsao', region: 'EAST' },
  { code: 'TH-25', dopaCode: '25', pcode: 'TH25', nameTh: 'ปราจีนบุรี', nameEn: 'Prachin Buri', region: 'EAST' },
  { code: 'TH-26', dopaCode: '26', pcode: 'TH26', nameTh: 'นครนายก', nameEn: 'Nakhon Nayok', region: 'CENTRAL' },
  { code: 'TH-27', dopaCode: '27', pcode: 'TH27', nameTh: 'สระแก้ว', nameEn: 'Sa Kaeo', region: 'EAST' },
  { code: 'TH-30', dopaCode: '30', pcode: 'TH30', nameTh: 'นครราชสีมา', nameEn: 'Nakhon Ratchasima', region: 'NORTHEAST' },
  { code: 'TH-31', dopaCode: '31', pcode: 'TH31', nameTh: 'บุรีรัมย์', nameEn: 'Buri Ram', region: 'NORTHEAST' },
  { code: 'TH-32', dopaCode: '32', pcode: 'TH32', nameTh: 'สุรินทร์', nameEn: 'Surin', region: 'NORTHEAST' },
  { code: 'TH-33', dopaCode: '33', pcode: 'TH33', nameTh: 'ศรีสะเกษ', nameEn: 'Si Sa Ket', region: 'NORTHEAST' },
  { code: 'TH-34', dopaCode: '34', pcode: 'TH34', nameTh: 'อุบลราชธานี', nameEn: 'Ubon Ratchathani', region: 'NORTHEAST' },
  { code: 'TH-35', dopaCode: '35', pcode: 'TH35', nameTh: 'ยโสธร', nameEn: 'Yasothon', region: 'NORTHEAST' },
  { code: 'TH-36', dopaCode: '36', pcode: 'TH36', nameTh: 'ชัยภูมิ', nameEn: 'Chaiyaphum', region: 'NORTHEAST' },
  { code: 'TH-37', dopaCode: '37', pcode: 'TH37', nameTh: 'อำนาจเจริญ', nameEn: 'Amnat Charoen', region: 'NORTHEAST' },
  { code: 'TH-38', dopaCode: '38', pcode: 'TH38', nameTh: 'บึงกาฬ', nameEn: 'Bueng Kan', region: 'NORTHEAST' },
  { code: 'TH-39', dopaCode: '39', pcode: 'TH39', nameTh: 'หนองบัวลำภู', nameEn: 'Nong Bua Lam Phu', region: 'NORTHEAST' },
  { code: 'TH-40', dopaCode: '40', pcode: 'TH40', nameTh: 'ขอนแก่น', nameEn: 'Khon Kaen', region: 'NORTHEAST' },
  { code: 'TH-41', dopaCode: '41', pcode: 'TH41', nameTh: 'อุดรธานี', nameEn: 'Udon Thani', region: 'NORTHEAST' },
  { code: 'TH-42', dopaCode: '42', pcode: 'TH42', nameTh: 'เลย', nameEn: 'Loei', region: 'NORTHEAST' },
  { code: 'TH-43', dopaCode: '43', pcode: 'TH43', nameTh: 'หนองคาย', nameEn: 'Nong Khai', region: 'NORTHEAST' },
  { code: 'TH-44', dopaCode: '44', pcode: 'TH44', nameTh: 'มหาสารคาม', nameEn: 'Maha Sarakham', region: 'NORTHEAST' },
  { code: 'TH-45', dopaCode: '45', pcode: 'TH45', nameTh: 'ร้อยเอ็ด', nameEn: 'Roi Et', region: 'NORTHEAST' },
  { code: 'TH-46', dopaCode: '46', pcode: 'TH46', nameTh: 'กาฬสินธุ์', nameEn: 'Kalasin', region: 'NORTHEAST' },
  { code: 'TH-47', dopaCode: '47', pcode: 'TH47', nameTh: 'สกลนคร', nameEn: 'Sakon Nakhon', region: 'NORTHEAST' },
  { code: 'TH-48', dopaCode: '48', pcode: 'TH48', nameTh: 'นครพนม', nameEn: 'Nakhon Phanom', region: 'NORTHEAST' },
  { code: 'TH-49', dopaCode: '49', pcode: 'TH49', nameTh: 'มุกดาหาร', nameEn: 'Mukdahan', region: 'NORTHEAST' },
  { code: 'TH-50', dopaCode: '50', pcode: 'TH50', nameTh: 'เชียงใหม่', nameEn: 'Chiang Mai', region: 'NORTH' },
  { code: 'TH-51', dopaCode: '51', pcode: 'TH51', nameTh: 'ลำพูน', nameEn: 'Lamphun', region: 'NORTH' },
  { code: 'TH-52', dopaCode: '52', pcode: 'TH52', nameTh: 'ลำปาง', nameEn: 'Lampang', region: 'NORTH' },
  { code: 'TH-53', dopaCode: '53', pcode: 'TH53', nameTh: 'อุตรดิตถ์', nameEn: 'Uttaradit', region: 'NORTH' },
  { code: 'TH-54', dopaCode: '54', pcode: 'TH54', nameTh: 'แพร่', nameEn: 'Phrae', region: 'NORTH' },
  { code: 'TH-55', dopaCode: '55', pcode: 'TH55', nameTh: 'น่าน', nameEn: 'Nan', region: 'NORTH' },
  { code: 'TH-56', dopaCode: '56', pcode: 'TH56', nameTh: 'พะเยา', nameEn: 'Phayao', region: 'NORTH' },
  { code: 'TH-57', dopaCode: '57', pcode: 'TH57', nameTh: 'เชียงราย', nameEn: 'Chiang Rai', region: 'NORTH' },
  { code: 'TH-58', dopaCode: '58', pcode: 'TH58', nameTh: 'แม่ฮ่องสอน', nameEn: 'Mae Hong Son', region: 'NORTH' },
  { code: 'TH-60', dopaCode: '60', pcode: 'TH60', nameTh: 'นครสวรรค์', nameEn: 'Nakhon Sawan', region: 'CENTRAL' },
  { code: 'TH-61', dopaCode: '61', pcode: 'TH61', nameTh: 'อุทัยธานี', nameEn: 'Uthai Thani', region: 'CENTRAL' },
  { code: 'TH-62', dopaCode: '62', pcode: 'TH62', nameTh: 'กำแพงเพชร', nameEn: 'Kamphaeng Phet', region: 'CENTRAL' },
  { code: 'TH-63', dopaCode: '63', pcode: 'TH63', nameTh: 'ตาก', nameEn: 'Tak', region: 'WEST' },
  { code: 'TH-64', dopaCode: '64', pcode: 'TH64', nameTh: 'สุโขทัย', nameEn: 'Sukhothai', region: 'CENTRAL' },
  { code: 'TH-65', dopaCode: '65', pcode: 'TH65', nameTh: 'พิษณุโลก', nameEn: 'Phitsanulok', region: 'CENTRAL' },
  { code: 'TH-66', dopaCode: '66', pcode: 'TH66', nameTh: 'พิจิตร', nameEn: 'Phichit', region: 'CENTRAL' },
  { code: 'TH-67', dopaCode: '67', pcode: 'TH67', nameTh: 'เพชรบูรณ์', nameEn: 'Phetchabun', region: 'CENTRAL' },
  { code: 'TH-70', dopaCode: '70', pcode: 'TH70', nameTh: 'ราชบุรี', nameEn: 'Ratchaburi', region: 'WEST' },
  { code: 'TH-71', dopaCode: '71', pcode: 'TH71', nameTh: 'กาญจนบุรี', nameEn: 'Kanchanaburi', region: 'WEST' },
  { code: 'TH-72', dopaCode: '72', pcode: 'TH72', nameTh: 'สุพรรณบุรี', nameEn: 'Suphan Buri', region: 'CENTRAL' },
  { code: 'TH-73', dopaCode: '73', pcode: 'TH73', nameTh: 'นครปฐม', nameEn: 'Nakhon Pathom', region: 'CENTRAL' },
  { code: 'TH-74', dopaCode: '74', pcode: 'TH74', nameTh: 'สมุทรสาคร', nameEn: 'Samut Sakhon', region: 'CENTRAL' },
  { code: 'TH-75', dopaCode: '75', pcode: 'TH75', nameTh: 'สมุทรสงคราม', nameEn: 'Samut Songkhram', region: 'CENTRAL' },
  { code: 'TH-76', dopaCode: '76', pcode: 'TH76', nameTh: 'เพชรบุรี', nameEn: 'Phetchaburi', region: 'WEST' },
  { code: 'TH-77', dopaCode: '77', pcode: 'TH77', nameTh: 'ประจวบคีรีขันธ์', nameEn: 'Prachuap Khiri Khan', region: 'WEST' },
  { code: 'TH-80', dopaCode: '80', pcode: 'TH80', nameTh: 'นครศรีธรรมราช', nameEn: 'Nakhon Si Thammarat', region: 'SOUTH' },
  { code: 'TH-81', dopaCode: '81', pcode: 'TH81', nameTh: 'กระบี่', nameEn: 'Krabi', region: 'SOUTH' },
  { code: 'TH-82', dopaCode: '82', pcode: 'TH82', nameTh: 'พังงา', nameEn: 'Phangnga', region: 'SOUTH' },
  { code: 'TH-83', dopaCode: '83', pcode: 'TH83', nameTh: 'ภูเก็ต', nameEn: 'Phuket', region: 'SOUTH' },
  { code: 'TH-84', dopaCode: '84', pcode: 'TH84', nameTh: 'สุราษฎร์ธานี', nameEn: 'Surat Thani', region: 'SOUTH' },
  { code: 'TH-85', dopaCode: '85', pcode: 'TH85', nameTh: 'ระนอง', nameEn: 'Ranong', region: 'SOUTH' },
  { code: 'TH-86', dopaCode: '86', pcode: 'TH86', nameTh: 'ชุมพร', nameEn: 'Chumphon', region: 'SOUTH' },
  { code: 'TH-90', dopaCode: '90', pcode: 'TH90', nameTh: 'สงขลา', nameEn: 'Songkhla', region: 'SOUTH' },
  { code: 'TH-91', dopaCode: '91', pcode: 'TH91', nameTh: 'สตูล', nameEn: 'Satun', region: 'SOUTH' },
  { code: 'TH-92', dopaCode: '92', pcode: 'TH92', nameTh: 'ตรัง', nameEn: 'Trang', region: 'SOUTH' },
  { code: 'TH-93', dopaCode: '93', pcode: 'TH93', nameTh: 'พัทลุง', nameEn: 'Phatthalung', region: 'SOUTH' },
  { code: 'TH-94', dopaCode: '94', pcode: 'TH94', nameTh: 'ปัตตานี', nameEn: 'Pattani', region: 'SOUTH' },
  { code: 'TH-95', dopaCode: '95', pcode: 'TH95', nameTh: 'ยะลา', nameEn: 'Yala', region: 'SOUTH' },
  { code: 'TH-96', dopaCode: '96', pcode: 'TH96', nameTh: 'นราธิวาส', nameEn: 'Narathiwat', region: 'SOUTH' },
];

/** ISO 3166-2:TH codes of the provinces of a region: the static codelist, so any subgraph can filter by region. */
export function provinceCodesOf(region: Region): string[] {
  return PROVINCES.filter((p) => p.region === region).map((p) => p.code);
}

const PROVINCE_CODE = /^TH-\d{2}$/;

/** Returns a province code unchanged, or a BAD_USER_INPUT error naming the expected form. */
export function checkProvinceCode(code: string, argument = 'provinceCode'): string {
  if (!PROVINCE_CODE.test(code)) {
    throw badUserInput(`"${code}" is not an ISO 3166-2:TH province code; they look like "TH-80".`, { argument });
  }
  return code;
}
