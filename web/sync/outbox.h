// outbox.h — edits made on this device, applied to the cache at once and queued for the server (SPEC §6).
//
// create()/update() validate with core's rules, write the cache (so every screen shows the edit
// immediately, online or offline) and append an entry to the `outbox` table in the same transaction; the
// queue therefore survives reloads exactly as the cache does. Entries are sent in order, one at a time,
// each with its own Idempotency-Key kept across retries, so an answer lost on the way back is replayed
// without creating anything twice. A record created here has a negative id until the server accepts it;
// then the row is replaced by the server's and later entries naming the local id are rewritten. An entry
// the server refuses (validation, duplicate, conflict) stays as `failed` with the server's message: no edit
// is ever dropped silently; a conflict is first merged field by field (conflicted()).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "web/cache/local_cache.h"

namespace kehu::client {

struct OutboxEntry {
  int64_t seq = 0;
  std::string method;  // POST | PATCH | DELETE
  std::string action;  // POST /{entity}/{id}/{action} ("transition", "claim"); empty for the record itself
  std::string entity;
  int64_t record_id = 0;
  nlohmann::json body;
  std::string idempotency_key;
};

class Outbox {
 public:
  explicit Outbox(LocalCache& cache) : cache_(cache) {}

  struct Queued {
    nlohmann::json row;  // the record as the cache now holds it
    int64_t seq = 0;     // the outbox entry carrying the change
  };
  // Creates a record locally and queues it. Returns the local row (negative id) or the validation error.
  // `force`: the duplicate check overridden (a manager's or admin's word, SPEC §3; the server audits it).
  Result<Queued> create(const EntityDef& entity, const nlohmann::json& input, const std::string& now, int64_t user_id,
                        bool force = false);
  // Edits a record locally and queues the change against the rev the user saw (`base_rev`).
  Result<Queued> update(const EntityDef& entity, int64_t id, const nlohmann::json& patch, int64_t base_rev,
                        const std::string& now, int64_t user_id, bool force = false);

  // Deletes a record: it leaves the cache at once and the DELETE is queued. A record never sent is
  // simply forgotten with its queued edits. A refused delete (the record is still needed) brings it back.
  Status remove(const EntityDef& entity, int64_t id);
  // Queues an action on a record (POST /{entity}/{id}/{action} with `body`: a contract or ticket
  // transition, a claim). The cache changes when the server answers with the record.
  Result<int64_t> act(const EntityDef& entity, int64_t id, const std::string& action, const nlohmann::json& body);

  // Whether a delete or an action of this record waits to be sent (its page offers no second one).
  bool has_pending_action(const EntityDef& entity, int64_t id);

  // The path and method an entry is sent with.
  static std::string path_of(const OutboxEntry& entry);

  enum class State { gone, pending, failed };  // gone: accepted by the server (or withdrawn)
  State state(int64_t seq, nlohmann::json* error = nullptr);
  // Takes back a failed or pending entry the user is still editing: the cache row returns to what it was
  // before the edit (a local creation disappears), and the entry is deleted.
  Status withdraw(int64_t seq);

  int pending_count();
  int failed_count();
  // No entry at all, pending or failed (false when the cache cannot be read: assume there is one).
  bool empty();
  // Some entry waits to be sent (true when the cache cannot be read); one indexed probe, no entry read.
  bool has_pending();
  std::string last_failure();  // the newest failed entry's message ("" if none)

