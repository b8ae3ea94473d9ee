#include "core/settings/settings.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "core/entity/validation.h"
#include "core/settings/field_options.h"
#include "core/stats/stats_upkeep.h"
#include "core/text/utf8.h"
#include "core/time_zone.h"
#include "core/users/user_store.h"

namespace kehu {

using nlohmann::json;

namespace {

const json& defaults() {
  static const json kDefaults = {
      {"company", {{"name", ""}}},
      {"time_zone", "Asia/Shanghai"},
      {"churn_days", 90},
      {"option_lists", json::object()},
      {"custom_fields", json::object()},
      {"menus", json::object()},
      {"smtp", nullptr},
      {"imap", nullptr},
      {"backup", {{"schedule", "hourly"}, {"time", "02:00"}, {"folder", ""}, {"keep_daily", 7}, {"keep_weekly", 4}, {"keep_monthly", 12}}},
  };
  return kDefaults;
}

// The modules a menu may list (GLOSSARY.md).
const std::set<std::string>& modules() {
  static const std::set<std::string> kModules = {
      "dashboard", "customers", "pool", "contacts", "phonebook", "opportunities", "contracts", "orders", "products",
      "inventory", "activities", "notes_calendar", "history", "tickets", "campaigns", "emails", "stats", "churn",
      "forecast", "admin", "users", "teams", "settings", "menus", "announcements", "backups", "audit", "import",
      "export", "print", "kiosk"};
  return kModules;
}

// Collects errors by path.
struct Problems {
  std::map<std::string, Text> fields;
  void add(const std::string& path, Text why) { fields.emplace(path, std::move(why)); }
};

bool text_ok(const json& v, size_t min_len, size_t max_len) {
  if (!v.is_string() || !is_valid_utf8(v.get<std::string>())) return false;
  size_t n = utf8_length(trim(v.get<std::string>()));
  return n >= min_len && n <= max_len;
}

bool token_ok(const json& v, bool lower_only) {
  if (!v.is_string()) return false;
  const std::string& s = v.get_ref<const std::string&>();
  if (s.empty() || s.size() > 40) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (!lower_only && c >= 'A' && c <= 'Z');
    if (!ok) return false;
  }
  return true;
}

// Names every key of `obj` that is not in `allowed` ("path.key: unknown field").
void check_keys(const json& obj, std::initializer_list<const char*> allowed, const std::string& path, Problems& p) {
  for (const auto& [k, v] : obj.items()) {
    (void)v;
    if (std::none_of(allowed.begin(), allowed.end(), [&k = k](const char* a) { return k == a; }))
      p.add(path + "." + k, {"未知字段", "unknown field"});
  }
}

void check_label(const json& item, const std::string& path, Problems& p) {
  for (const char* lang : {"zh", "en"})
    if (!text_ok(item.value(lang, json()), 1, 50)) p.add(path + "." + lang, {"名称应为 1-50 个字符", "the label must be 1-50 characters"});
}

void check_option_lists(const json& lists, Problems& p) {
  if (!lists.is_object()) return p.add("option_lists", {"应为对象", "must be an object"});
  for (const auto& [key, list] : lists.items()) {
    const std::string path = "option_lists." + key;
    size_t dot = key.find('.');
    const EntityDef* entity = dot == std::string::npos ? nullptr : find_entity(key.substr(0, dot));
    const FieldDef* field = entity ? entity->field(key.substr(dot + 1)) : nullptr;
    if (!field || field->type != FieldType::enumerated) {
      p.add(path, {"没有这个选项字段", "there is no option field called " + key});
      continue;
    }
    if (!list.is_array() || list.empty() || list.size() > 100) {
      p.add(path, {"应为 1-100 个选项", "must list 1-100 options"});
      continue;
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < list.size(); ++i) {
      const json& item = list[i];
      const std::string at = path + "." + std::to_string(i);
      if (!item.is_object()) {
        p.add(at, {"应为对象 {value, zh, en}", "must be an object {value, zh, en}"});
        continue;
      }
      check_keys(item, {"value", "zh", "en", "retired"}, at, p);
      if (!token_ok(item.value("value", json()), false)) {
        p.add(at + ".value", {"选项值只能用字母、数字和 _（最多 40 个）", "the value may use only letters, digits and _ (up to 40)"});
        continue;
      }
      if (!seen.insert(item["value"].get<std::string>()).second) p.add(at + ".value", {"选项值重复", "this value is listed twice"});
      if (item.contains("retired") && !item["retired"].is_boolean()) p.add(at + ".retired", {"应为 true 或 false", "must be true or false"});
      check_label(item, at, p);
    }
    if (option_values_fixed(key)) {
      std::set<std::string> builtin(field->values.begin(), field->values.end());
      bool retired = std::any_of(list.begin(), list.end(), [](const json& i) { return i.is_object() && i.contains("retired") && i["retired"] == json(true); });
      if (seen != builtin || retired)
        p.add(path, {"这个字段的选项决定流程，只能修改名称和顺序", "this field's options drive a workflow: only their labels and order may change"});
    }
  }
}

void check_custom_fields(const json& all, Problems& p) {
  if (!all.is_object()) return p.add("custom_fields", {"应为对象", "must be an object"});
  static const std::set<std::string> kTypes = {"text", "number", "date", "boolean", "option"};
  for (const auto& [entity_name, list] : all.items()) {
    const std::string path = "custom_fields." + entity_name;
    const EntityDef* entity = find_entity(entity_name);
    if (!entity || !entity->field("custom")) {
      p.add(path, {"这类记录没有自定义字段", "these records have no custom fields"});
      continue;
    }
    if (!list.is_array() || list.size() > 50) {
      p.add(path, {"最多 50 个自定义字段", "at most 50 custom fields"});
      continue;
    }
    std::set<std::string> keys;
    for (size_t i = 0; i < list.size(); ++i) {
      const json& def = list[i];
      const std::string at = path + "." + std::to_string(i);
      if (!def.is_object()) {
        p.add(at, {"应为对象", "must be an object"});
        continue;
      }
      check_keys(def, {"key", "zh", "en", "type", "options", "required"}, at, p);
      const json key = def.value("key", json());
      if (!token_ok(key, true) || !(key.get<std::string>()[0] >= 'a' && key.get<std::string>()[0] <= 'z'))
        p.add(at + ".key", {"键名以小写字母开头，只能用小写字母、数字和 _", "the key must start with a-z and use only a-z, 0-9 and _"});
      else if (!keys.insert(key.get<std::string>()).second)
        p.add(at + ".key", {"键名重复", "this key is used twice"});
      check_label(def, at, p);
      const json type = def.value("type", json());
      if (!type.is_string() || !kTypes.count(type.get<std::string>())) {
        p.add(at + ".type", {"类型应为 text、number、date、boolean 或 option", "the type must be text, number, date, boolean or option"});
        continue;
      }
      if (def.contains("required") && !def["required"].is_boolean()) p.add(at + ".required", {"应为 true 或 false", "must be true or false"});
      const json options = def.value("options", json());
      if (type == "option") {
        bool ok = options.is_array() && !options.empty() && options.size() <= 100;
        std::set<std::string> distinct;
        for (const auto& o : ok ? options : json::array()) ok = ok && text_ok(o, 1, 50) && distinct.insert(o.get<std::string>()).second;
        if (!ok) p.add(at + ".options", {"应为 1-100 个不重复的选项（每个 1-50 个字符）", "list 1-100 distinct options of 1-50 characters"});
      } else if (!options.is_null()) {
        p.add(at + ".options", {"只有选项类型的字段有选项", "only option fields have options"});
      }
    }
  }
}

void check_menus(const json& menus, Problems& p) {
  if (!menus.is_object()) return p.add("menus", {"应为对象", "must be an object"});
  const auto& roles = user_roles();
  for (const auto& [role, list] : menus.items()) {
    const std::string path = "menus." + role;
    if (std::find(roles.begin(), roles.end(), role) == roles.end()) {
      p.add(path, {"没有这个角色", "there is no role called " + role});
      continue;
    }
    bool ok = list.is_array() && list.size() <= modules().size();
    std::set<std::string> seen;
    for (const auto& m : ok ? list : json::array()) ok = ok && m.is_string() && modules().count(m.get<std::string>()) && seen.insert(m.get<std::string>()).second;
    if (!ok) p.add(path, {"应为不重复的栏目列表", "must be a list of distinct menu modules"});
  }
}

void check_mail_server(const std::string& name, const json& server, const json& current, json& out, Problems& p) {
  if (server.is_null()) return;
  if (!server.is_object()) return p.add(name, {"应为对象或 null", "must be an object or null"});
  check_keys(server, {"host", "port", "username", "password", "password_set", "from", "tls"}, name, p);
  if (!text_ok(server.value("host", json()), 1, 253)) p.add(name + ".host", {"请填写服务器地址", "enter the server's host name"});
  const json port = server.value("port", json());
  if (!port.is_number_integer() || port.get<int64_t>() < 1 || port.get<int64_t>() > 65535) p.add(name + ".port", {"端口应为 1-65535", "the port must be 1-65535"});
  if (server.contains("username") && !server["username"].is_null() && !text_ok(server["username"], 0, 254)) p.add(name + ".username", {"最多 254 个字符", "at most 254 characters"});
  if (server.contains("from") && !server["from"].is_null() && (!server["from"].is_string() || !is_valid_email(server["from"].get<std::string>())))
    p.add(name + ".from", {"发件地址格式不正确", "the sender address is not valid"});
  const json tls = server.value("tls", json("starttls"));
  if (tls != "none" && tls != "starttls" && tls != "tls") p.add(name + ".tls", {"应为 none、starttls 或 tls", "must be none, starttls or tls"});
  json& stored = out[name];
  stored["tls"] = tls;
  stored.erase("password_set");  // admin_settings()' echo of the password, sent back by a client
  if (!server.contains("password")) {  // write-only: left out keeps what is stored
    stored["password"] = current.is_object() ? current.value("password", json()) : json();
  } else if (!server["password"].is_null() && !text_ok(server["password"], 0, 500)) {
    p.add(name + ".password", {"最多 500 个字符", "at most 500 characters"});
  }
}

void check_backup(const json& backup, const json& current, json& out, Problems& p) {
  if (!backup.is_object()) return p.add("backup", {"应为对象", "must be an object"});
  // key_set is what admin_settings() shows instead of the key: a client that sends back what it read
  // sends it too, and it is dropped.
  check_keys(backup, {"schedule", "time", "folder", "keep_daily", "keep_weekly", "keep_monthly", "key", "key_set"}, "backup", p);
  if (out["backup"].is_object()) out["backup"].erase("key_set");
  // The encryption key is write-only like the mail passwords: left out keeps the stored one, null or ""
  // removes it (backups made from then on are not encrypted). No key is kept as no "key" at all, never as
  // null, so settings validated again (or read and sent back, key_set in its place) stay as they were.
  if (!backup.contains("key")) {
    if (current.is_object() && !current.value("key", json()).is_null()) out["backup"]["key"] = current["key"];
  } else if (backup["key"].is_null()) {
    out["backup"].erase("key");
  } else if (!(backup["key"].is_string() && (backup["key"].get<std::string>().empty() || text_ok(backup["key"], 12, 500)))) {
    p.add("backup.key", {"备份密钥应为 12-500 个字符", "the backup key must be 12-500 characters"});
  }
  const json schedule = backup.value("schedule", json());
  if (schedule != "off" && schedule != "daily" && schedule != "hourly") p.add("backup.schedule", {"应为 off、daily 或 hourly", "must be off, daily or hourly"});
  const json time = backup.value("time", json());
  bool time_ok = time.is_string() && time.get<std::string>().size() == 5 && time.get<std::string>()[2] == ':';
  if (time_ok) {
    int h = std::atoi(time.get<std::string>().substr(0, 2).c_str()), m = std::atoi(time.get<std::string>().substr(3).c_str());
    time_ok = std::isdigit(static_cast<unsigned char>(time.get<std::string>()[0])) && h >= 0 && h < 24 && m >= 0 && m < 60;
  }
  if (!time_ok) p.add("backup.time", {"时间格式为 HH:MM，例如 02:00", "the time must look like 02:00"});
  const json folder = backup.value("folder", json(""));
  if (!folder.is_string() || folder.get<std::string>().size() > 500 || (!folder.get<std::string>().empty() && folder.get<std::string>()[0] != '/'))
    p.add("backup.folder", {"应为服务器上的绝对路径，例如 /var/backups/kehu", "must be an absolute folder path on the server, e.g. /var/backups/kehu"});
  // At least one daily backup is kept: the newest full backup is what the next incrementals follow.
  for (const auto& [key, low, high] : std::vector<std::tuple<std::string, int64_t, int64_t>>{
           {"keep_daily", 1, 366}, {"keep_weekly", 0, 520}, {"keep_monthly", 0, 240}}) {
    const json keep = backup.value(key, json());
    if (!keep.is_number_integer() || keep.get<int64_t>() < low || keep.get<int64_t>() > high)
      p.add("backup." + key, {"保留份数应为 " + std::to_string(low) + "-" + std::to_string(high),
                              key + " must be " + std::to_string(low) + "-" + std::to_string(high)});
  }
}

}  // namespace

