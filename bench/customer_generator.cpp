// customer_generator.cpp — the vocabulary and record shapes behind kehu-gen (see customer_generator.h).
//
// [SECTION] Vocabulary: cities, 字号, 行业词, names, streets, tags, notes
// [SECTION] CustomerGenerator: one record input at a time
// [SECTION] generate_customers: users, then batches of customers and contacts through create_record
#include "bench/customer_generator.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "core/clock.h"
#include "core/entity/entity_def.h"
#include "core/store/record_store.h"
#include "core/text/utf8.h"
#include "core/users/user_store.h"

namespace kehu::bench {

using nlohmann::json;

// =====================================================================================================
// [SECTION] Vocabulary
// =====================================================================================================

struct CustomerGenerator::City {
  std::string province;  // as written in an address: 广东省, 北京市 (a municipality is its own province)
  std::string name;      // 深圳
  std::string area_code; // 0755
  std::string region;    // 华南
  std::vector<std::string> districts;
  int weight;            // relative share of customers
  bool municipality() const { return province == name + "市"; }
};

namespace {

using City = CustomerGenerator::City;

const std::vector<City>& cities() {
  static const std::vector<City> kCities = {
      {"北京市", "北京", "010", "华北", {"朝阳区", "海淀区", "东城区", "西城区", "丰台区", "通州区"}, 12},
      {"上海市", "上海", "021", "华东", {"浦东新区", "黄浦区", "徐汇区", "静安区", "闵行区", "长宁区"}, 12},
      {"天津市", "天津", "022", "华北", {"和平区", "河西区", "南开区", "滨海新区"}, 4},
      {"重庆市", "重庆", "023", "西南", {"渝中区", "江北区", "南岸区", "九龙坡区"}, 4},
      {"广东省", "广州", "020", "华南", {"天河区", "越秀区", "海珠区", "番禺区", "白云区"}, 9},
      {"广东省", "深圳", "0755", "华南", {"南山区", "福田区", "罗湖区", "宝安区", "龙岗区"}, 10},
      {"广东省", "东莞", "0769", "华南", {"长安镇", "虎门镇", "南城街道", "松山湖"}, 4},
      {"广东省", "佛山", "0757", "华南", {"禅城区", "南海区", "顺德区"}, 3},
      {"浙江省", "杭州", "0571", "华东", {"西湖区", "滨江区", "余杭区", "上城区", "拱墅区"}, 7},
      {"浙江省", "宁波", "0574", "华东", {"海曙区", "鄞州区", "北仑区"}, 3},
      {"浙江省", "温州", "0577", "华东", {"鹿城区", "瓯海区", "龙湾区"}, 2},
      {"江苏省", "南京", "025", "华东", {"玄武区", "鼓楼区", "建邺区", "江宁区"}, 5},
      {"江苏省", "苏州", "0512", "华东", {"姑苏区", "工业园区", "吴中区", "相城区"}, 6},
      {"江苏省", "无锡", "0510", "华东", {"梁溪区", "滨湖区", "新吴区"}, 3},
      {"山东省", "济南", "0531", "华东", {"历下区", "市中区", "槐荫区"}, 3},
      {"山东省", "青岛", "0532", "华东", {"市南区", "市北区", "黄岛区", "崂山区"}, 3},
      {"福建省", "福州", "0591", "华东", {"鼓楼区", "台江区", "仓山区"}, 2},
      {"福建省", "厦门", "0592", "华东", {"思明区", "湖里区", "集美区"}, 3},
      {"湖北省", "武汉", "027", "华中", {"江汉区", "武昌区", "洪山区", "汉阳区"}, 5},
      {"湖南省", "长沙", "0731", "华中", {"岳麓区", "芙蓉区", "天心区", "雨花区"}, 4},
      {"河南省", "郑州", "0371", "华中", {"金水区", "二七区", "中原区", "郑东新区"}, 4},
      {"四川省", "成都", "028", "西南", {"锦江区", "青羊区", "武侯区", "高新区", "成华区"}, 6},
      {"陕西省", "西安", "029", "西北", {"雁塔区", "碑林区", "未央区", "莲湖区"}, 4},
      {"河北省", "石家庄", "0311", "华北", {"长安区", "桥西区", "裕华区"}, 2},
      {"山西省", "太原", "0351", "华北", {"小店区", "迎泽区", "杏花岭区"}, 1},
      {"辽宁省", "沈阳", "024", "东北", {"和平区", "沈河区", "皇姑区", "铁西区"}, 2},
      {"辽宁省", "大连", "0411", "东北", {"中山区", "西岗区", "沙河口区", "甘井子区"}, 2},
      {"吉林省", "长春", "0431", "东北", {"朝阳区", "南关区", "绿园区"}, 1},
      {"黑龙江省", "哈尔滨", "0451", "东北", {"南岗区", "道里区", "香坊区"}, 1},
      {"安徽省", "合肥", "0551", "华东", {"蜀山区", "包河区", "庐阳区"}, 3},
      {"江西省", "南昌", "0791", "华东", {"东湖区", "西湖区", "青山湖区"}, 1},
      {"云南省", "昆明", "0871", "西南", {"五华区", "盘龙区", "官渡区"}, 2},
      {"贵州省", "贵阳", "0851", "西南", {"南明区", "云岩区", "观山湖区"}, 1},
      {"广西壮族自治区", "南宁", "0771", "华南", {"青秀区", "兴宁区", "西乡塘区"}, 1},
      {"海南省", "海口", "0898", "华南", {"龙华区", "美兰区"}, 1},
      {"甘肃省", "兰州", "0931", "西北", {"城关区", "七里河区"}, 1},
      {"新疆维吾尔自治区", "乌鲁木齐", "0991", "西北", {"天山区", "沙依巴克区"}, 1},
      {"内蒙古自治区", "呼和浩特", "0471", "华北", {"新城区", "赛罕区"}, 1},
  };
  return kCities;
}

struct Industry {
  std::string word;      // in the company name
  std::string category;  // the `industry` field
};

const std::vector<Industry>& industries() {
  static const std::vector<Industry> kIndustries = {
      {"科技", "信息技术"}, {"网络科技", "互联网"}, {"信息技术", "信息技术"}, {"软件", "信息技术"},
      {"电子", "电子制造"}, {"贸易", "批发零售"}, {"商贸", "批发零售"}, {"进出口", "批发零售"},
      {"餐饮", "餐饮"}, {"餐饮管理", "餐饮"}, {"建材", "建筑建材"}, {"建筑工程", "建筑建材"},
      {"装饰工程", "建筑建材"}, {"物流", "交通物流"}, {"供应链管理", "交通物流"}, {"医药", "医药健康"},
      {"医疗器械", "医药健康"}, {"生物科技", "医药健康"}, {"机械", "机械制造"}, {"机械设备", "机械制造"},
      {"五金", "机械制造"}, {"化工", "化工"}, {"服装", "纺织服装"}, {"纺织", "纺织服装"},
      {"食品", "食品饮料"}, {"文化传媒", "文化传媒"}, {"广告", "文化传媒"}, {"教育咨询", "教育培训"},
      {"环保科技", "环保"}, {"新能源", "能源"}, {"汽车服务", "汽车"}, {"家具", "家居"},
      {"印刷", "印刷包装"}, {"包装材料", "印刷包装"}, {"房地产开发", "房地产"}, {"农业发展", "农林牧渔"},
      {"电气", "电气设备"}, {"实业", "综合"},
  };
  return kIndustries;
}

// Splits a run of characters into single-character strings (UTF-8 aware), keeping first occurrences.
std::vector<std::string> split_chars(std::string_view text) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (auto ch : utf8_chars(text))
    if (seen.insert(std::string(ch)).second) out.emplace_back(ch);
  return out;
}

const std::vector<std::string>& surnames_common() {
  static const auto kNames = split_chars(
      "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈"
      "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤");
  return kNames;
}
const std::vector<std::string>& surnames_rare() {
  static const std::vector<std::string> kNames = {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "𠮷", "㐱", "亓", "禤"};
  return kNames;
}
const std::vector<std::string>& given_chars() {
  static const auto kChars = split_chars(
      "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂华建国志文斌宇浩子涵梓萱一诺欣怡俊思远晓东海燕玉兰红"
      "鹏飞婷雪梅琳鑫磊晨阳佳琪嘉欣雨轩博辉立新春林凤兵宏波永丹丽萍");
  return kChars;
}

const std::vector<std::string>& streets() {
  static const std::vector<std::string> kStreets = {
      "建国路", "人民路", "解放路", "中山路", "长江路", "黄河路", "科技园路", "创业大道", "滨江大道", "世纪大道",
      "和平街", "文化路", "新华路", "工业大道", "高新大道", "学府路", "迎宾大道", "东风路", "建设路", "友谊路"};
  return kStreets;
}
const std::vector<std::string>& tag_pool() {
  static const std::vector<std::string> kTags = {"重点客户", "老客户", "新客户", "VIP", "展会获取",
                                                 "线上咨询", "长期合作", "价格敏感", "待回访", "大客户"};
  return kTags;
}
const std::vector<std::string>& note_pool() {
  static const std::vector<std::string> kNotes = {
      "对方对报价比较敏感，下周再跟进", "已寄送样品，等待测试结果", "年底有采购计划，预算约五十万",
      "老板在外地出差，月底回来再约", "对售后服务要求高，需安排技术支持", "通过展会认识，对新产品感兴趣",
      "已签框架协议，按季度下单", "竞争对手报价更低，需要申请特价", "财务流程较慢，回款周期约九十天",
      "介绍人是华东区老客户", "需要开具增值税专用发票", "希望先试用一个月再决定"};
  return kNotes;
}
const std::vector<std::string>& bureaus() {
  static const std::vector<std::string> kBureaus = {"教育局", "卫生健康委员会", "市场监督管理局", "人民医院",
                                                    "第一中学", "交通运输局", "文化和旅游局", "机关事务管理局"};
  return kBureaus;
}
const std::vector<std::string>& titles() {
  static const std::vector<std::string> kTitles = {"总经理", "副总经理", "采购经理", "采购专员", "财务经理", "技术总监",
                                                   "销售总监", "行政主管", "项目经理", "办公室主任", "董事长", "工程师"};
  return kTitles;
}
const std::vector<std::string>& departments() {
  static const std::vector<std::string> kDepartments = {"总经办", "采购部", "财务部", "技术部", "销售部",
                                                        "行政部", "市场部", "工程部", "人力资源部"};
  return kDepartments;
}

// Picks a value by relative weight.
template <typename Rng>
const std::string& weighted(Rng& rng, const std::vector<std::pair<std::string, int>>& items) {
  int total = 0;
  for (const auto& [_, w] : items) total += w;
  int r = std::uniform_int_distribution<int>(0, total - 1)(rng);
  for (const auto& [value, w] : items) {
    if (r < w) return value;
    r -= w;
  }
  return items.back().first;
}

}  // namespace

