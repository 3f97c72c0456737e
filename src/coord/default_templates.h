// The shipped notice templates (data/templates/notice_{ja,en}.txt), compiled in.
#pragma once

namespace kz::coord {

const char* default_notice_ja();
const char* default_notice_en();

}  // namespace kz::coord
