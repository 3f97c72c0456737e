// Fuzzes mbox splitting and the date parsers it relies on. The streaming splitter must give the
// same messages whether the input comes whole or in pieces of any size (the first byte picks
// the piece size), and with a small memory share (the rest spilled to disk) the same hashes.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/sha256.h"
#include "core/time.h"
#include "intake/mailbox.h"

namespace {

std::vector<kz::intake::InputItem> in_pieces(std::string_view in, size_t piece,
                                             const kz::intake::ReadOptions& options) {
  std::vector<kz::intake::InputItem> out;
  kz::intake::MboxSplitter splitter("fuzz", in.starts_with("From "), false, options,
                                    [&](kz::intake::InputItem&& item) {
                                      out.push_back(std::move(item));
                                      return true;
                                    });
  for (size_t at = 0; at < in.size(); at += piece) {
    if (!splitter.feed(in.substr(at, piece))) std::abort();
  }
  if (!splitter.end()) std::abort();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto whole = kz::intake::split_mbox(in, "fuzz");
  if (!whole) std::abort();
  const size_t piece = size > 0 ? 1 + data[0] % 97 : 1;
  kz::intake::ReadOptions small;
  small.max_memory_bytes = 512;
  small.max_raw_bytes = 4096;
  const auto pieces = in_pieces(in, piece, {});
  const auto spilled = in_pieces(in, piece, small);
  if (pieces.size() != whole->size() || spilled.size() != whole->size()) std::abort();
  for (size_t i = 0; i < whole->size(); ++i) {
    const auto& w = (*whole)[i];
    if (pieces[i].bytes != w.bytes || pieces[i].source != w.source ||
        pieces[i].sha256 != kz::sha256_hex(w.bytes) || pieces[i].mbox_time != w.mbox_time)
      std::abort();
    // The same message kept in memory up to 512 bytes and cut at 4096.
    const auto& s = spilled[i];
    const std::string_view kept = std::string_view(w.bytes).substr(0, 4096);
    if (s.size() != kept.size() || s.sha256 != kz::sha256_hex(kept) ||
        s.cut_at_limit != (w.bytes.size() > 4096) || s.bytes != kept.substr(0, 512))
      std::abort();
  }
  (void)kz::parse_rfc2822(in);
  (void)kz::parse_iso8601(in, kz::TimeZone("UTC"));
  return 0;
}