const std::vector<std::string>& brand_words() {
  static const std::vector<std::string> kWords = {
      "华夏", "鑫源", "恒通", "宏达", "金桥", "永安", "盛世", "天成", "瑞祥", "兴旺", "昌隆", "伟业", "嘉禾", "中信",
      "东方", "明珠", "长城", "海纳", "汇丰", "聚德", "吉祥", "万家", "和顺", "康宁", "博远", "创新", "锦绣", "联合",
      "新宇", "光辉", "腾飞", "鸿运", "佳美", "润泽", "惠民", "德馨", "仁和", "同仁", "广源", "广达", "顺发", "通达",
      "利民", "利华", "正大", "正阳", "诚信", "信达", "安泰", "安顺", "宝丰", "宝利", "北辰", "晨光", "大地", "大华",
      "鼎盛", "东升", "方圆", "飞达", "丰华", "福瑞", "富达", "冠华", "国泰", "海天", "合众", "恒大", "弘毅", "鸿达",
      "宏图", "华联", "华强", "华盛", "环球", "汇通", "金鼎", "金龙", "锦华", "京华", "精诚", "凯达", "乐天", "隆盛",
      "绿洲", "鹏程", "普天", "启明", "千禧", "荣华", "瑞丰", "三和", "神州", "世纪", "四海", "天宇", "万达", "远航",
      "振华", "中天", "卓越", "紫金", "亚太", "银河", "星光", "先锋", "五洲", "云海"};
  return kWords;
}

