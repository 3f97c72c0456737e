// What every repository shares: record ids, and the times stored as whole seconds.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "core/time.h"

namespace kz::store {

using Id = int64_t;

}  // namespace kz::store
