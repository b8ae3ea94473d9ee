// The admin's backups over HTTP (server/routes/backup_routes.cpp), the scheduled job and /metrics: back up
// now with progress and a listed result, download equal to its checksum, restore online with what will be
// lost named first (writes refused with 503 during the swap, resuming by themselves; sign-ins kept;
// clients' syncs start over), a failed scheduled backup retried, visible in the status and in /metrics.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/db/sqlite_database.h"
#include "server/auth/crypto.h"
#include "server/backup/backup_cipher.h"
#include "tests/server/test_server.h"

using namespace kehu;
using namespace kehu::test;
using json = nlohmann::json;

namespace {

int64_t add_customer(TestServer& s, const std::string& token, const std::string& name) {
  auto r = s.request("POST", "/api/v1/customers", token, {{"name", name}});
  REQUIRE(r.status == 201);
  return r.body["id"].get<int64_t>();
}

json backup_now(TestServer& s, const std::string& token, const std::string& kind) {
  auto started = s.request("POST", "/api/v1/admin/backups", token, {{"kind", kind}});
  REQUIRE(started.status == 202);
  s.app().backups().wait();
  auto list = s.request("GET", "/api/v1/admin/backups", token);
  REQUIRE(list.status == 200);
  REQUIRE_FALSE(list.body["items"].empty());
  return list.body["items"][0];  // newest first
}

bool wait_until(const std::function<bool()>& condition) {
  for (int i = 0; i < 500; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST_CASE("an admin backs up now, lists it, and downloads exactly the file the manifest names") {
  TestServer s;
  const std::string admin = s.admin_token();
  s.add_user("rep", "sales");
  const std::string rep = s.login("rep");
  add_customer(s, admin, "华夏科技");

  CHECK(s.request("GET", "/api/v1/admin/backups", rep).status == 404);
  CHECK(s.request("POST", "/api/v1/admin/backups", rep, {{"kind", "full"}}).status == 404);
  auto bad = s.request("POST", "/api/v1/admin/backups", admin, {{"kind", "weekly"}}, {{"Accept-Language", "en"}});
  CHECK(bad.status == 422);
  CHECK(bad.body["error"]["fields"]["kind"] == "must be full or incremental");

  json full = backup_now(s, admin, "full");
  CHECK(full["kind"] == "full");
  CHECK(full["size"].get<int64_t>() > 0);
  CHECK(full["marks"]["rev"].get<int64_t>() > 0);
  auto list = s.request("GET", "/api/v1/admin/backups", admin);
  CHECK(list.body["status"]["running"].is_null());
  CHECK(list.body["status"]["last_success"]["name"] == full["name"]);
  CHECK(list.body["status"]["successes"] == 1);
  CHECK(list.body["folder"] == s.dir() + "/backups");
  // Whether the server's own key (KEHU_BACKUP_KEY) encrypts the backups, whatever the settings say.
  CHECK(list.body["key_from_environment"] == false);
  CHECK(list.body["folder_error"].is_null());
  ::setenv("KEHU_BACKUP_KEY", "the server's own key", 1);
  CHECK(s.request("GET", "/api/v1/admin/backups", admin).body["key_from_environment"] == true);
  ::unsetenv("KEHU_BACKUP_KEY");

  add_customer(s, admin, "鑫源贸易");
  json incremental = backup_now(s, admin, "incremental");
  CHECK(incremental["kind"] == "incremental");
  CHECK(incremental["base"] == full["name"]);

  const std::string name = full["name"];
  auto file = s.request("GET", "/api/v1/admin/backups/" + name + "/file", admin);
  REQUIRE(file.status == 200);
  CHECK(file.raw.size() == full["size"].get<size_t>());
  CHECK(server::sha256_hex(file.raw) == full["sha256"]);
  CHECK(file.header("Content-Disposition") == "attachment; filename=\"" + name + ".db\"");
  CHECK(s.request("GET", "/api/v1/admin/backups/" + name + "/file", rep).status == 404);
  CHECK(s.request("GET", "/api/v1/admin/backups/nope/file", admin).status == 404);
  CHECK(s.request("GET", "/api/v1/admin/backups/..%2Fkehu/file", admin).status == 404);

  // Every backup and the download are in the audit trail.
  CHECK(s.count("SELECT count(*) FROM audit WHERE action = 'backup' AND entity = 'backups'") == 2);
  CHECK(s.count("SELECT count(*) FROM audit WHERE action = 'download' AND changes LIKE '%" + name + "%'") == 1);
}

TEST_CASE("a restore names what will be lost, swaps online with writes refused meanwhile, and clients start over") {
  TestServer s;
  const std::string admin = s.admin_token();
  const int64_t a = add_customer(s, admin, "甲公司");
  json full = backup_now(s, admin, "full");
  const int64_t b = add_customer(s, admin, "乙公司");
  json point = backup_now(s, admin, "incremental");
  const int64_t c = add_customer(s, admin, "丙公司");
  auto patch = s.request("PATCH", record_path("customers", json(a)), admin,
                         {{"rev", s.count("SELECT rev FROM customers WHERE id = " + std::to_string(a))}, {"name", "甲公司（改名）"}});
  REQUIRE(patch.status == 200);
  const int64_t rev_before = s.count("SELECT value FROM meta WHERE key = 'rev'");
  const std::string name = point["name"];

  auto preview = s.request("GET", "/api/v1/admin/backups/" + name, admin);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["lost"]["records_written"] == 2);  // 丙 created, 甲 renamed
  CHECK(preview.body["lost"]["since"] == point["created_at"]);

  auto unconfirmed = s.request("POST", "/api/v1/admin/backups/" + name + "/restore", admin, json::object(), {{"Accept-Language", "en"}});
  CHECK(unconfirmed.status == 422);
  CHECK(unconfirmed.body["error"]["fields"]["confirm"] == "must be the backup's name, " + name);
  CHECK(s.count("SELECT count(*) FROM customers") == 3);

  SUBCASE("restored: the point's records, the admin still signed in, new writes after every rev clients saw") {
    auto restored = s.request("POST", "/api/v1/admin/backups/" + name + "/restore", admin, {{"confirm", name}});
    REQUIRE_MESSAGE(restored.status == 200, restored.raw);
    auto customers = s.request("GET", "/api/v1/customers?sort=id", admin);
    REQUIRE(customers.status == 200);
    REQUIRE(customers.body["items"].size() == 2);
    CHECK(customers.body["items"][0]["id"] == a);
    CHECK(customers.body["items"][0]["name"] == "甲公司");
    CHECK(customers.body["items"][1]["id"] == b);
    CHECK(s.request("GET", record_path("customers", json(c)), admin).status == 404);
    // A client that had synced to the old rev starts over; new writes take revs after it.
    auto sync = s.request("GET", "/api/v1/sync?since=" + std::to_string(rev_before), admin);
    REQUIRE(sync.status == 200);
    CHECK(sync.body["reset"] == true);
    add_customer(s, admin, "丁公司");
    CHECK(s.count("SELECT max(rev) FROM customers") > rev_before);
    // The database as it was is kept as a backup, and the restore is audited.
    auto list = s.request("GET", "/api/v1/admin/backups", admin);
    bool kept = false;
    for (const auto& item : list.body["items"]) kept |= item.value("note", "") == "before restoring " + name;
    CHECK(kept);
    CHECK(s.count("SELECT count(*) FROM audit WHERE action = 'restore' AND changes LIKE '%" + name + "%'") == 1);
    // The log of what was done after the point is not rolled back with the data.
    CHECK(s.count("SELECT count(*) FROM audit WHERE action = 'backup' AND changes LIKE '%" + name + "%'") == 1);
    CHECK(s.count("SELECT count(*) FROM audit WHERE action = 'update' AND entity = 'customers' AND entity_id = " + std::to_string(a)) == 1);
    // A restart finds the restored database whole.
    s.restart();
    CHECK(s.count("SELECT count(*) FROM customers") == 3);
  }

  SUBCASE("during the swap writes get 503 with Retry-After, and resume by themselves") {
    // A long read the swap waits for, on a thread of its own.
    std::atomic<bool> reading{false}, release{false};
    std::thread reader([&] {
      auto lease = s.app().db().read();
      reading = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    });
    REQUIRE(wait_until([&] { return reading.load(); }));
    std::optional<Result<BackupMarks>> done;
    std::thread restoring([&] { done.emplace(s.app().backups().restore(name, 0, "")); });
    REQUIRE(wait_until([&] { return s.app().db().swapping(); }));
    auto refused = s.request("POST", "/api/v1/customers", admin, {{"name", "戊公司"}}, {{"Accept-Language", "en"}});
    CHECK(refused.status == 503);
    CHECK(refused.header("Retry-After") == "5");
    CHECK(refused.body["error"]["message"] == "a restore is in progress; try again in a few seconds");
    release = true;
    reader.join();
    restoring.join();
    REQUIRE(done.has_value());
    REQUIRE_MESSAGE(done->ok(), done->error().message.en);
    CHECK(add_customer(s, admin, "戊公司") > 0);
    CHECK(s.count("SELECT count(*) FROM customers") == 3);  // 甲, 乙 and 戊
  }
}

TEST_CASE("scheduled backups: a new server is backed up at once; a failure is retried and shows in the status and /metrics") {
  TestServer s([](server::ServerConfig& c) {
    c.scheduled_backups = true;
    c.job_tick_ms = 50;
  });
  const std::string admin = s.admin_token();
  REQUIRE(wait_until([&] { return s.app().backups().status()["successes"] == 1; }));
  auto list = s.request("GET", "/api/v1/admin/backups", admin);
  REQUIRE(list.body["items"].size() == 1);
  CHECK(list.body["items"][0]["kind"] == "full");

  // A folder the server cannot make is refused when it is saved, naming it, and nothing changes.
  auto put = s.request("PUT", "/api/v1/admin/settings", admin,
                       {{"backup", {{"schedule", "hourly"}, {"time", "02:00"}, {"folder", "/proc/kehu-backups"},
                                    {"keep_daily", 7}, {"keep_weekly", 4}, {"keep_monthly", 12}}}},
                       {{"Accept-Language", "en"}});
  CHECK(put.status == 422);
  CHECK(put.body["error"]["fields"]["backup.folder"].get<std::string>().find("cannot create the backup folder /proc/kehu-backups") == 0);
  CHECK(s.count("SELECT count(*) FROM settings") == 0);
  CHECK(s.request("GET", "/api/v1/admin/backups", admin).body["folder"] == s.dir() + "/backups");

  // A folder that was fine when saved and is lost later (a disk unmounted, a file in its place): each
  // tick tries again and fails, and says why.
  const std::string doomed = s.dir() + "/doomed";
  put = s.request("PUT", "/api/v1/admin/settings", admin,
                  {{"backup", {{"schedule", "hourly"}, {"time", "02:00"}, {"folder", doomed},
                               {"keep_daily", 7}, {"keep_weekly", 4}, {"keep_monthly", 12}}}});
  REQUIRE(put.status == 200);
  CHECK(std::filesystem::is_directory(doomed));  // made when saved
  // The saved folder gets its first backup at once (a new chain); the folder then goes.
  REQUIRE(wait_until([&] { return s.app().backups().status()["successes"] == 2; }));
  s.app().backups().wait();
  std::filesystem::remove_all(doomed);
  std::ofstream(doomed) << "not a folder";
  REQUIRE(wait_until([&] { return s.app().backups().status()["failures"].get<int>() >= 2; }));
  auto unreadable = s.request("GET", "/api/v1/admin/backups", admin);
  REQUIRE(unreadable.status == 200);  // the screen still shows the status and says why the list is empty
  CHECK(unreadable.body["items"].empty());
  CHECK(unreadable.body["folder_error"]["en"].get<std::string>().find("cannot read the backup folder " + doomed) == 0);
  auto status = unreadable.body["status"];
  CHECK(status["last_failure"]["message"]["en"].get<std::string>().find(doomed) != std::string::npos);
  auto metrics = s.request("GET", "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.header("Content-Type").find("text/plain") == 0);
  CHECK(metrics.raw.find("\nkehu_backup_last_failed 1\n") != std::string::npos);
  CHECK(metrics.raw.find("\nkehu_backup_successes_total 2\n") != std::string::npos);

  // Fixed, with a key: the next tick backs up, encrypted, into the new folder, and the monitor sees it.
  // The key is write-only: the settings say that one is set, never what it is.
  const std::string folder = s.dir() + "/elsewhere";
  put = s.request("PUT", "/api/v1/admin/settings", admin,
                  {{"backup", {{"schedule", "hourly"}, {"time", "02:00"}, {"folder", folder}, {"key", "a key of the company's"},
                               {"keep_daily", 7}, {"keep_weekly", 4}, {"keep_monthly", 12}}}});
  REQUIRE(put.status == 200);
  auto shown = s.request("GET", "/api/v1/admin/settings", admin);
  CHECK(shown.body["backup"]["key_set"] == true);
  CHECK_FALSE(shown.body["backup"].contains("key"));
  CHECK(shown.raw.find("a key of the company's") == std::string::npos);
  // What a client read, sent back whole (key_set included), is taken and keeps the key.
  REQUIRE(s.request("PUT", "/api/v1/admin/settings", admin, shown.body).status == 200);
  CHECK(s.count("SELECT count(*) FROM settings WHERE value LIKE '%a key of the company''s%'") == 1);
  CHECK(s.count("SELECT count(*) FROM settings WHERE value LIKE '%key_set%'") == 0);
  REQUIRE(wait_until([&] { return s.app().backups().status()["successes"] == 3; }));
  auto made = s.request("GET", "/api/v1/admin/backups", admin).body["items"][0];
  CHECK(made["encrypted"] == true);
  CHECK(std::filesystem::exists(folder + "/" + made["name"].get<std::string>() + ".db.enc"));
  auto short_key = s.request("PUT", "/api/v1/admin/settings", admin,
                             {{"backup", {{"schedule", "hourly"}, {"time", "02:00"}, {"folder", folder}, {"key", "short"},
                                          {"keep_daily", 7}, {"keep_weekly", 4}, {"keep_monthly", 12}}}},
                             {{"Accept-Language", "en"}});
  CHECK(short_key.status == 422);
  // A new key alone is a change (the settings show only that one is set, both before and after).
  put = s.request("PUT", "/api/v1/admin/settings", admin,
                  {{"backup", {{"schedule", "hourly"}, {"time", "02:00"}, {"folder", folder}, {"key", "the company's second key"},
                               {"keep_daily", 7}, {"keep_weekly", 4}, {"keep_monthly", 12}}}});
  REQUIRE(put.status == 200);
  CHECK(s.count("SELECT count(*) FROM settings WHERE value LIKE '%the company''s second key%'") == 1);
  CHECK(short_key.body["error"]["fields"]["backup.key"] == "the backup key must be 12-500 characters");
  metrics = s.request("GET", "/metrics");
  CHECK(metrics.raw.find("\nkehu_backup_last_failed 0\n") != std::string::npos);
}

namespace {

// Sends `bytes` as an upload of `file` in pieces of `piece` bytes; returns the last answer.
Response upload(TestServer& s, const std::string& token, const std::string& bytes, const std::string& file, size_t piece = 1 << 20) {
  Response last;
  for (size_t at = 0; at < bytes.size(); at += piece) {
    const std::string path = "/api/v1/admin/backups/upload?offset=" + std::to_string(at) + "&size=" + std::to_string(bytes.size()) +
                             "&file=" + file;
    last = s.raw_request("POST", path, bytes.substr(at, piece), "application/octet-stream",
                         {{"Authorization", "Bearer " + token}, {"Accept-Language", "en"}});
    if (last.status != 200) break;
  }
  return last;
}

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("a backup brought from elsewhere is uploaded in pieces, checked, listed, and restored like any other") {
  TestServer s;
  const std::string admin = s.admin_token();
  add_customer(s, admin, "甲公司");
  add_customer(s, admin, "乙公司");
  json full = backup_now(s, admin, "full");
  const std::string name = full["name"];
  const std::string bytes = s.request("GET", "/api/v1/admin/backups/" + name + "/file", admin).raw;
  REQUIRE(bytes.size() == full["size"].get<size_t>());
  add_customer(s, admin, "丙公司");
  const size_t listed = s.request("GET", "/api/v1/admin/backups", admin).body["items"].size();

  s.add_user("rep", "sales");
  CHECK(upload(s, s.login("rep"), bytes, "x.db").status == 404);
  // A piece out of order is refused; the upload starts over from the first byte.
  auto first = s.raw_request("POST", "/api/v1/admin/backups/upload?offset=0&size=" + std::to_string(bytes.size()), bytes.substr(0, 4096),
                              "application/octet-stream", {{"Authorization", "Bearer " + admin}});
  CHECK(first.status == 200);
  CHECK(first.body["received"] == 4096);
  auto skipped = s.raw_request("POST", "/api/v1/admin/backups/upload?offset=8192&size=" + std::to_string(bytes.size()), "abc",
                               "application/octet-stream", {{"Authorization", "Bearer " + admin}});
  CHECK(skipped.status == 409);
  auto past_end = s.raw_request("POST", "/api/v1/admin/backups/upload?offset=0&size=2", "abc", "application/octet-stream",
                                {{"Authorization", "Bearer " + admin}});
  CHECK(past_end.status == 422);
  CHECK(s.request("GET", "/api/v1/admin/backups", admin).body["items"].size() == listed);

  auto done = upload(s, admin, bytes, "C:\\Users\\admin\\Downloads\\" + name + ".db", 64 * 1024);
  REQUIRE_MESSAGE(done.status == 201, done.raw);
  const json uploaded = done.body["backup"];
  const std::string uploaded_name = uploaded["name"];
  CHECK(uploaded["kind"] == "full");
  CHECK(uploaded["uploaded_from"] == name + ".db");  // the file's name, never the admin's path
  CHECK(uploaded["records"] == 2);
  CHECK(uploaded["marks"] == full["marks"]);
  CHECK(uploaded_name.find("uploaded") != std::string::npos);
  CHECK(s.count("SELECT count(*) FROM audit WHERE action = 'upload' AND changes LIKE '%" + uploaded_name + "%'") == 1);
  CHECK_FALSE(std::filesystem::exists(s.dir() + "/backups/upload.uploading"));

  // Its revs are another database's: the confirmation says everything is replaced, and by how much.
  auto preview = s.request("GET", "/api/v1/admin/backups/" + uploaded_name, admin);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["lost"]["replaces_all"] == true);
  CHECK(preview.body["lost"]["records_now"] == 3);
  CHECK(preview.body["lost"]["records_then"] == 2);

  auto restored = s.request("POST", "/api/v1/admin/backups/" + uploaded_name + "/restore", admin, {{"confirm", uploaded_name}});
  REQUIRE_MESSAGE(restored.status == 200, restored.raw);
  auto customers = s.request("GET", "/api/v1/customers?sort=id", admin);
  REQUIRE(customers.body["items"].size() == 2);
  CHECK(customers.body["items"][1]["name"] == "乙公司");
}

TEST_CASE("an uploaded file that is not a whole Kehu backup is refused by what is wrong, and nothing is added") {
  TestServer s;
  const std::string admin = s.admin_token();
  add_customer(s, admin, "甲公司");
  json full = backup_now(s, admin, "full");
  const std::string bytes = s.request("GET", "/api/v1/admin/backups/" + full["name"].get<std::string>() + "/file", admin).raw;
  const size_t listed = s.request("GET", "/api/v1/admin/backups", admin).body["items"].size();
  auto refused = [&](const std::string& file_bytes) {
    auto r = upload(s, admin, file_bytes, "bad.db");
    CHECK(r.status == 422);
    CHECK(s.request("GET", "/api/v1/admin/backups", admin).body["items"].size() == listed);
    return r.body["error"]["message"].get<std::string>();
  };

  CHECK(refused("PK\x03\x04 a spreadsheet, not a backup") ==
        "the file is not a database backup (neither a SQLite database nor an encrypted backup)");
  // Cut short: SQLite's header is there, the pages are not.
  CHECK_FALSE(refused(bytes.substr(0, bytes.size() / 2)).empty());

  // Another program's SQLite database, and a Kehu database carrying a trigger of its own.
  const std::string other = s.dir() + "/other.db", tampered = s.dir() + "/tampered.db";
  {
    auto db = SqliteDatabase::open(other, SqliteOptions{.wal = false});
    REQUIRE(db.ok());
    REQUIRE((*db)->exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); PRAGMA user_version = 1").ok());
  }
  CHECK(refused(read_whole(other)).find("the file is not a Kehu database backup") == 0);
  {
    std::ofstream(tampered, std::ios::binary) << bytes;
    auto db = SqliteDatabase::open(tampered, SqliteOptions{.wal = false});
    REQUIRE(db.ok());
    REQUIRE((*db)->exec("CREATE TRIGGER steal AFTER INSERT ON sessions BEGIN DELETE FROM users; END").ok());
  }
  CHECK(refused(read_whole(tampered)) == "the file is not a Kehu database backup: it holds trigger steal, which is not Kehu's");

  // Encrypted with a key this server does not have set.
  const std::string sealed = s.dir() + "/sealed.db.enc";
  {
    std::ofstream(s.dir() + "/plain.db", std::ios::binary) << bytes;
    Random& random = server::App::default_random();
    REQUIRE(server::encrypt_file(s.dir() + "/plain.db", sealed, "a key of another company", random).ok());
  }
  CHECK(refused(read_whole(sealed)) == "this backup is encrypted: set the backup key in the settings first");
  CHECK(s.count("SELECT count(*) FROM customers") == 1);
  CHECK(s.count("SELECT count(*) FROM audit WHERE action = 'upload'") == 0);
}
