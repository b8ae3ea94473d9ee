// settings_file.h — the desktop's small persistent settings: a JSON object of strings in one file.
//
// Platform::load_setting/save_setting (web/platform.h) keep the language and the last signed-in user
// across restarts — the desktop's localStorage. Not for secrets. The file lives next to the cache
// databases (settings.json in the cache folder). Every save rewrites the whole file through a temporary
// file and a rename, so a program that dies mid-save leaves the old or the new settings, never half a
// file (no fsync: these are preferences, not data).
// A missing file means no settings; an unreadable or malformed one is reported on stderr and treated
// as empty (the next save replaces it). Threads: one thread (the UI thread).
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace kehu::desktop {

class SettingsFile {
 public:
  explicit SettingsFile(std::filesystem::path path);

  // The stored value, or "" when there is none.
  std::string get(const std::string& key) const;
  // Stores `value` ("" removes the key) and writes the file; false (reported on stderr) if writing
  // failed — the value is still remembered for this run.
  bool set(const std::string& key, const std::string& value);

  const std::filesystem::path& path() const { return path_; }

 private:
  bool write() const;

  std::filesystem::path path_;
  std::map<std::string, std::string> values_;
};

}  // namespace kehu::desktop