Result<json> read_settings(Database& db) {
  auto st = db.prepare("SELECT value FROM settings WHERE id = 1");
  if (!st.ok()) return st.take_error();
  auto row = (*st)->step();
  if (!row.ok()) return row.take_error();
  json out = defaults();
  if (*row) {
    json stored = json::parse((*st)->column_text(0), nullptr, false);
    if (stored.is_object())
      for (const auto& [k, v] : stored.items()) out[k] = v;
  }
  st->reset();
  return out;
}

Result<json> validate_settings(const json& input, const json& current) {
  if (!input.is_object()) return Error::make(ErrorCode::bad_request, {"请求内容应为 JSON 对象", "the request body must be a JSON object"});
  Problems p;
  json out = current;
  for (const auto& [key, value] : input.items()) {
    if (!defaults().contains(key)) {
      p.add(key, {"未知的设置项", "unknown setting"});
      continue;
    }
    out[key] = value;
  }
  if (input.contains("company")) {
    const json& c = input["company"];
    if (!c.is_object() || c.size() != 1 || !text_ok(c.value("name", json()), 0, 100)) p.add("company.name", {"公司名称最多 100 个字符", "the company name may have at most 100 characters"});
  }
  if (input.contains("time_zone")) {
    const json& tz = input["time_zone"];
    bool ok = tz.is_string() && !tz.get<std::string>().empty() && tz.get<std::string>().size() <= 64;
    for (char c : ok ? tz.get<std::string>() : std::string()) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+');
    if (!ok) p.add("time_zone", {"应为时区名称，例如 Asia/Shanghai", "must be a time zone name such as Asia/Shanghai"});
    // Where a time zone database is installed (the server), the name must be in it.
    else if (time_zones_installed() && !time_zones().offset_ms(tz.get<std::string>(), 0))
      p.add("time_zone", {"未知的时区：" + tz.get<std::string>(), "unknown time zone: " + tz.get<std::string>()});
  }
  if (input.contains("churn_days")) {
    const json& d = input["churn_days"];
    if (!d.is_number_integer() || d.get<int64_t>() < 7 || d.get<int64_t>() > 3650) p.add("churn_days", {"应为 7-3650 天", "must be 7-3650 days"});
  }
  if (input.contains("option_lists")) check_option_lists(input["option_lists"], p);
  if (input.contains("custom_fields")) check_custom_fields(input["custom_fields"], p);
  if (input.contains("menus")) check_menus(input["menus"], p);
  for (const char* server : {"smtp", "imap"})
    if (input.contains(server)) check_mail_server(server, input[server], current.value(server, json()), out, p);
  if (input.contains("backup")) check_backup(input["backup"], current.value("backup", json()), out, p);
  if (!p.fields.empty()) return validation_error(p.fields);
  return out;
}

