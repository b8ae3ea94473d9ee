#include <doctest/doctest.h>

#include "core/clock.h"
#include "core/i18n.h"
#include "core/text/base64url.h"
#include "core/text/percent_encode.h"
#include "core/text/utf8.h"

using namespace kehu;

TEST_CASE("UTF-8 validation rejects what a browser or attacker can send") {
  CHECK(is_valid_utf8("北京华夏科技有限公司"));
  CHECK(is_valid_utf8("\xF0\xA0\xAE\xB7"));        // 𠮷, outside the BMP
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  CHECK_FALSE(is_valid_utf8("abc\xE4\xB8"));       // truncated
  CHECK_FALSE(is_valid_utf8(std::string("a\0b", 3)));
  CHECK(utf8_length("𠮷鑫a") == 3);
  CHECK(utf8_chars("a科𠮷").size() == 3);
  CHECK(trim("\xE3\x80\x80 张三 \t") == "张三");
}

TEST_CASE("base64url round-trips and rejects foreign characters") {
  for (std::string s : {"", "a", "ab", "abc", "abcd", "北京\x00\xff"}) CHECK(base64url_decode(base64url_encode(s)) == s);
  CHECK_FALSE(base64url_decode("ab+c").has_value());
  CHECK_FALSE(base64url_decode("a").has_value());
}

TEST_CASE("RFC 3339 times and calendar dates") {
  CHECK(format_rfc3339_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_rfc3339_ms(1763800000123) == "2025-11-22T08:26:40.123Z");
  CHECK(parse_rfc3339_ms("2025-11-22T08:26:40.123Z") == 1763800000123);
  CHECK(parse_rfc3339_ms("2025-11-22T16:26:40+08:00") == 1763800000000);
  CHECK(parse_rfc3339_ms("2025-11-22") == -1);
  CHECK(parse_rfc3339_ms("2025-02-30T00:00:00Z") == -1);
  CHECK(is_valid_date("2024-02-29"));
  CHECK_FALSE(is_valid_date("2023-02-29"));
  CHECK_FALSE(is_valid_date("2023-13-01"));
  CHECK_FALSE(is_valid_date("2023-1-01"));
}

// A time is stored and compared as the text format_rfc3339_ms writes, four-digit year first. A time
// past 9999-12-31T23:59:59.999Z would be written with a five-digit year ("10000-...") and sort before
// every stored time, so parse_rfc3339_ms refuses one, even when only a leap second or an offset carries
// the last day over.
TEST_CASE("RFC 3339: the last time accepted is 9999-12-31T23:59:59.999Z, and nothing an offset carries past it") {
  const int64_t last = parse_rfc3339_ms("9999-12-31T23:59:59.999Z");
  CHECK(last == 253402300799999);
  CHECK(format_rfc3339_ms(last) == "9999-12-31T23:59:59.999Z");
  CHECK(parse_rfc3339_ms("9999-12-31T23:59:59.999+00:00") == last);
  CHECK(parse_rfc3339_ms("9999-12-31T23:59:59+01:00") == last - 999 - 3600 * 1000);  // earlier: taken
  for (const char* past : {"9999-12-31T23:59:60Z", "9999-12-31T23:59:60.000Z", "9999-12-31T23:30:00-01:00",
                           "9999-12-31T01:00:00-23:00", "9999-12-31T23:59:59.999-00:01"}) {
    const std::string shown = past;
    CAPTURE(shown);
    CHECK(parse_rfc3339_ms(past) == -1);
  }
  // What is taken is written back in the stored form, and sorts as text as it does as a time.
  for (const std::string t : {"2026-11-25T22:34:17.000Z", "9999-12-31T23:59:59+01:00", "9999-12-31T23:59:59.999Z"}) {
    CAPTURE(t);
    const std::string stored = format_rfc3339_ms(parse_rfc3339_ms(t));
    CHECK(stored.size() == 24);
    CHECK(stored > "2026-11-25T22:34:16.999Z");
  }
}

TEST_CASE("calendar days: months, leap years and weekdays") {
  CHECK(day_of_civil(1970, 1, 1) == 0);
  CHECK(date_of_day(day_of_civil(2024, 2, 29)) == "2024-02-29");
  CHECK(date_of_day(day_of_civil(2023, 2, 29)) == "2023-03-01");  // past the month's end carries over
  CHECK(date_of_day(day_of_civil(2026, 12, 31) + 1) == "2027-01-01");
  CHECK(date_of_day(-1) == "1969-12-31");
  const CivilDate c = civil_of_day(day_of_civil(2026, 11, 23));
  CHECK((c.year == 2026 && c.month == 11 && c.day == 23));
  // 2026-11-23 is a Monday: (day + 3) % 7 == 0 counts Monday as 0, since day 0 was a Thursday.
  CHECK((day_of_civil(2026, 11, 23) + 3) % 7 == 0);
}

TEST_CASE("Accept-Language picks zh-CN or en by quality") {
  CHECK(parse_accept_language("en-US,en;q=0.9") == Lang::en);
  CHECK(parse_accept_language("zh-CN,zh;q=0.9,en;q=0.8") == Lang::zh);
  CHECK(parse_accept_language("fr-FR, en;q=0.5, zh;q=0.7") == Lang::zh);
  CHECK(parse_accept_language("") == Lang::zh);
  CHECK(parse_accept_language("de", Lang::en) == Lang::en);
  CHECK(parse_accept_language("english") == Lang::zh);  // not a language tag
}

#include "core/random.h"

TEST_CASE("a seeded SequenceRandom repeats; different seeds differ") {
  kehu::SequenceRandom a(7), b(7), c(8);
  std::string x = a.bytes(32);
  CHECK(x.size() == 32);
  CHECK(x == b.bytes(32));
  CHECK(x != c.bytes(32));
  CHECK(a.bytes(32) != x);
}

TEST_CASE("percent_encode keeps unreserved characters and escapes every other byte, UTF-8 included") {
  CHECK(percent_encode("kehu-20261125-full.db") == "kehu-20261125-full.db");
  CHECK(percent_encode("a b&c=d/e?#%") == "a%20b%26c%3Dd%2Fe%3F%23%25");
  CHECK(percent_encode("备份") == "%E5%A4%87%E4%BB%BD");
  CHECK(percent_encode("") == "");
}
