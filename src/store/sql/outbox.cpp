// OutboxStore over the SQL layer.
#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/text.h"
#include "store/outbox.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"

namespace kz::store::sql {

namespace {

std::string notices_where(const char* rest) {
  return std::string(
             "SELECT id,kind,audience,report,org,org_kind,recipients,language,tag,subject,body,"
             "reason,status,planned_at,approved_at,approved_by,message_id,mime,signed,encrypted,"
             "attempts,next_attempt_at,last_error,sent_at,replied_at FROM notices ") +
         rest;
}

NoticeRecord read_notice(const Row& q) {
  NoticeRecord n;
  n.id = q.int64(0);
  n.kind = q.parsed(1, parse_notice_kind, NoticeKind::kNotice, "notice kind");
  n.audience = q.parsed(2, parse_audience, Audience::kResponder, "notice audience");
  n.report = q.opt_int64(3);
  n.org = q.text(4);
  n.org_kind = q.text(5);
  const auto rcpt = nlohmann::json::parse(q.text(6), nullptr, false);
  if (rcpt.is_object()) {
    n.to = rcpt.value("to", std::vector<std::string>{});
    n.cc = rcpt.value("cc", std::vector<std::string>{});
  }
  n.language = q.text(7);
  n.tag = q.text(8);
  n.subject = q.text(9);
  n.body = q.text(10);
  n.reason = q.text(11);
  n.status = q.parsed(12, parse_notice_status, NoticeStatus::kCancelled, "notice status");
  n.planned_at = q.time(13);
  n.approved_at = q.opt_time(14);
  n.approved_by = q.text(15);
  n.message_id = q.text(16);
  n.mime = q.blob(17);
  n.is_signed = q.boolean(18);
  n.encrypted = q.boolean(19);
  n.attempts = q.integer(20);
  n.next_attempt_at = q.opt_time(21);
  n.last_error = q.text(22);
  n.sent_at = q.opt_time(23);
  n.replied_at = q.opt_time(24);
  return n;
}

class SqlOutboxStore final : public OutboxStore {
 public:
  explicit SqlOutboxStore(Connection& c) : c_(c) {}

  Result<Id> add_notice(const NoticeRecord& n) override {
    auto id = c_.insert_returning_id(
        "INSERT INTO notices(kind,audience,report,org,org_kind,recipients,language,tag,subject,"
        "body,reason,status,planned_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13) "
        "RETURNING id",
        n.kind, n.audience, n.report, n.org, n.org_kind,
        nlohmann::json{{"to", n.to}, {"cc", n.cc}}.dump(), n.language, n.tag, n.subject, n.body,
        n.reason, n.status, n.planned_at);
    if (!id) return fail(id.error());
    for (Id site : n.sites) {
      if (auto r =
              c_.exec("INSERT INTO notice_sites(notice,site) VALUES(?1,?2) ON CONFLICT DO NOTHING",
                      *id, site);
          !r)
        return fail(r.error());
    }
    return *id;
  }

  Status update_notice(const NoticeRecord& n) override {
    return c_.exec(
        "UPDATE notices SET status=?2, approved_at=?3, approved_by=?4, message_id=?5, mime=?6, "
        "signed=?7, encrypted=?8, attempts=?9, next_attempt_at=?10, last_error=?11, sent_at=?12, "
        "tag=?13, subject=?14, body=?15 WHERE id=?1",
        n.id, n.status, n.approved_at, n.approved_by, n.message_id,
        n.mime.empty() ? std::nullopt : std::optional<Blob>(Blob{n.mime}), n.is_signed, n.encrypted,
        n.attempts, n.next_attempt_at, n.last_error, n.sent_at, n.tag, n.subject, n.body);
  }

  Result<NoticeRecord> get_notice(Id id) override {
    static const std::string sql = notices_where("WHERE id=?1");
    auto rows = with_sites(c_.query(sql, read_notice, id));
    if (!rows) return fail(rows.error());
    if (rows->empty())
      return fail(Error::NotFound("no notice with this number", "notice " + std::to_string(id)));
    return std::move(rows->front());
  }

  Result<std::vector<NoticeRecord>> notices(std::optional<NoticeStatus> status) override {
    static const std::string all = notices_where("ORDER BY id");
    static const std::string with_status = notices_where("WHERE status=?1 ORDER BY id");
    if (!status) return with_sites(c_.query(all, read_notice));
    return with_sites(c_.query(with_status, read_notice, *status));
  }

  Result<std::vector<NoticeRecord>> notices_of_report(Id report) override {
    static const std::string sql = notices_where("WHERE report=?1 ORDER BY id");
    return with_sites(c_.query(sql, read_notice, report));
  }

  Result<std::vector<NoticeRecord>> notices_due(Time now) override {
    static const std::string sql = notices_where(
        "WHERE status='approved' AND (next_attempt_at IS NULL OR next_attempt_at<=?1) "
        "ORDER BY id");
    return with_sites(c_.query(sql, read_notice, now));
  }

  Result<std::vector<NoticeRecord>> notices_sent(Time from, Time to) override {
    static const std::string sql =
        notices_where("WHERE status='sent' AND sent_at>=?1 AND sent_at<?2 ORDER BY id");
    return with_sites(c_.query(sql, read_notice, from, to));
  }

  Result<std::optional<Id>> notice_by_message_id(const std::vector<std::string>& ids) override {
    for (const auto& mid : ids) {
      if (mid.empty()) continue;
      auto id = c_.query_int("SELECT id FROM notices WHERE message_id=?1 AND status='sent'", mid);
      if (!id || *id) return id;
    }
    return std::optional<Id>{};
  }

  Result<std::vector<Id>> sites_of_notices_in(const std::vector<NoticeStatus>& statuses) override {
    std::vector<Id> out;
    for (const auto& status : statuses) {
      auto s = c_.for_each(
          "SELECT ns.site FROM notice_sites ns JOIN notices n ON n.id=ns.notice "
          "WHERE n.status=?1",
          [&out](const Row& r) { out.push_back(r.int64(0)); }, status);
      if (!s) return fail(s.error());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  Status set_notice_replied(Id notice, Time at) override {
    return c_.exec("UPDATE notices SET replied_at=?2 WHERE id=?1 AND replied_at IS NULL", notice,
                   at);
  }

  Status add_bounce(const std::string& address, Time at, Id notice,
                    const std::string& reason) override {
    return c_.exec("INSERT INTO contact_bounces(address,at,notice,reason) VALUES(?1,?2,?3,?4)",
                   to_lower_ascii(address), at, notice, reason);
  }

  Result<int64_t> bounce_count(const std::string& address) override {
    auto n = c_.query_int("SELECT COUNT(*) FROM contact_bounces WHERE address=?1",
                          to_lower_ascii(address));
    if (!n) return fail(n.error());
    return n->value_or(0);
  }

 private:
  // Fills in each notice's sites.
  Result<std::vector<NoticeRecord>> with_sites(Result<std::vector<NoticeRecord>> notices) {
    if (!notices) return notices;
    for (auto& n : *notices) {
      auto s = c_.for_each(
          "SELECT site FROM notice_sites WHERE notice=?1 ORDER BY site",
          [&n](const Row& r) { n.sites.push_back(r.int64(0)); }, n.id);
      if (!s) return fail(s.error());
    }
    return notices;
  }

  Connection& c_;
};

}  // namespace

std::unique_ptr<OutboxStore> make_outbox_store(Connection& c) {
  return std::make_unique<SqlOutboxStore>(c);
}

}  // namespace kz::store::sql
