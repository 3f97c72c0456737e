#include "triage/keyword_set.h"

#include <algorithm>
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
  max_keyword_ = 0;
  for (size_t k = 0; k < keywords_.size(); ++k) {
    const std::string& w = keywords_[k];
    if (w.empty()) continue;
    max_keyword_ = std::max(max_keyword_, w.size());
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

void KeywordSet::match(std::string_view text, std::vector<bool>& hits,
                       std::vector<uint32_t>* found) const {
  hits.assign(keywords_.size(), false);
  if (trans_.empty()) return;
  // Each byte costs one load that depends on the previous one, so a single walk waits on memory
  // most of the time (the table is over a megabyte). Long texts are cut into four pieces walked
  // side by side, each piece running on max_keyword_ - 1 bytes into the next so that every
  // occurrence lies wholly inside one piece: the loads of the lanes overlap. Only which keywords
  // occur is reported, so an occurrence seen by two lanes changes nothing.
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  const uint32_t ncls = static_cast<uint32_t>(classes_count_);
  const uint32_t* trans = trans_.data();
  auto hit = [&](uint32_t t) {
    const uint32_t state = (t >> 1) / ncls;
    for (uint32_t i = out_begin_[state]; i < out_begin_[state + 1]; ++i) {
      const uint32_t id = out_ids_[i];
      if (hits[id]) continue;
      hits[id] = true;
      if (found) found->push_back(id);
    }
  };
  auto walk = [&](uint32_t row, size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      const uint32_t t = trans[row + classes_[bytes[i]]];
      row = t >> 1;
      if (t & 1) hit(t);
    }
  };
  const size_t overlap = max_keyword_ > 0 ? max_keyword_ - 1 : 0;
  if (n < 4 * (overlap + 64)) {
    walk(0, 0, n);
    return;
  }
  // Four lanes in registers. The last piece takes the remainder and needs no overlap; the main
  // loop runs for its length, which stays inside the text for every lane.
  const size_t piece = n / 4;
  const unsigned char* p0 = bytes;
  const unsigned char* p1 = bytes + piece;
  const unsigned char* p2 = bytes + 2 * piece;
  const unsigned char* p3 = bytes + 3 * piece;
  const size_t steps = n - 3 * piece;
  uint32_t r0 = 0, r1 = 0, r2 = 0, r3 = 0;
  for (size_t k = 0; k < steps; ++k) {
    const uint32_t t0 = trans[r0 + classes_[p0[k]]];
    const uint32_t t1 = trans[r1 + classes_[p1[k]]];
    const uint32_t t2 = trans[r2 + classes_[p2[k]]];
    const uint32_t t3 = trans[r3 + classes_[p3[k]]];
    r0 = t0 >> 1;
    r1 = t1 >> 1;
    r2 = t2 >> 1;
    r3 = t3 >> 1;
    if ((t0 | t1 | t2 | t3) & 1) {
      if (t0 & 1) hit(t0);
      if (t1 & 1) hit(t1);
      if (t2 & 1) hit(t2);
      if (t3 & 1) hit(t3);
    }
  }
  // The first three lanes run on to their piece's end plus the overlap.
  walk(r0, steps, piece + overlap);
  walk(r1, piece + steps, 2 * piece + overlap);
  walk(r2, 2 * piece + steps, 3 * piece + overlap);
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
