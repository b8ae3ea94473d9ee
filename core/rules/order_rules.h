// order_rules.h — orders and stock (SPEC §4 orders, inventory 库存).
//
// An order's lines name products; a line without a unit price takes the product's price, the total is
// the sum of quantity × unit price, computed here and never taken from the client. A confirmed order
// holds its quantities out of stock: confirming (or creating confirmed) takes them, cancelling returns
// them, changing the lines of a confirmed order takes or returns the difference. Stock never goes below
// zero: a line asking for more than is left answers ErrorCode::insufficient_stock naming that line, and
// since it runs inside the write transaction, nothing of the order is written and no stock is taken.
#pragma once

#include <nlohmann/json.hpp>

#include "core/store/write_txn.h"

namespace kehu {

// `order` is the whole order about to be written, `before` the stored one (null on create).
Status apply_order_rules(WriteTxn& txn, nlohmann::json& order, const nlohmann::json& before);

}  // namespace kehu
