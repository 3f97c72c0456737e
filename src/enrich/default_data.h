// The shipped starter CSIRT list (data/csirts.toml), compiled in.
#pragma once

namespace kz::enrich {

const char* default_csirts_toml();

}  // namespace kz::enrich