Status write_settings(WriteTxn& txn, const json& settings) {
  auto current = read_settings(txn.db());
  if (!current.ok()) return current.take_error();
  json changes = json::object();
  const json before = admin_settings(*current), after = admin_settings(settings);
  for (const auto& [key, value] : after.items())
    if (before.value(key, json()) != value) changes[key] = json::array({before.value(key, json()), value});
  // Secrets are masked in the audit: a new password or key alone is still a change to store.
  if (changes.empty() && *current != settings) changes["secrets"] = json::array({nullptr, "changed"});
  if (changes.empty()) return ok_status();
  auto rev = txn.rev();
  if (!rev.ok()) return rev.take_error();
  KEHU_TRY(txn.db().run("INSERT INTO settings (id, rev, value) VALUES (1, ?1, ?2) ON CONFLICT(id) DO UPDATE SET rev = ?1, value = ?2",
                        {*rev, settings.dump()}));
  // Statistics count timestamps on their local day: another zone moves them, so they are counted again.
  if (changes.contains("time_zone")) KEHU_TRY(rebuild_statistics(txn.db()));
  return txn.audit("settings", "settings", 1, changes);
}

json public_settings(const json& settings) {
  json out = json::object();
  for (const char* key : {"company", "time_zone", "churn_days", "option_lists", "custom_fields", "menus"})
    out[key] = settings.value(key, defaults()[key]);
  return out;
}

