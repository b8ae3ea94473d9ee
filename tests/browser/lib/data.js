// data.js — customers to seed. Names and phones are unique (the server refuses a second customer with the
// same name or phone as a duplicate), and nothing but a name contains 科技, so a search for 科技 must
// return exactly the names that contain it.

const SPECIAL = [
  '北京华夏科技有限公司',
  '上海鑫源贸易',
  '吉𠮷物流',  // 𠮷 is outside the Basic Multilingual Plane
  '深圳前海微众科技',
  '杭州阿里云计算',
  'Acme Trading Ltd.',
  'Globex Corporation',
  'Initech Software',
];

const CITIES = ['北京', '上海', '广州', '深圳', '杭州', '成都', '武汉', '南京', '西安', '重庆', '天津', '苏州', '长沙', '郑州', '青岛'];
const WORDS = ['华夏', '鑫源', '恒通', '东方', '瑞丰', '远航', '金桥', '宏达', '新世纪', '腾龙', '长城', '蓝海', '明德', '永安', '嘉禾', '天成', '博雅', '中和', '盛世', '安泰'];
const KINDS = ['科技有限公司', '贸易有限公司', '物流有限公司', '建材厂', '餐饮管理有限公司', '科技发展有限公司', '咨询服务部', '电子商务有限公司'];
const ENGLISH = ['Northwind', 'Contoso', 'Fabrikam', 'Tailspin', 'Wingtip', 'Litware', 'Proseware', 'Adventure Works'];
const LEVELS = ['A', 'B', 'C', 'D'];

const phoneFor = (i) => `138${String(10000000 + i).slice(-8)}`;

// About `n` customers: the special names first, then generated Chinese and English ones.
export function seedCustomerRecords(n = 300) {
  const names = [...SPECIAL];
  const seen = new Set(names);
  for (let i = 0; names.length < n; ++i) {
    const name = i % 10 === 9
      ? `${ENGLISH[i % ENGLISH.length]} ${['Group', 'Inc.', 'Partners', 'Labs'][i % 4]} ${Math.floor(i / 10) + 1}`
      : `${CITIES[i % CITIES.length]}${WORDS[Math.floor(i / CITIES.length) % WORDS.length]}${KINDS[(i * 7 + Math.floor(i / 150)) % KINDS.length]}`;
    if (!seen.has(name)) {
      seen.add(name);
      names.push(name);
    }
  }
  return names.map((name, i) => ({
    name,
    phone: phoneFor(i),
    level: LEVELS[i % LEVELS.length],
    type: 'enterprise',
    source: 'referral',
  }));
}
