#include "app/directory.h"

#include "core/json_out.h"
#include "enrich/network_data.h"

namespace kz::app {

Status verify_directory_entry(store::Database& db, const std::string& name,
                              const std::string& actor, Time now) {
  auto data = enrich::NetworkData::load(db.network_data(), db.settings());
  if (!data) return fail(data.error());
  bool known = false;
  for (const auto& [country, c] : (*data)->csirts()) known = known || c.name == name;
  if (!known)
    return fail(Error::InvalidArgument(
        "no CSIRT of this name in the directory (see kizuna directory list)", name));
  return store::in_transaction(db, [&]() -> Status {
    if (auto s = db.settings().verify_directory_entry(name, actor, now); !s) return s;
    return db.events().append_event(
        {now, actor, "directory.verified", "csirt:" + name, JsonOut().field("name", name).done()});
  });
}

}  // namespace kz::app
