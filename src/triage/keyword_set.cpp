#include "triage/keyword_set.h"

#include <cstring>
#include <queue>

#include "core/text.h"

namespace kz::triage {

namespace {
inline unsigned char fold(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }
}  // namespace

size_t KeywordSet::add(std::string_view keyword) {
  keywords_.push_back(to_lower_ascii(keyword));
  return keywords_.size() - 1;
}

void KeywordSet::build() {
  nodes_.clear();
  size_t bound = 1;  // the trie has at most one node per keyword byte, plus the root
  for (const auto& w : keywords_) bound += w.size();
  nodes_.reserve(bound);  // nodes are 1 KiB each: growing the vector would copy them all again
  nodes_.emplace_back();
  std::memset(nodes_[0].next, -1, sizeof nodes_[0].next);
  for (size_t k = 0; k < keywords_.size(); ++k) {
    const std::string& w = keywords_[k];
    if (w.empty()) continue;
    int32_t cur = 0;
    for (unsigned char c : w) {
      if (nodes_[cur].next[c] < 0) {
        nodes_[cur].next[c] = static_cast<int32_t>(nodes_.size());
        nodes_.emplace_back();
        std::memset(nodes_.back().next, -1, sizeof nodes_.back().next);
      }
      cur = nodes_[cur].next[c];
    }
    nodes_[cur].outputs.push_back(static_cast<uint32_t>(k));
  }
  // Breadth-first: complete the goto function into a DFA and merge outputs along fail links.
  std::queue<int32_t> q;
  for (int c = 0; c < 256; ++c) {
    int32_t& n = nodes_[0].next[c];
    if (n < 0) {
      n = 0;
    } else {
      nodes_[n].fail = 0;
      q.push(n);
    }
  }
  while (!q.empty()) {
    const int32_t u = q.front();
    q.pop();
    const auto& fail_out = nodes_[nodes_[u].fail].outputs;
    nodes_[u].outputs.insert(nodes_[u].outputs.end(), fail_out.begin(), fail_out.end());
    for (int c = 0; c < 256; ++c) {
      const int32_t v = nodes_[u].next[c];
      if (v < 0) {
        nodes_[u].next[c] = nodes_[nodes_[u].fail].next[c];
      } else {
        nodes_[v].fail = nodes_[nodes_[u].fail].next[c];
        q.push(v);
      }
    }
  }
  compact();
}

void KeywordSet::compact() {
  // Byte classes: bytes that occur in no keyword behave alike (class 0, back to the root), and
  // an upper-case ASCII letter behaves as its lower-case one. With some sixty classes instead
  // of 256 columns the table of a few thousand states stays in cache while matching.
  classes_.fill(0);
  int ncls = 1;
  for (const auto& w : keywords_) {
    for (unsigned char c : w) {
      if (classes_[c] == 0) classes_[c] = static_cast<uint16_t>(ncls++);
    }
  }
  for (int c = 'A'; c <= 'Z'; ++c) classes_[c] = classes_[c + 32];
  std::array<int, 256> representative;
  representative.fill(-1);
  for (int c = 255; c >= 0; --c) representative[classes_[c]] = c;
  classes_count_ = ncls;
  // Each entry is the target state's row offset (state * classes) shifted left once, with the
  // low bit set when keywords end in that state: one load per byte, and the output lists are
  // touched only on a hit.
  trans_.assign(nodes_.size() * static_cast<size_t>(ncls), 0);
  out_begin_.assign(nodes_.size() + 1, 0);
  out_ids_.clear();
  for (size_t u = 0; u < nodes_.size(); ++u) {
    for (int k = 0; k < ncls; ++k) {
      const int32_t v = nodes_[u].next[fold(static_cast<unsigned char>(representative[k]))];
      trans_[u * ncls + k] = (static_cast<uint32_t>(v) * static_cast<uint32_t>(ncls)) << 1 |
                             (nodes_[v].outputs.empty() ? 0u : 1u);
    }
    out_begin_[u] = static_cast<uint32_t>(out_ids_.size());
    out_ids_.insert(out_ids_.end(), nodes_[u].outputs.begin(), nodes_[u].outputs.end());
  }
  out_begin_[nodes_.size()] = static_cast<uint32_t>(out_ids_.size());
  nodes_.clear();
  nodes_.shrink_to_fit();
}

void KeywordSet::match(std::string_view text, std::vector<bool>& hits) const {
  hits.assign(keywords_.size(), false);
  if (trans_.empty()) return;
  uint32_t row = 0;
  for (char ch : text) {
    const uint32_t t = trans_[row + classes_[static_cast<unsigned char>(ch)]];
    row = t >> 1;
    if (t & 1) {
      const uint32_t state = row / static_cast<uint32_t>(classes_count_);
      for (uint32_t i = out_begin_[state]; i < out_begin_[state + 1]; ++i) hits[out_ids_[i]] = true;
    }
  }
}

long KeywordSet::last_match_end(std::string_view text) const {
  long last = -1;
  if (trans_.empty()) return last;
  uint32_t row = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const uint32_t t = trans_[row + classes_[static_cast<unsigned char>(text[i])]];
    row = t >> 1;
    if (t & 1) last = static_cast<long>(i + 1);
  }
  return last;
}

}  // namespace kz::triage
