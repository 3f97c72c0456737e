#include "cli/messages.h"

#include <map>
#include <utility>
#include <vector>

namespace kz::cli {

namespace {

struct Text {
  const char* ja;
  const char* en;
};

const std::map<std::string_view, Text>& catalog() {
  static const std::map<std::string_view, Text> kCatalog = {
      {"figures.title", {"インシデント報告の集計", "Incident report figures"}},
      {"figures.period", {"期間", "Period"}},
      {"figures.messages", {"届出メール数 (インシデント)", "Messages (incident reports)"}},
      {"figures.reports", {"届出件数", "Reports"}},
      {"figures.incidents", {"インシデント件数 (IPアドレス別)", "Incidents (per IP address)"}},
      {"figures.by_type", {"タイプ別", "By type"}},
      {"figures.reporter_tld", {"届出元トップレベルドメイン", "Reporters by top-level domain"}},
      {"figures.scan_ports", {"スキャンの宛先ポート", "Scan destination ports"}},
      {"figures.comprehensive", {"総合的なプローブ、スキャン", "Comprehensive probes and scans"}},
      {"figures.phishing", {"フィッシング (装ったブランド)", "Phishing (imitated brand)"}},
      {"figures.domestic", {"国内", "domestic"}},
      {"figures.foreign", {"国外", "foreign"}},
      {"figures.unknown", {"不明", "unknown"}},
      {"figures.non_incident", {"インシデント以外の届出", "Non-incident messages"}},
      {"figures.notifications", {"通知連絡", "Notifications sent"}},
      {"figures.reporter_mails",
       {"報告者への連絡（受付・完了）", "Mails to reporters (acknowledgements, closures)"}},
      {"figures.tags", {"侵入の手口と侵入後の操作", "Intrusion methods and actions"}},
      {"type.scan", {"スキャン (scan)", "scan"}},
      {"type.forged", {"送信ヘッダ詐称 (forged)", "forged"}},
      {"type.intrusion", {"侵入 (intrusion)", "intrusion"}},
      {"type.phishing", {"フィッシング (phishing)", "phishing"}},
      {"type.other", {"その他 (other)", "other"}},
      {"ingest.summary", {"取り込み結果", "Ingest summary"}},
      {"whois.prefix", {"プレフィックス", "prefix"}},
      {"whois.asn", {"AS 番号", "asn"}},
      {"whois.as_name", {"AS 名", "as_name"}},
      {"whois.country", {"国", "country"}},
      {"whois.registry", {"レジストリ", "registry"}},
      {"whois.org", {"管理者", "org"}},
      {"whois.abuse", {"連絡先", "abuse"}},
      {"whois.csirt", {"国の CSIRT", "csirt"}},
      {"whois.unverified", {" (未確認)", " (to be verified)"}},
      {"whois.route", {"通知先", "route"}},
      {"data.entries", {"件", "entries"}},
      {"data.problems", {"件の問題", "problems"}},
      {"data.loaded", {"読み込み", "loaded"}},
      {"data.hours_ago", {"時間前", "h ago"}},
      {"checks.none", {"このサイトの確認はまだありません", "no checks of this site yet"}},
      {"ingest.new", {"新規", "new"}},
      {"ingest.duplicate", {"重複 (既に保存済み)", "duplicate (already stored)"}},
      {"ingest.quarantined",
       {"隔離 (解析できず、原文は保存済み)", "quarantined (unreadable; raw bytes kept)"}},
      {"ingest.partial", {"一部のみ解析", "partly parsed"}},
      {"ingest.reports", {"新しい届出", "new reports"}},
      {"ingest.merged", {"既存の届出に統合", "merged into existing reports"}},
      {"ingest.non_incident", {"インシデント以外", "not incidents"}},
      {"reports.none", {"該当する届出はありません", "No matching reports"}},
      {"quarantine.none", {"隔離されたメッセージはありません", "No quarantined messages"}},
      {"quarantine.reason", {"理由", "Reason"}},
      {"quarantine.received", {"受信", "Received"}},
      {"quarantine.hint", {"修正後に再処理するには:", "After a fix, run it again with:"}},
      {"incidents.none", {"該当するインシデントはありません", "No matching incidents"}},
      {"report.messages", {"メール", "Messages"}},
      {"report.incidents", {"インシデント", "Incidents"}},
      {"report.events", {"イベント履歴", "Event log"}},
      {"report.tags", {"タグ", "Tags"}},
      {"report.linked", {"同一ホストの過去の届出", "Earlier report on the same host"}},
      {"classify.done", {"分類を変更しました", "Classification changed"}},
      {"error.unavailable",
       {"データベースを利用できません。後で再試行してください",
        "The store is unavailable; try again later"}},
  };
  return kCatalog;
}

}  // namespace

std::string_view tr(std::string_view lang, std::string_view key) {
  auto it = catalog().find(key);
  if (it == catalog().end()) return key;
  return lang == "en" ? it->second.en : it->second.ja;
}

namespace {

// Error messages of the command line, the app and the store, by their English start. The part
// after the start (a path, SQLite's own words, a value) is kept as it is.
const std::vector<std::pair<std::string_view, std::string_view>>& error_catalog() {
  static const std::vector<std::pair<std::string_view, std::string_view>> kErrors = {
      {"no database here: check --db (or [store] path); `kizuna ingest` creates one",
       "データベースがありません: --db（または [store] path）を確認してください。"
       "kizuna ingest で作成されます"},
      {"the database is busy", "データベースは使用中です"},
      {"the disk holding the database is full", "データベースのディスクが一杯です"},
      {"the database cannot be read or written", "データベースを読み書きできません"},
      {"the database file is damaged or not a Kizuna database",
       "データベースファイルが壊れているか、Kizuna のデータベースではありません"},
      {"the database refused a change", "データベースが変更を受け付けませんでした"},
      {"the database is read-only here and needs upgrading",
       "データベースは読み取り専用で、更新が必要です"},
      {"the database was written by a newer Kizuna", "新しい版の Kizuna が書いたデータベースです"},
      {"cannot open the database", "データベースを開けません"},
      {"another worker is running on this database",
       "このデータベースでは別の worker が動いています"},
      {"name files or folders to ingest, or --stdin",
       "取り込むファイルかフォルダ、または --stdin を指定してください"},
      {"name the notices to approve, or --all", "承認する通知の番号か --all を指定してください"},
      {"name the quarantined messages to retry, or --all",
       "再処理する隔離メッセージの番号か --all を指定してください"},
      {"no report with this number", "この番号の届出はありません"},
      {"no incident with this number", "この番号のインシデントはありません"},
      {"no site with this number", "この番号のサイトはありません"},
      {"no notice with this number", "この番号の通知はありません"},
      {"no message with this number", "この番号のメッセージはありません"},
      {"no quarantined message with this number", "この番号の隔離メッセージはありません"},
      {"not a valid IP address", "IP アドレスとして正しくありません"},
      {"--lang must be ja or en", "--lang は ja か en です"},
      {"--now is not a time such as", "--now は次のような日時で指定してください:"},
      {"--from/--to must be dates such as", "--from/--to は次のような日付で指定してください:"},
      {"--to is before --from", "--to が --from より前です"},
      {"the configuration file does not exist", "設定ファイルがありません"},
      {"triage reads one file", "triage はファイルを一つ読みます（フォルダは kizuna ingest で）"},
      {"this is a demo database", "デモ用データベースです"},
      {"no CSIRT of this name in the directory",
       "この名前の CSIRT は登録されていません（kizuna directory list を参照）"},
      {"a host name needs [resolver] enabled",
       "ホスト名には [resolver] enabled = true が必要です（またはアドレスを指定）"},
  };
  return kErrors;
}

}  // namespace

std::string translate_error(std::string_view lang, std::string_view message) {
  if (lang == "en") return std::string(message);
  for (const auto& [en, ja] : error_catalog()) {
    if (message.substr(0, en.size()) == en)
      return std::string(ja) + std::string(message.substr(en.size()));
  }
  return std::string(message);
}

}  // namespace kz::cli
