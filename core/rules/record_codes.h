// record_codes.h — the human codes of customers, contracts, orders and tickets (SPEC §4):
// C000001, HT000001, DD000001, GD000001.
//
// A code left empty gets the entity's next number, drawn from a counter in `meta` inside the write
// transaction — one writer at a time, so two concurrent creates never draw the same number. A code
// typed by hand must be unique among that entity's live rows.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/entity/entity_def.h"
#include "core/store/write_txn.h"

namespace kehu {

// The prefix of `entity`'s automatic codes ("" when it has none).
std::string code_prefix(const EntityDef& entity);

// Fills `record["code"]` if empty. `record` is the full merged record about to be written.
Status assign_code(WriteTxn& txn, const EntityDef& entity, nlohmann::json& record);
// ErrorCode::validation on field "code" when another row of `entity` already has the code.
Status check_code_unique(Database& db, const EntityDef& entity, const nlohmann::json& record, int64_t self_id);

}  // namespace kehu