const std::vector<std::string>& brand_chars() {
  static const std::vector<std::string> kChars = [] {
    std::string all;
    for (const auto& w : brand_words()) all += w;
    all += "泰康兴业昌盛辉煌铭远卓立骏驰峰岭源溪泉森林枫桦柏松梅竹兰菊晟昊旭晖煜炜烨璟瑾琪瑜璐珑钰铭锐锋"
           "鼎鑫淼焱垚犇骉麟凤龙虎豹鹰雁鸿鹏翔宇宙坤乾元亨贞吉祥瑞福禄寿喜财富贵荣耀光明辰星月日阳晴朗"
           "蓝青红紫橙彩虹霞云雨雪霜露海江河湖川山岳峰石玉金银铜铁钢联合众志诚信义礼智仁德善美嘉佳优";
    return split_chars(all);
  }();
  return kChars;
}

const std::vector<std::string>& industry_words() {
  static const std::vector<std::string> kWords = [] {
    std::vector<std::string> out;
    for (const auto& i : industries()) out.push_back(i.word);
    return out;
  }();
  return kWords;
}

// =====================================================================================================
// [SECTION] CustomerGenerator
// =====================================================================================================

CustomerGenerator::CustomerGenerator(uint64_t seed) : rng_(seed) {}

const CustomerGenerator::City& CustomerGenerator::pick_city() {
  static const int kTotal = [] {
    int t = 0;
    for (const auto& c : cities()) t += c.weight;
    return t;
  }();
  int r = between(0, kTotal - 1);
  for (const auto& c : cities()) {
    if (r < c.weight) return c;
    r -= c.weight;
  }
  return cities().back();
}

