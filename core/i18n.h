// i18n.h — the two UI languages and a bilingual text value.
//
// Every user-facing string core produces is a Text holding both Simplified Chinese and English, so the
// server can answer in the request's Accept-Language and the client in its chosen language from the
// same value. Words follow ../shared/GLOSSARY.md.
#pragma once

#include <string>
#include <string_view>

namespace kehu {

enum class Lang { zh, en };

struct Text {
  std::string zh;
  std::string en;
  const std::string& in(Lang lang) const { return lang == Lang::zh ? zh : en; }
  bool empty() const { return zh.empty() && en.empty(); }
};

// Picks the language from an HTTP Accept-Language header: the first of zh*/en* by quality wins;
// anything else (or nothing) gives `fallback`.
Lang parse_accept_language(std::string_view header, Lang fallback = Lang::zh);

const char* lang_tag(Lang lang);  // "zh-CN" or "en"

}  // namespace kehu
