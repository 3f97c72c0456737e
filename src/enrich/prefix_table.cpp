#include "enrich/prefix_table.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <new>
#include <set>

namespace kz::enrich {

U128 to_u128(const Ip& ip) {
  U128 v = 0;
  const size_t n = ip.is_v4() ? 4 : 16;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | ip.bytes()[i];
  return v;
}

void PrefixTable::Builder::add(const Cidr& prefix, uint32_t value) {
  if (prefix.network().is_v4()) {
    v4_.push_back({prefix.network().v4_value(), prefix.length(), value});
  } else {
    v6_.push_back({to_u128(prefix.network()), prefix.length(), value});
  }
}

namespace {

// Flattens properly nested prefixes into disjoint ranges [start, next start) with the value of
// the most specific prefix covering each (kNone where none does). `Addr` is uint32_t or
// U128; `bits` its width.
template <typename Addr, typename P>
void flatten(std::vector<P> prefixes, int bits, std::vector<Addr>& starts,
             std::vector<uint32_t>& values, uint32_t none) {
  // Same prefix twice: the last one added wins.
  std::stable_sort(prefixes.begin(), prefixes.end(), [](const P& a, const P& b) {
    return a.start != b.start ? a.start < b.start : a.length < b.length;
  });
  std::vector<P> unique;
  for (const auto& p : prefixes) {
    if (!unique.empty() && unique.back().start == p.start && unique.back().length == p.length) {
      unique.back() = p;
    } else {
      unique.push_back(p);
    }
  }
  auto last_of = [bits](const P& p) -> Addr {
    const int host = bits - p.length;
    const Addr mask = host == 0 ? Addr{0} : (host >= bits ? ~Addr{0} : ((Addr{1} << host) - 1));
    return p.start | mask;
  };
  auto emit = [&](Addr start, uint32_t value) {
    if (!values.empty() && values.back() == value) return;  // merge equal neighbours
    if (!starts.empty() && starts.back() == start) {
      values.back() = value;
      if (values.size() >= 2 && values[values.size() - 2] == value) {
        starts.pop_back();
        values.pop_back();
      }
      return;
    }
    starts.push_back(start);
    values.push_back(value);
  };
  std::vector<P> open;  // the prefixes holding the cursor, outermost first
  emit(0, none);
  for (const auto& p : unique) {
    while (!open.empty() && last_of(open.back()) < p.start) {
      const Addr end = last_of(open.back());  // end < p.start: end + 1 cannot overflow
      open.pop_back();
      emit(end + 1, open.empty() ? none : open.back().value);
    }
    emit(p.start, p.value);
    open.push_back(p);
  }
  while (!open.empty()) {
    const Addr end = last_of(open.back());
    open.pop_back();
    if (end == ~Addr{0}) break;  // this range runs to the end of the address space
    emit(end + 1, open.empty() ? none : open.back().value);
  }
}

}  // namespace

std::shared_ptr<const PrefixTable> PrefixTable::Builder::build() const {
  std::shared_ptr<PrefixTable> t(new PrefixTable());
  if (v4_.size() < kDirThreshold) {
    flatten<uint32_t>(v4_, 32, t->v4_starts_, t->v4_values_, kNone);
    std::set<std::pair<uint32_t, int>> v4_unique;
    for (const auto& p : v4_) v4_unique.insert({p.start, p.length});
    t->prefixes_ = v4_unique.size();
  } else {
    t->build_dir24(v4_);
  }
  // IPv6: disjoint ranges.
  flatten<U128>(v6_, 128, t->v6_starts_, t->v6_values_, kNone);
  t->v6_starts_.shrink_to_fit();
  t->v6_values_.shrink_to_fit();
  std::set<std::pair<U128, int>> v6_unique;
  for (const auto& p : v6_) v6_unique.insert({p.start, p.length});
  t->prefixes_ += v6_unique.size();
  return t;
}

void PrefixTable::build_dir24(const std::vector<Builder::V4>& prefixes) {
  PrefixTable* t = this;
  // IPv4: DIR-24-8 filled shortest prefixes first, so longer ones overwrite them.
  std::vector<Builder::V4> v4 = prefixes;
  std::stable_sort(v4.begin(), v4.end(),
                   [](const Builder::V4& a, const Builder::V4& b) { return a.length < b.length; });
  std::map<std::pair<uint32_t, int>, uint32_t> last;  // same prefix twice: last value wins
  for (const auto& p : prefixes) last[{p.start, p.length}] = p.value;
  constexpr size_t kEntries = size_t{1} << 24;
  constexpr size_t kBytes = kEntries * sizeof(uint32_t);
  t->tbl24_.reset(static_cast<uint32_t*>(std::aligned_alloc(size_t{2} << 20, kBytes)));
  if (!t->tbl24_) throw std::bad_alloc();
  madvise(t->tbl24_.get(), kBytes, MADV_HUGEPAGE);  // a hint: without THP it is ignored
  std::memset(t->tbl24_.get(), 0, kBytes);
  uint32_t* tbl24 = t->tbl24_.get();
  for (const auto& p : v4) {
    auto it = last.find({p.start, p.length});
    if (it == last.end()) continue;  // already placed
    const uint32_t value = it->second;
    last.erase(it);
    t->values_.push_back(value);
    const uint32_t entry = static_cast<uint32_t>(t->values_.size());
    if (p.length <= 24) {
      const uint32_t first = p.start >> 8;
      const uint32_t count = 1u << (24 - p.length);
      for (uint32_t i = 0; i < count; ++i) {
        uint32_t& e = tbl24[first + i];
        if (e & kGroupFlag) {
          // Cannot happen: groups are made only by prefixes longer than /24, placed after.
          continue;
        }
        e = entry;
      }
    } else {
      uint32_t& e = tbl24[p.start >> 8];
      if (!(e & kGroupFlag)) {
        const uint32_t group = static_cast<uint32_t>(t->tbl8_.size() >> 8);
        t->tbl8_.resize(t->tbl8_.size() + 256, e);  // the group starts as the covering /24
        e = kGroupFlag | group;
      }
      const uint32_t base = (e & ~kGroupFlag) << 8;
      const uint32_t first = p.start & 0xFF;
      const uint32_t count = 1u << (32 - p.length);
      for (uint32_t i = 0; i < count; ++i) t->tbl8_[base + first + i] = entry;
    }
  }
  t->prefixes_ = t->values_.size();
}

std::optional<uint32_t> PrefixTable::lookup_v4_ranges(uint32_t addr) const {
  auto it = std::upper_bound(v4_starts_.begin(), v4_starts_.end(), addr);
  if (it == v4_starts_.begin()) return std::nullopt;
  const uint32_t v = v4_values_[static_cast<size_t>(it - v4_starts_.begin()) - 1];
  if (v == kNone) return std::nullopt;
  return v;
}

std::optional<uint32_t> PrefixTable::lookup_v6(U128 addr) const {
  auto it = std::upper_bound(v6_starts_.begin(), v6_starts_.end(), addr);
  if (it == v6_starts_.begin()) return std::nullopt;
  const uint32_t v = v6_values_[static_cast<size_t>(it - v6_starts_.begin()) - 1];
  if (v == kNone) return std::nullopt;
  return v;
}

std::optional<uint32_t> PrefixTable::lookup(const Ip& ip) const {
  if (ip.is_v4()) return lookup_v4(ip.v4_value());
  return lookup_v6(to_u128(ip));
}

size_t PrefixTable::memory_bytes() const {
  return (tbl24_ ? (size_t{1} << 24) * sizeof(uint32_t) : 0) + tbl8_.capacity() * sizeof(uint32_t) +
         v4_starts_.capacity() * sizeof(uint32_t) + v4_values_.capacity() * sizeof(uint32_t) +
         values_.capacity() * sizeof(uint32_t) + v6_starts_.capacity() * sizeof(U128) +
         v6_values_.capacity() * sizeof(uint32_t);
}

}  // namespace kz::enrich