std::string CustomerGenerator::person_name() {
  std::string name = chance(0.01) ? pick(surnames_rare()) : pick(surnames_common());
  name += pick(given_chars());
  if (chance(0.55)) name += pick(given_chars());
  return name;
}

std::string CustomerGenerator::mobile() {
  static const std::vector<std::string> kPrefixes = {"130", "131", "132", "133", "135", "136", "137", "138", "139",
                                                     "150", "151", "152", "155", "156", "158", "159", "166", "177",
                                                     "180", "181", "186", "187", "188", "189", "191", "198", "199"};
  std::string digits = pick(kPrefixes);
  for (int i = 0; i < 8; ++i) digits += static_cast<char>('0' + between(0, 9));
  if (chance(0.8)) return digits;
  if (chance(0.5)) return digits.substr(0, 3) + " " + digits.substr(3, 4) + " " + digits.substr(7);
  return "+86 " + digits.substr(0, 3) + "-" + digits.substr(3, 4) + "-" + digits.substr(7);
}

std::string CustomerGenerator::landline(const City& city) {
  std::string out = city.area_code + "-";
  int n = city.area_code.size() == 3 || chance(0.7) ? 8 : 7;
  out += static_cast<char>('2' + between(0, 7));  // local numbers do not start with 0 or 1
  for (int i = 1; i < n; ++i) out += static_cast<char>('0' + between(0, 9));
  if (chance(0.05)) out += "#" + std::to_string(between(100, 899));
  return out;
}

std::string CustomerGenerator::latin(size_t min_len, size_t max_len) {
  static const char kLetters[] = "abcdefghijklmnopqrstuvwxyz";
  size_t n = static_cast<size_t>(between(static_cast<int>(min_len), static_cast<int>(max_len)));
  std::string out;
  for (size_t i = 0; i < n; ++i) out += kLetters[between(0, 25)];
  return out;
}

std::string CustomerGenerator::address(const City& city) {
  std::string out = city.province;
  if (!city.municipality()) out += city.name + "市";
  out += pick(city.districts) + pick(streets()) + std::to_string(between(1, 999)) + "号";
  if (chance(0.4)) {
    static const std::vector<std::string> kBuildings = {"大厦", "广场", "中心", "科技园", "商务楼"};
    out += pick(brand_words()) + pick(kBuildings) + std::to_string(between(1, 32)) + "层" +
           std::to_string(between(1, 32) * 100 + between(1, 20)) + "室";
  }
  return out;
}

std::string CustomerGenerator::company_name(const City& city, const std::string& industry_word) {
  std::string brand = chance(0.6) ? pick(brand_words()) : pick(brand_chars()) + pick(brand_chars());
  static const std::vector<std::pair<std::string, int>> kSuffixes = {
      {"有限公司", 70}, {"有限责任公司", 10}, {"股份有限公司", 8}, {"集团有限公司", 4},
      {"商行", 3}, {"经营部", 2}, {"工作室", 3}};
  const std::string& suffix = weighted(rng_, kSuffixes);
  int form = between(0, 99);
  if (form < 70) return city.name + brand + industry_word + suffix;           // 深圳华夏科技有限公司
  if (form < 80) return city.name + "市" + brand + industry_word + suffix;    // 深圳市华夏科技有限公司
  if (form < 88) return brand + industry_word + "（" + city.name + "）" + suffix;  // 华夏科技（深圳）有限公司
  return brand + industry_word + suffix;                                       // 华夏科技有限公司
}

