#include "server/throttle.h"

namespace kz::server {

Status Throttle::check(const std::string& key, Time now, const std::string& what) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(key);
  if (it == windows_.end()) {
    if (windows_.size() < max_keys_) return {};
    drop_ended(now);
    if (windows_.size() < max_keys_) return {};
    return fail(Error::Limited("too many " + what + " from too many places: try again later",
                               static_cast<int>(window_.count())));
  }
  const Time end = it->second.start + window_;
  if (now >= end) {
    windows_.erase(it);
    return {};
  }
  if (it->second.events < limit_) return {};
  const auto wait = std::chrono::duration_cast<std::chrono::seconds>(end - now).count();
  return fail(Error::Limited("too many " + what + " from this address: try again in " +
                                 std::to_string((wait + 59) / 60) + " minute(s)",
                             static_cast<int>(wait)));
}

void Throttle::count(const std::string& key, Time now) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(key);
  if (it != windows_.end() && now >= it->second.start + window_) {
    windows_.erase(it);
    it = windows_.end();
  }
  if (it == windows_.end()) {
    if (windows_.size() >= max_keys_) drop_ended(now);
    if (windows_.size() >= max_keys_) return;  // check() refuses new keys until some end
    it = windows_.emplace(key, Window{now, 0}).first;
  }
  ++it->second.events;
}

void Throttle::forget(const std::string& key) {
  std::lock_guard lock(mu_);
  windows_.erase(key);
}

void Throttle::drop_ended(Time now) {
  for (auto it = windows_.begin(); it != windows_.end();) {
    it = now >= it->second.start + window_ ? windows_.erase(it) : std::next(it);
  }
}

}  // namespace kz::server