json admin_settings(const json& settings) {
  json out = settings;
  for (const char* server : {"smtp", "imap"}) {
    if (!out[server].is_object()) continue;
    json& s = out[server];
    s["password_set"] = s.value("password", json()).is_string() && !s["password"].get<std::string>().empty();
    s.erase("password");
  }
  if (out.contains("backup") && out["backup"].is_object()) {
    json& b = out["backup"];
    b["key_set"] = b.value("key", json()).is_string() && !b["key"].get<std::string>().empty();
    b.erase("key");
  }
  return out;
}

std::map<std::string, std::vector<std::string>> writable_choices(const json& settings, const EntityDef& entity) {
  std::map<std::string, std::vector<std::string>> out;
  const json& lists = settings.value("option_lists", json::object());
  for (const auto& f : entity.fields) {
    auto it = lists.find(entity.name + "." + f.name);
    if (f.type != FieldType::enumerated || it == lists.end() || !it->is_array()) continue;
    auto& values = out[f.name];
    for (const auto& item : *it)
      if (item.is_object() && item["value"].is_string() && !(item.contains("retired") && item["retired"] == json(true))) values.push_back(item["value"]);
  }
  return out;
}

std::map<std::string, std::vector<std::string>> filter_choices(const json& settings, const EntityDef& entity) {
  std::map<std::string, std::vector<std::string>> out;
  const json& lists = settings.value("option_lists", json::object());
  for (const auto& f : entity.fields) {
    auto it = lists.find(entity.name + "." + f.name);
    if (f.type != FieldType::enumerated || it == lists.end() || !it->is_array()) continue;
    auto& values = out[f.name];
    values = f.values;
    for (const auto& item : *it)
      if (item.is_object() && item["value"].is_string() && std::find(values.begin(), values.end(), item["value"]) == values.end())
        values.push_back(item["value"]);
  }
  return out;
}

