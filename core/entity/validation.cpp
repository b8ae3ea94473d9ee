#include "core/entity/validation.h"

#include <algorithm>
#include <set>

#include "core/clock.h"
#include "core/text/utf8.h"

namespace kehu {

using nlohmann::json;

namespace {

Text msg(const FieldDef& f, const std::string& zh_tail, const std::string& en_tail) {
  return {f.label.zh + zh_tail, f.label.en + en_tail};
}

bool is_code_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

bool is_valid_url(std::string_view url) {
  if (url.find(' ') != std::string_view::npos || url.size() < 4) return false;
  std::string lower = ascii_lower(url);
  std::string_view rest = lower;
  if (rest.rfind("https://", 0) == 0) rest.remove_prefix(8);
  else if (rest.rfind("http://", 0) == 0) rest.remove_prefix(7);
  else if (rest.find("://") != std::string_view::npos) return false;  // javascript:, ftp:// ...
  if (rest.find(':') != std::string_view::npos && rest.find(':') < rest.find('/')) {
    // host:port is fine; anything else with a colon before the path is not a web address
  }
  size_t host_end = rest.find_first_of("/?#");
  std::string_view host = rest.substr(0, host_end);
  return host.find('.') != std::string_view::npos && host.front() != '.' && host.back() != '.';
}

std::optional<Text> check_text(const FieldDef& f, const std::string& s) {
  if (!is_valid_utf8(s)) return msg(f, "包含无效字符", " contains invalid characters");
  size_t len = utf8_length(s);
  if (len > f.max_len) {
    std::string n = std::to_string(f.max_len);
    return msg(f, "最多 " + n + " 个字符", " may have at most " + n + " characters");
  }
  if (s.empty()) return std::nullopt;
  switch (f.format) {
    case TextFormat::phone:
      if (!is_valid_phone(s)) return msg(f, "号码格式不正确", " is not a valid phone number");
      break;
    case TextFormat::email:
      if (!is_valid_email(s)) return msg(f, "格式不正确，例如 name@example.com", " is not a valid e-mail address, e.g. name@example.com");
      break;
    case TextFormat::url:
      if (!is_valid_url(s)) return msg(f, "不是有效的网址", " is not a valid web address");
      break;
    case TextFormat::code:
      for (char c : s)
        if (!is_code_char(c)) return msg(f, "只能包含字母、数字、- 和 _", " may contain only letters, digits, - and _");
      break;
    case TextFormat::currency:
      if (s.size() != 3 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        return msg(f, "应为三个大写字母的币种代码，例如 CNY", " must be a three-letter currency code such as CNY");
      break;
    case TextFormat::none:
    case TextFormat::money:  // an integer format: checked as a number
      break;
  }
  return std::nullopt;
}

// Order lines: 1..max_len objects {product_id, quantity, unit_price?}; the first problem names its line
// ("第 2 行" / "line 2") so a user finds it.
std::optional<Text> check_order_items(const FieldDef& f, const json& v) {
  if (!v.is_array()) return msg(f, "应为产品明细列表", " must be a list of order lines");
  if (v.empty()) return msg(f, "至少需要一行产品", " needs at least one line");
  if (v.size() > f.max_len) {
    std::string n = std::to_string(f.max_len);
    return msg(f, "最多 " + n + " 行", " may have at most " + n + " lines");
  }
  for (size_t i = 0; i < v.size(); ++i) {
    const json& item = v[i];
    const std::string line = std::to_string(i + 1);
    auto bad = [&](const std::string& zh, const std::string& en) { return msg(f, "第 " + line + " 行：" + zh, " line " + line + ": " + en); };
    if (!item.is_object()) return bad("应为对象", "must be an object");
    for (const auto& [key, value] : item.items()) {
      (void)value;
      if (key != "product_id" && key != "quantity" && key != "unit_price") return bad("未知字段 " + key, "unknown field " + key);
    }
    auto id = item.find("product_id");
    if (id == item.end() || !id->is_number_integer() || id->get<int64_t>() <= 0) return bad("请选择产品", "choose a product");
    auto qty = item.find("quantity");
    if (qty == item.end() || !qty->is_number_integer() || qty->get<int64_t>() <= 0 || qty->get<int64_t>() > 1'000'000'000)
      return bad("数量应为 1 到 1000000000 的整数", "quantity must be a whole number from 1 to 1000000000");
    auto price = item.find("unit_price");
    if (price != item.end() && !price->is_null() &&
        (!price->is_number_integer() || price->get<int64_t>() < 0 || price->get<int64_t>() > kMostMoney))
      return bad(std::string("单价应在 0.00 到 ") + kMostMoneyText + " 之间", std::string("unit price must be from 0.00 to ") + kMostMoneyText);
  }
  return std::nullopt;
}

}  // namespace

Text required_message(const FieldDef& f) { return msg(f, "不能为空", " is required"); }
Text validation_summary() { return {"提交的内容有误，请检查标出的字段", "some fields are not valid; see the marked fields"}; }

Error validation_error(std::map<std::string, Text> fields) {
  Error e = Error::make(ErrorCode::validation, validation_summary());
  e.fields = std::move(fields);
  return e;
}

bool is_valid_phone(std::string_view phone) {
  int digits = 0;
  for (size_t i = 0; i < phone.size(); ++i) {
    char c = phone[i];
    if (c >= '0' && c <= '9') ++digits;
    else if (c == '+' && i == 0) continue;
    else if (c == '-' || c == ' ' || c == '(' || c == ')') continue;
    else if (c == '#' || c == ',') continue;  // extension: 010-12345678#123
    else return false;
  }
  return digits >= 5 && digits <= 20;
}

bool is_valid_email(std::string_view e) {
  size_t at = e.find('@');
  if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view local = e.substr(0, at), domain = e.substr(at + 1);
  if (local.size() > 64 || domain.size() < 3 || domain.find('.') == std::string_view::npos) return false;
  if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos) return false;
  for (unsigned char c : e)
    if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '\\' || c == 0x7F) return false;
  return true;
}

std::optional<Text> check_field(const FieldDef& f, const json& v) {
  if (v.is_null()) {
    if (f.required) return required_message(f);
    return std::nullopt;
  }
  switch (f.type) {
    case FieldType::text: {
      if (!v.is_string()) return msg(f, "应为文本", " must be text");
      std::string s(trim(v.get_ref<const std::string&>()));
      if (f.required && s.empty()) return required_message(f);
      return check_text(f, s);
    }
    case FieldType::enumerated: {
      std::string allowed_zh, allowed_en;
      for (const auto& value : f.values) {
        allowed_zh += (allowed_zh.empty() ? "" : "、") + value;
        allowed_en += (allowed_en.empty() ? "" : ", ") + value;
      }
      if (!v.is_string() || std::find(f.values.begin(), f.values.end(), v.get<std::string>()) == f.values.end())
        return msg(f, "必须是以下之一：" + allowed_zh, " must be one of: " + allowed_en);
      return std::nullopt;
    }
    case FieldType::integer: {
      if (!v.is_number_integer()) return msg(f, "应为整数", " must be a whole number");
      const int64_t n = v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX) ? INT64_MAX : v.get<int64_t>();
      if (n < f.min_value || n > f.max_value) {
        if (f.format == TextFormat::money)
          return msg(f, std::string("应在 0.00 到 ") + kMostMoneyText + " 之间", std::string(" must be from 0.00 to ") + kMostMoneyText);
        if (f.max_value >= INT64_MAX / 4) {  // no real upper bound: only say what is wrong
          std::string lo = std::to_string(f.min_value);
          if (n <= f.max_value) return msg(f, "不能小于 " + lo, " may not be less than " + lo);
          return msg(f, "数值太大", " is too large");
        }
        std::string lo = std::to_string(f.min_value), hi = std::to_string(f.max_value);
        return msg(f, "应在 " + lo + " 到 " + hi + " 之间", " must be between " + lo + " and " + hi);
      }
      return std::nullopt;
    }
    case FieldType::item_list: return check_order_items(f, v);
    case FieldType::reference:
      if (!v.is_number_integer() || v.get<int64_t>() <= 0) return msg(f, "应为有效的编号", " must be a valid id");
      return std::nullopt;
    case FieldType::date:
      if (!v.is_string() || !is_valid_date(v.get<std::string>()))
        return msg(f, "应为日期，格式 YYYY-MM-DD", " must be a date like 2026-11-22");
      return std::nullopt;
    case FieldType::datetime:
      if (!v.is_string() || parse_rfc3339_ms(v.get<std::string>()) < 0)
        return msg(f, "应为时间，例如 2026-11-22T09:30:00Z", " must be a time like 2026-11-22T09:30:00Z");
      return std::nullopt;
    case FieldType::boolean:
      if (!v.is_boolean()) return msg(f, "应为是或否（true/false）", " must be true or false");
      return std::nullopt;
    case FieldType::string_list: {
      if (!v.is_array()) return msg(f, "应为文本列表", " must be a list of text");
      if (v.size() > f.max_len) {
        std::string n = std::to_string(f.max_len);
        return msg(f, "最多 " + n + " 项", " may have at most " + n + " items");
      }
      for (const auto& item : v) {
        if (!item.is_string()) return msg(f, "的每一项都应为文本", " items must be text");
        const auto& s = item.get_ref<const std::string&>();
        if (!is_valid_utf8(s)) return msg(f, "包含无效字符", " contains invalid characters");
        if (trim(s).empty()) return msg(f, "不能包含空项", " may not contain empty items");
        if (utf8_length(s) > 50) return msg(f, "每项最多 50 个字符", " items may have at most 50 characters");
        if (!f.values.empty() && std::find(f.values.begin(), f.values.end(), s) == f.values.end())
          return msg(f, "包含无效的项：" + s, " has an item that is not allowed: " + s);
      }
      return std::nullopt;
    }
    case FieldType::object: {
      if (!v.is_object()) return msg(f, "应为对象", " must be an object");
      if (v.size() > 100) return msg(f, "最多 100 项", " may have at most 100 entries");
      for (const auto& [key, item] : v.items()) {
        bool key_ok = !key.empty() && key.size() <= 64 && key[0] >= 'a' && key[0] <= 'z';
        for (char c : key) key_ok = key_ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
        if (!key_ok) return msg(f, "的键名只能用小写字母、数字和 _：" + key, " keys may use only a-z, 0-9 and _: " + key);
        if (item.is_object() || item.is_array()) return msg(f, "的值应为文本、数字或是否", " values must be text, numbers or true/false");
        if (item.is_string() && (!is_valid_utf8(item.get<std::string>()) || utf8_length(item.get<std::string>()) > 1000))
          return msg(f, "的值最多 1000 个字符", " values may have at most 1000 characters");
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<Text> check_field(const FieldDef& field, const json& value, const FieldChoices* choices) {
  auto configured = choices ? choices->find(field.name) : FieldChoices::const_iterator();
  if (!choices || configured == choices->end()) return check_field(field, value);
  FieldDef with_choices = field;
  with_choices.values = configured->second;
  return check_field(with_choices, value);
}

Result<json> validate_input(const EntityDef& entity, const json& input, WriteMode mode, const FieldChoices* choices) {
  if (!input.is_object())
    return Error::make(ErrorCode::bad_request, {"请求内容应为 JSON 对象", "the request body must be a JSON object"});
  Error err = Error::make(ErrorCode::validation, validation_summary());
  json out = json::object();
  for (const auto& [key, value] : input.items()) {
    const FieldDef* f = entity.field(key);
    if (f == nullptr) {
      bool system = false;
      for (const auto& c : system_columns()) system = system || c == key;
      err.fields[key] = system ? Text{"该字段由系统维护，不能修改", "this field is set by the system and cannot be written"}
                               : Text{"未知字段", "unknown field"};
      continue;
    }
    if (!f->writable) {
      err.fields[key] = {"该字段由系统维护，不能修改", "this field is set by the system and cannot be written"};
      continue;
    }
    if (mode == WriteMode::update && f->immutable) {
      err.fields[key] = {"创建后不能修改", "cannot be changed after creation"};
      continue;
    }
    if (auto problem = check_field(*f, value, choices)) {
      err.fields[key] = *problem;
      continue;
    }
    if (f->type == FieldType::text && value.is_string()) {
      std::string s(trim(value.get_ref<const std::string&>()));
      out[key] = s.empty() && !f->required ? json(nullptr) : json(s);
    } else if (f->type == FieldType::string_list && value.is_array()) {
      std::vector<std::string> items;
      std::set<std::string> seen;
      for (const auto& item : value) {
        std::string s(trim(item.get_ref<const std::string&>()));
        if (seen.insert(s).second) items.push_back(s);
      }
      out[key] = items;
    } else {
      out[key] = value;
    }
  }
  if (mode == WriteMode::create) {
    for (const auto& f : entity.fields)
      if (f.required && !input.contains(f.name) && !err.fields.count(f.name)) err.fields[f.name] = required_message(f);
  }
  if (!err.fields.empty()) return err;
  return out;
}

}  // namespace kehu
