#pragma once
// Compact JSON objects written straight into a string, for the small documents stored with
// every message or incident (an incident's route, event details). nlohmann::json first builds
// a tree of map nodes and then serialises it: about ten times the work for a handful of fields.
// Keys come out in the order written (nlohmann sorts them; readers do not care). Strings are
// escaped exactly as nlohmann::json::dump does, invalid UTF-8 replaced by U+FFFD.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kz {

class JsonOut {
 public:
  JsonOut() : out_("{") {}
  JsonOut& field(std::string_view key, std::string_view value);
  JsonOut& field(std::string_view key, const char* value) {
    return field(key, std::string_view(value));
  }
  JsonOut& field(std::string_view key, const std::string& value) {
    return field(key, std::string_view(value));
  }
  JsonOut& field(std::string_view key, int64_t value);
  JsonOut& field(std::string_view key, const std::vector<std::string>& values);
  // A value that is already JSON (a nested object another JsonOut wrote).
  JsonOut& json(std::string_view key, std::string_view json_text);
  // The finished object; the writer is spent.
  std::string done();

 private:
  void key(std::string_view k);
  std::string out_;
};

// Appends `s` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view s);

}  // namespace kz
