// NetworkDataStore over the SQL layer.
#include "store/network_data.h"
#include "core/text.h"
#include "store/database.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"

namespace kz::store::sql {

namespace {

class SqlNetworkDataStore final : public NetworkDataStore {
 public:
  SqlNetworkDataStore(Connection& c, Transactions& tx) : c_(c), tx_(tx) {}

  Status replace_origins(const DataSetInfo& info, const std::vector<OriginRow>& rows) override {
    return replace(info, "DELETE FROM net_origins", [&]() -> Status {
      for (const auto& r : rows) {
        std::string origins;
        for (uint32_t a : r.origins) origins += (origins.empty() ? "" : " ") + std::to_string(a);
        if (auto s =
                c_.exec("INSERT INTO net_origins(prefix,origins) VALUES(?1,?2)", r.prefix, origins);
            !s)
          return s;
      }
      return {};
    });
  }

  Status replace_delegations(const DataSetInfo& info,
                             const std::vector<DelegationRow>& rows) override {
    return replace(info, "DELETE FROM net_delegations", [&]() -> Status {
      for (const auto& r : rows) {
        if (auto s = c_.exec(
                "INSERT INTO net_delegations(prefix,registry,country,status) VALUES(?1,?2,?3,?4)",
                r.prefix, r.registry, r.country, r.status);
            !s)
          return s;
      }
      return {};
    });
  }

  Status replace_as_names(const DataSetInfo& info, const std::vector<AsNameRow>& rows) override {
    return replace(info, "DELETE FROM as_names", [&]() -> Status {
      for (const auto& r : rows) {
        // A number listed twice keeps its last line.
        if (auto s = c_.exec(
                "INSERT INTO as_names(asn,name,country) VALUES(?1,?2,?3) ON CONFLICT(asn) DO "
                "UPDATE SET name=excluded.name, country=excluded.country",
                int64_t{r.asn}, r.name, r.country);
            !s)
          return s;
      }
      return {};
    });
  }

  Status replace_documents(const DataSetInfo& info,
                           const std::vector<DataDocument>& docs) override {
    return replace(info, nullptr, [&]() -> Status {
      if (auto s = c_.exec("DELETE FROM data_documents WHERE kind=?1", info.kind); !s) return s;
      int64_t seq = 0;
      for (const auto& d : docs) {
        if (auto s =
                c_.exec("INSERT INTO data_documents(kind,name,content,seq) VALUES(?1,?2,?3,?4)",
                        info.kind, d.name, d.content, ++seq);
            !s)
          return s;
      }
      return {};
    });
  }

  Result<std::vector<OriginRow>> origins() override {
    return c_.query("SELECT prefix, origins FROM net_origins", [](const Row& s) {
      OriginRow r{s.text(0), {}};
      const std::string origins = s.text(1);  // split() views into it: keep it alive
      for (auto part : split(origins, ' ')) {
        if (!part.empty())
          r.origins.push_back(static_cast<uint32_t>(std::stoul(std::string(part))));
      }
      return r;
    });
  }

  Result<std::vector<DelegationRow>> delegations() override {
    return c_.query("SELECT prefix, registry, country, status FROM net_delegations",
                    [](const Row& s) {
                      return DelegationRow{s.text(0), s.text(1), s.text(2), s.text(3)};
                    });
  }

  Result<std::vector<AsNameRow>> as_names() override {
    return c_.query("SELECT asn, name, country FROM as_names", [](const Row& s) {
      return AsNameRow{static_cast<uint32_t>(s.int64(0)), s.text(1), s.text(2)};
    });
  }

  Result<std::vector<DataDocument>> documents(const std::string& kind) override {
    return c_.query(
        "SELECT name, content FROM data_documents WHERE kind=?1 ORDER BY seq",
        [](const Row& s) {
          return DataDocument{s.text(0), s.text(1)};
        },
        kind);
  }

  Result<std::vector<DataSetInfo>> data_sets() override {
    return c_.query(
        "SELECT kind, source, loaded_at, entries, problems, version FROM data_sets ORDER BY kind",
        [](const Row& s) {
          return DataSetInfo{s.text(0), s.text(1), s.time(2), s.int64(3), s.int64(4), s.int64(5)};
        });
  }

 private:
  // Replaces one kind of network data (`clear`, then `insert`) and records it in data_sets, all
  // or nothing.
  template <typename Insert>
  Status replace(const DataSetInfo& info, const char* clear, Insert insert) {
    if (auto s = tx_.begin(); !s) return s;
    Status done = clear ? c_.exec(clear) : Status{};
    if (done) done = insert();
    if (done)
      done = c_.exec(
          "INSERT INTO data_sets(kind,source,loaded_at,entries,problems,version) "
          "VALUES(?1,?2,?3,?4,?5,(SELECT COALESCE(MAX(version),0)+1 FROM data_sets)) "
          "ON CONFLICT(kind) DO UPDATE SET source=excluded.source, loaded_at=excluded.loaded_at, "
          "entries=excluded.entries, problems=excluded.problems, version=excluded.version",
          info.kind, info.source, info.loaded_at, info.entries, info.problems);
    if (!done) {
      tx_.rollback();
      return done;
    }
    return tx_.commit();
  }

  Connection& c_;
  Transactions& tx_;
};

}  // namespace

std::unique_ptr<NetworkDataStore> make_network_data_store(Connection& c, Transactions& tx) {
  return std::make_unique<SqlNetworkDataStore>(c, tx);
}

}  // namespace kz::store::sql
