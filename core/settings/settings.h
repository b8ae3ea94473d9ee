// settings.h — the administrator's settings (SPEC §5 Admin): one JSON document, validated here, stored
// in the one-row `settings` table with a rev so every client's sync carries its public part.
//
//   company        {name}
//   time_zone      IANA name used by statistics ("Asia/Shanghai")
//   churn_days     days without contact or order before a customer counts as churning (30..3650)
//   option_lists   {"customers.source": [{value, zh, en, retired?}], ...}: the choices of an enumerated
//                  field — relabelled, reordered, extended, or retired. A retired value (or one dropped
//                  from the list) is refused on new writes, but records that have it stay readable and
//                  can still be found by it.
//   custom_fields  {"customers": [{key, zh, en, type: text|number|date|boolean|option, options?, required?}]}:
//                  what a record's `custom` object may hold; each value is checked against its definition.
//   menus          {role: [module, ...]}: the modules each role's menu shows, in order.
//   smtp, imap     {host, port, username, password, from?, tls}: the mail servers (issue: e-mail).
//   backup         {schedule: off|daily|hourly, time: "HH:MM", folder, keep_daily, keep_weekly, keep_monthly, key}:
//                  daily: a full backup each day at `time` (company time zone); hourly: that and an
//                  incremental every hour something changed. The folder ("" = `backups` beside the
//                  database); the newest full backup of that many days, weeks and months is kept. `key`
//                  (write-only, 12-500 characters) encrypts backups unless KEHU_BACKUP_KEY overrides it.
// Passwords are write-only: admin_settings() shows whether one is set, never its value, and a PUT that
// leaves one out keeps the stored one. public_settings() — what every staff role reads and syncs — holds
// only company, time_zone, churn_days, option_lists, custom_fields and menus.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/entity/entity_def.h"
#include "core/store/write_txn.h"

namespace kehu {

// The stored settings over the defaults (a new database has no row yet).
Result<nlohmann::json> read_settings(Database& db);

// Validates a whole settings document (PUT /admin/settings) and returns it normalized; ErrorCode::validation
// names each bad part by its path ("custom_fields.customers.0.key"). Passwords left out are taken from
// `current`.
Result<nlohmann::json> validate_settings(const nlohmann::json& input, const nlohmann::json& current);

// Stores `settings` (already validated) with a new rev, audited as "settings" with the sections that changed.
Status write_settings(WriteTxn& txn, const nlohmann::json& settings);

nlohmann::json public_settings(const nlohmann::json& settings);
nlohmann::json admin_settings(const nlohmann::json& settings);

// The values an enumerated field of `entity` accepts on a write (field name -> values), for the fields
// whose option list the settings configure.
std::map<std::string, std::vector<std::string>> writable_choices(const nlohmann::json& settings, const EntityDef& entity);
// The values a list may filter an enumerated field by: the built-in ones and every one the settings list
// (retired ones too: old records keep them).
std::map<std::string, std::vector<std::string>> filter_choices(const nlohmann::json& settings, const EntityDef& entity);

// Checks a record's `custom` object against the entity's custom field definitions. A key no longer
// defined (or a value no longer valid) that the record already had unchanged passes: removing a
// definition keeps old records editable. Errors name "custom.{key}".
Status check_custom_values(const nlohmann::json& settings, const EntityDef& entity, const nlohmann::json& custom,
                           const nlohmann::json& before_custom, bool creating);

}  // namespace kehu
