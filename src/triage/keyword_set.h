// A set of keywords matched all at once (Aho-Corasick over bytes, ASCII case-folded), so that
// classifying a message costs one pass over its text however many rules there are. Japanese
// keywords match byte-for-byte in UTF-8. Build once, then match from any number of threads.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kz::triage {

class KeywordSet {
 public:
  // Adds a keyword; returns its index. Empty keywords are ignored (index still returned).
  size_t add(std::string_view keyword);
  // Builds the automaton; call after the last add().
  void build();
  size_t size() const { return keywords_.size(); }
  const std::string& keyword(size_t i) const { return keywords_[i]; }

  // Sets hits[i] = true for every keyword i occurring in `text`. `hits` is resized to size().
  // With `found`, also appends each such i to it once (in no particular order), so that a
  // caller can visit the few keywords found instead of all of them.
  void match(std::string_view text, std::vector<bool>& hits,
             std::vector<uint32_t>* found = nullptr) const;
  // The end offset (one past the last byte) of the last occurrence of any keyword in `text`,
  // or -1 when none occurs.
  long last_match_end(std::string_view text) const;

 private:
  // The trie while building; compact() turns it into the tables below and frees it.
  struct Node {
    int32_t next[256];
    int32_t fail = 0;
    std::vector<uint32_t> outputs;
  };
  void compact();

  std::vector<std::string> keywords_;
  std::vector<Node> nodes_;
  // The DFA: trans_[state * classes_count_ + classes_[byte]] = (next state's row << 1) | (keywords
  // end there); the keywords ending in a state are out_ids_[out_begin_[state] ..
  // out_begin_[state+1]).
  std::array<uint16_t, 256> classes_{};
  size_t classes_count_ = 0;
  size_t max_keyword_ = 0;  // bytes of the longest keyword
  std::vector<uint32_t> trans_;
  std::vector<uint32_t> out_begin_;
  std::vector<uint32_t> out_ids_;
};

}  // namespace kz::triage