  // The oldest pending entry, if any.
  std::optional<OutboxEntry> next();
  // Entries that may go while the entries of `in_flight` (entity, record id) are on their way, at most
  // `max`, oldest first: plain edits (PATCH) of records the server has, each of a record with no entry in
  // flight and none older still waiting, naming no record created here. The scan stops at the first
  // entry of any other kind (a creation, a delete, an action: what follows may depend on it) and at
  // an entry to be sent alone (send_alone). Edits of different records commute on the server but for
  // rules that compare records (a duplicate phone): an edit refused while an older one was on its way
  // is sent again alone (SyncEngine), in its place in the queue, before it counts as refused.
  std::vector<OutboxEntry> sendable_alongside(size_t max, const std::set<std::pair<std::string, int64_t>>& in_flight);
  // `seq` goes alone when its turn comes: nothing is sent alongside it, and no entry after it goes first.
  void send_alone(int64_t seq) { send_alone_.insert(seq); }
  void sent_alone(int64_t seq) { send_alone_.erase(seq); }
  // The server accepted `entry` and answered with `record`: the cache takes the server's row, and the
  // entry is removed.
  Status accepted(const OutboxEntry& entry, const nlohmann::json& record);
  // The server refused `entry` with `error` (its error body, {"error": {code, message, fields}}): kept as failed.
  Status refused(const OutboxEntry& entry, const nlohmann::json& error);

  // The server refused a PATCH as a conflict (409: the record changed since the edit began) and sent its
  // row, `theirs`. The edit is merged field by field against the row it began from (core/sync/field_merge.h)
  // and the cache takes theirs with the merged edit on top. What merged is sent again at once, against
  // theirs' rev (resend); an edit the server already holds entirely is done (nothing_left); fields both
  // sides changed differently keep the entry failed, with `error` and the merge ({"merge": {theirs,
  // conflicts: [{field, base, mine, theirs}]}}) for the user (needs_user).
  enum class Merged { resend, nothing_left, needs_user };
  Result<Merged> conflicted(const OutboxEntry& entry, const nlohmann::json& theirs, const nlohmann::json& error);
  // The user's answer to a conflict kept by conflicted(): for each conflicting field, mine (true) or theirs
  // (false, also for a field not named). The entry is sent again with the merged fields, or is done when
  // nothing differs from theirs any more.
  Status settle_conflict(int64_t seq, const std::map<std::string, bool>& take_mine);
  // The entries refused by the server, oldest first, with their error bodies: what the user fixes,
  // merges or discards.
  struct Failed {
    OutboxEntry entry;
    nlohmann::json error;
  };
  std::vector<Failed> failed_entries();
  // An edit of a record the server no longer has (deleted meanwhile: not_found), made into a new record:
  // the record as the user last saw it with their edit, created and queued; the refused edit goes.
  Result<Queued> recreate(int64_t seq, const std::string& now, int64_t user_id);
  // The row a refused PATCH began from, as the server last had it (a conflict's theirs, else the row
  // before the edit); null when unknown.
  nlohmann::json base_row(int64_t seq);
  // Queues a refused entry (not a conflict) to be sent again as it is: a rule or a right may have changed.
  Status retry(int64_t seq);
  // Puts pending edits back over rows a sync just replaced, so the screen keeps showing them.
  Status reapply_pending();
  // The same for one record, whose row an answer to one of its entries just replaced: answering 1,000
  // queued edits costs 1,000 small steps, not 1,000 passes over the whole outbox.
  Status reapply_pending_of(const std::string& entity, int64_t record_id);
  // The entry being sent now (0: none): a change to a record whose creation is on its way is queued as
  // its own PATCH instead of being folded into the creation already sent.
  void set_in_flight(int64_t seq) { in_flight_ = seq; }

 private:
  // reapply_pending over the entries matching `which` (" AND …" on the outbox, its arguments `args`).
  Status reapply(const std::string& which, const std::vector<SqlValue>& args);
  Result<int64_t> queue(const std::string& method, const EntityDef& entity, int64_t record_id, const nlohmann::json& body,
                        const nlohmann::json& before, const std::string& action = {});
  // Puts a server row back after an edit is withdrawn or settled, unless a pull removed the record since
  // (it stays removed) or brought a newer row (that stays).
  Status restore_row(const EntityDef& entity, const nlohmann::json& row);
  LocalCache& cache_;
  int64_t in_flight_ = 0;
  std::set<int64_t> send_alone_;
};

// A fresh random Idempotency-Key (128 bits, hex).
std::string new_idempotency_key();

}  // namespace kehu::client