Status check_custom_values(const json& settings, const EntityDef& entity, const json& custom, const json& before_custom, bool creating) {
  if (!custom.is_object()) return ok_status();
  const json& all = settings.value("custom_fields", json::object());
  const json defs = all.value(entity.name, json::array());
  std::map<std::string, Text> bad;
  auto unchanged = [&](const std::string& key, const json& value) {
    return before_custom.is_object() && before_custom.contains(key) && before_custom[key] == value;
  };
  for (const auto& [key, value] : custom.items()) {
    const json* def = nullptr;
    for (const auto& d : defs)
      if (d.value("key", json()) == key) def = &d;
    if (unchanged(key, value)) continue;
    if (!def) {
      bad["custom." + key] = {"未定义的自定义字段：" + key, "no custom field is defined as " + key};
      continue;
    }
    const std::string type = (*def)["type"];
    const std::string zh = def->value("zh", key), en = def->value("en", key);
    if (value.is_null()) continue;
    bool ok = true;
    if (type == "text") ok = value.is_string();
    else if (type == "number") ok = value.is_number();
    else if (type == "boolean") ok = value.is_boolean();
    else if (type == "date") ok = value.is_string() && is_valid_date(value.get<std::string>());
    else if (type == "option") {
      const json options = def->value("options", json::array());
      ok = value.is_string() && std::find(options.begin(), options.end(), value) != options.end();
    }
    if (!ok) {
      static const std::map<std::string, Text> kExpect = {{"text", {"文本", "text"}},
                                                          {"number", {"数字", "a number"}},
                                                          {"boolean", {"是或否", "true or false"}},
                                                          {"date", {"日期（2026-11-22）", "a date like 2026-11-22"}},
                                                          {"option", {"列表中的一个选项", "one of its options"}}};
      bad["custom." + key] = {zh + "应为" + kExpect.at(type).zh, en + " must be " + kExpect.at(type).en};
    }
  }
  for (const auto& d : defs) {
    if (!d.value("required", false)) continue;
    const std::string key = d["key"];
    const bool present = custom.contains(key) && !custom[key].is_null() && custom[key] != json("");
    if (!present && (creating || (before_custom.is_object() && before_custom.contains(key))))
      bad["custom." + key] = {d.value("zh", key) + "不能为空", d.value("en", key) + " is required"};
  }
  if (!bad.empty()) return validation_error(bad);
  return ok_status();
}

}  // namespace kehu
