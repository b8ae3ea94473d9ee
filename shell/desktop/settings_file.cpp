#include "shell/desktop/settings_file.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

namespace kehu::desktop {

SettingsFile::SettingsFile(std::filesystem::path path) : path_(std::move(path)) {
  std::ifstream in(path_, std::ios::binary);
  if (!in) return;  // no settings yet
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) {
    std::fprintf(stderr, "crm-desktop: ignoring malformed settings file %s\n", path_.string().c_str());
    return;
  }
  for (const auto& [key, value] : doc.items())
    if (value.is_string()) values_[key] = value.get<std::string>();
}

std::string SettingsFile::get(const std::string& key) const {
  auto it = values_.find(key);
  return it == values_.end() ? std::string() : it->second;
}

bool SettingsFile::set(const std::string& key, const std::string& value) {
  if (value.empty()) {
    if (values_.erase(key) == 0) return true;
  } else {
    auto [it, inserted] = values_.try_emplace(key, value);
    if (!inserted) {
      if (it->second == value) return true;
      it->second = value;
    }
  }
  return write();
}

bool SettingsFile::write() const {
  nlohmann::json doc = nlohmann::json::object();
  for (const auto& [key, value] : values_) doc[key] = value;
  // Invalid UTF-8 from the client is replaced, not thrown on.
  std::string text = doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";

  std::error_code ec;
  if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), ec);
  std::filesystem::path tmp = path_;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::fprintf(stderr, "crm-desktop: cannot write settings to %s\n", tmp.string().c_str());
      return false;
    }
  }
  std::filesystem::rename(tmp, path_, ec);
  if (ec) {
    std::fprintf(stderr, "crm-desktop: cannot replace %s: %s\n", path_.string().c_str(), ec.message().c_str());
    std::filesystem::remove(tmp, ec);
    return false;
  }
  return true;
}

}  // namespace kehu::desktop