json CustomerGenerator::customer(const std::vector<int64_t>& owner_ids) {
  static const std::vector<std::pair<std::string, int>> kTypes = {
      {"enterprise", 80}, {"individual", 10}, {"government", 3}, {"partner", 5}, {"other", 2}};
  static const std::vector<std::pair<std::string, int>> kSources = {
      {"referral", 20}, {"website", 18}, {"exhibition", 12}, {"cold_call", 15}, {"advertising", 8},
      {"social_media", 12}, {"partner", 10}, {"other", 5}};
  static const std::vector<std::pair<std::string, int>> kLevels = {{"A", 10}, {"B", 25}, {"C", 40}, {"D", 25}};
  static const std::vector<std::pair<std::string, int>> kStatuses = {
      {"prospect", 35}, {"active", 40}, {"dormant", 15}, {"lost", 10}};
  static const std::vector<std::string> kMailPrefixes = {"info", "sales", "contact", "service", "admin", "hr", "office"};
  static const std::vector<std::string> kTlds = {".com", ".cn", ".com.cn", ".net"};
  static const std::vector<std::string> kFreeMail = {"qq.com", "163.com", "126.com", "sina.com", "foxmail.com"};

  const City& city = pick_city();
  const std::string& type = weighted(rng_, kTypes);
  json c = json::object();
  c["type"] = type;
  if (type == "individual") {
    c["name"] = person_name();
    c["phone"] = chance(0.9) ? mobile() : landline(city);
    if (chance(0.5))
      c["email"] = chance(0.5) ? std::to_string(between(10000000, 999999999)) + "@qq.com"
                               : latin(3, 8) + std::to_string(between(1, 999)) + "@" + pick(kFreeMail);
    if (chance(0.4)) c["industry"] = pick(industries()).category;
    if (chance(0.6)) c["address"] = address(city);
  } else if (type == "government") {
    c["name"] = city.name + "市" + pick(city.districts) + pick(bureaus());
    c["industry"] = "公共管理";
    c["phone"] = landline(city);
    std::string domain = latin(3, 8) + ".gov.cn";
    c["email"] = "office@" + domain;
    if (chance(0.5)) c["website"] = "http://www." + domain;
    c["address"] = address(city);
  } else {
    const Industry& ind = pick(industries());
    c["name"] = company_name(city, ind.word);
    c["industry"] = ind.category;
    c["phone"] = chance(0.6) ? landline(city) : mobile();
    std::string domain = latin(4, 9) + pick(kTlds);
    if (chance(0.8)) c["email"] = pick(kMailPrefixes) + "@" + domain;
    if (chance(0.4)) c["website"] = "https://www." + domain;
    if (chance(0.9)) c["address"] = address(city);
  }
  c["source"] = weighted(rng_, kSources);
  c["level"] = weighted(rng_, kLevels);
  c["status"] = weighted(rng_, kStatuses);
  c["region"] = city.region;
  c["owner_id"] = owner_ids.empty() || chance(0.2) ? json(nullptr) : json(pick(owner_ids));
  json tags = json::array();
  int n_tags = chance(0.4) ? 0 : between(1, 3);
  for (int i = 0; i < n_tags; ++i) {
    const std::string& t = pick(tag_pool());
    if (std::find(tags.begin(), tags.end(), t) == tags.end()) tags.push_back(t);
  }
  c["tags"] = tags;
  if (chance(0.25)) c["notes"] = pick(note_pool());
  return c;
}

json CustomerGenerator::contact(int64_t customer_id, bool primary) {
  static const std::vector<std::string> kMail = {"qq.com", "163.com", "126.com", "gmail.com", "outlook.com"};
  json c = json::object();
  c["customer_id"] = customer_id;
  c["name"] = person_name();
  c["gender"] = chance(0.5) ? "male" : "female";
  c["title"] = pick(titles());
  if (chance(0.7)) c["department"] = pick(departments());
  c["mobile"] = mobile();
  if (chance(0.3)) c["phone"] = landline(pick_city());
  if (chance(0.6)) c["email"] = latin(3, 8) + std::to_string(between(1, 9999)) + "@" + pick(kMail);
  if (chance(0.3)) c["im"] = "wx_" + latin(5, 10);
  if (chance(0.2)) {
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", between(1960, 2000), between(1, 12), between(1, 28));
    c["birthday"] = date;
  }
  c["is_primary"] = primary;
  if (chance(0.1)) c["notes"] = pick(note_pool());
  return c;
}

// =====================================================================================================
// [SECTION] generate_customers
// =====================================================================================================

namespace {

// Records the failing input with the error, so a generator bug names the record that exposed it.
Error with_input(Error e, const json& input) {
  e.message.en += " (input: " + input.dump() + ")";
  for (const auto& [field, text] : e.fields) e.message.en += " [" + field + ": " + text.en + "]";
  return e;
}

Result<std::vector<int64_t>> ensure_sales_users(Database& db, const Clock& clock, int count, int64_t& created) {
  static const std::vector<std::string> kNames = {"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强",
                                                  "周杰", "吴丽", "徐涛", "孙艳", "马超", "朱婷", "胡军", "郭鹏",
                                                  "何欣怡", "林晓东", "高海燕", "罗志强"};
  std::vector<int64_t> ids;
  auto txn = WriteTxn::begin(db, clock, Actor{});
  if (!txn.ok()) return txn.take_error();
  for (int i = 1; i <= count; ++i) {
    char username[32];
    std::snprintf(username, sizeof username, "sales%02d", i);
    auto found = find_user_by_name(db, username);
    if (!found.ok()) return found.take_error();
    if (found->has_value()) {
      ids.push_back((*found)->id);
      continue;
    }
    NewUser u;
    u.username = username;
    u.display_name = kNames[static_cast<size_t>(i - 1) % kNames.size()];
    u.email = std::string(username) + "@kehu.example";
    u.role = "sales";
    // Not an encoded hash the server would accept: these accounts exist to own customers, not to log in.
    auto user = create_user(**txn, u, "!bench-no-login");
    if (!user.ok()) return user.take_error();
    ids.push_back(user->id);
    ++created;
  }
  KEHU_TRY((*txn)->commit());
  return ids;
}

// Products for orders, with stock no bench run exhausts.
Result<std::vector<int64_t>> ensure_products(Database& db, const Clock& clock, int count) {
  std::vector<int64_t> ids;
  auto txn = WriteTxn::begin(db, clock, Actor{});
  if (!txn.ok()) return txn.take_error();
  static const std::vector<std::string> kKinds = {"服务器", "交换机", "路由器", "存储柜", "软件许可", "维保服务", "显示器", "打印机"};
  for (int i = 1; i <= count; ++i) {
    char sku[32];
    std::snprintf(sku, sizeof sku, "BENCH-%04d", i);
    auto found = db.query_int("SELECT id FROM products WHERE sku = ?1", {std::string(sku)});
    if (!found.ok()) return found.take_error();
    if (found->has_value()) {
      ids.push_back(**found);
      continue;
    }
    json input = {{"sku", sku}, {"name", kKinds[static_cast<size_t>(i) % kKinds.size()] + " " + std::to_string(i)},
                  {"price", 10000 + 1000 * i}, {"stock", int64_t{1'000'000'000}}, {"unit", "台"}};
    auto product = create_record(**txn, products_def(), input);
    if (!product.ok()) return with_input(product.take_error(), input);
    ids.push_back((*product)["id"].get<int64_t>());
  }
  KEHU_TRY((*txn)->commit());
  return ids;
}

}  // namespace

json CustomerGenerator::activity(int64_t customer_id, int64_t owner_id, int64_t now_ms) {
  static const std::vector<std::string> kTypes = {"call", "call", "visit", "meeting", "email", "note", "task"};
  static const std::vector<std::string> kSubjects = {"电话回访", "上门拜访", "需求沟通会", "报价邮件", "合同条款讨论", "售后跟进",
                                                     "新品介绍", "年度续约洽谈", "付款提醒", "技术交流"};
  const int64_t at = now_ms - static_cast<int64_t>(between(0, 730)) * 86400000LL - between(0, 86399) * 1000LL;
  return {{"type", pick(kTypes)},
          {"subject", pick(kSubjects)},
          {"content", "与客户沟通" + pick(industry_words()) + "项目进展"},
          {"customer_id", customer_id},
          {"owner_id", owner_id},
          {"start_at", format_rfc3339_ms(at)},
          {"done", chance(0.7)}};
}

json CustomerGenerator::order(int64_t customer_id, int64_t owner_id, const std::vector<int64_t>& product_ids, int64_t now_ms) {
  json items = json::array();
  for (int i = between(1, 3); i > 0; --i) items.push_back({{"product_id", pick(product_ids)}, {"quantity", between(1, 5)}});
  const int64_t at = now_ms - static_cast<int64_t>(between(0, 365)) * 86400000LL;
  return {{"customer_id", customer_id}, {"owner_id", owner_id}, {"items", items}, {"order_date", format_rfc3339_ms(at).substr(0, 10)}};
}

namespace {

// The work records of one customer: activities and orders for its owner (a random rep for a pool customer).
Status add_customer_work(WriteTxn& txn, CustomerGenerator& gen, const json& customer, int activities, int orders,
                        const std::vector<int64_t>& owners, const std::vector<int64_t>& products, GenerateStats& stats) {
  const int64_t id = customer["id"].get<int64_t>();
  const int64_t owner = customer["owner_id"].is_number_integer() ? customer["owner_id"].get<int64_t>() : owners[static_cast<size_t>(id) % owners.size()];
  for (int k = 0; k < activities; ++k) {
    json input = gen.activity(id, owner, txn.now_ms());
    auto a = create_record(txn, activities_def(), input);
    if (!a.ok()) return with_input(a.take_error(), input);
    ++stats.activities;
  }
  for (int k = 0; k < orders; ++k) {
    json input = gen.order(id, owner, products, txn.now_ms());
    auto o = create_record(txn, orders_def(), input);
    if (!o.ok()) return with_input(o.take_error(), input);
    ++stats.orders;
  }
  return ok_status();
}

}  // namespace

Result<GenerateStats> generate_customers(Database& db, const GenerateOptions& options, const ProgressFn& progress) {
  // created_at spreads from 2023-01-01 over ~3 years, one timestamp per batch; fixed so a seed gives
  // the same database every time.
  constexpr int64_t kStartMs = 1672531200000;          // 2023-01-01T00:00:00Z
  constexpr int64_t kSpanMs = 3LL * 365 * 86400 * 1000;
  ManualClock clock(kStartMs);
  GenerateStats stats;
  auto owners = ensure_sales_users(db, clock, options.sales_users, stats.users_created);
  if (!owners.ok()) return owners.take_error();

  std::vector<int64_t> products;
  if (options.orders_per_customer > 0) {
    auto made = ensure_products(db, clock, 100);
    if (!made.ok()) return made.take_error();
    products = std::move(*made);
  }

  CustomerGenerator gen(options.seed);
  const int64_t batches = std::max<int64_t>(1, (options.customers + options.batch_size - 1) / options.batch_size);
  const WriteOptions force{.force = true};
  for (int64_t batch = 0; stats.customers < options.customers; ++batch) {
    clock.set_ms(kStartMs + kSpanMs * batch / batches);
    auto txn = WriteTxn::begin(db, clock, Actor{});
    if (!txn.ok()) return txn.take_error();
    int64_t n = std::min<int64_t>(options.batch_size, options.customers - stats.customers);
    for (int64_t i = 0; i < n; ++i) {
      json input = gen.customer(*owners);
      // The busy customer is the first rep's (sales01), so the bench can read its timeline as them.
      if (stats.customers == 0 && i == 0 && options.busy_customer_extra > 0) input["owner_id"] = owners->front();
      auto customer = create_record(**txn, customers_def(), input, force);
      if (!customer.ok()) return with_input(customer.take_error(), input);
      int64_t id = (*customer)["id"].get<int64_t>();
      for (int k = 0; k < options.contacts_per_customer; ++k) {
        json contact_input = gen.contact(id, k == 0);
        auto contact = create_record(**txn, contacts_def(), contact_input);
        if (!contact.ok()) return with_input(contact.take_error(), contact_input);
      }
      const bool busy = stats.customers == 0 && i == 0 && options.busy_customer_extra > 0;
      if (busy) stats.busy_customer = id;
      KEHU_TRY(add_customer_work(**txn, gen, *customer, options.activities_per_customer + (busy ? options.busy_customer_extra : 0),
                                 options.orders_per_customer + (busy ? options.busy_customer_extra / 5 : 0), *owners, products, stats));
    }
    KEHU_TRY((*txn)->commit());
    stats.customers += n;
    stats.contacts += n * options.contacts_per_customer;
    if (progress) progress(stats);
  }
  return stats;
}

}  // namespace kehu::bench
