// Classification rules: which words, structured report types and log kinds make a message a
// scan, forged, intrusion, phishing or other incident (with RSIT beside it), which purposes are
// not incidents, which tags an intrusion gets, and which phrases mark the reporter's own
// (victim) addresses. Loaded from TOML (data/rules.toml is compiled in as the default;
// `[triage] rules = PATH` overrides it). Immutable after load: share across threads freely.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/taxonomy.h"
#include "triage/keyword_set.h"
#include "triage/logs.h"

namespace kz::triage {

struct TypeRule {
  std::string id;  // "phishing", "other/dos"
  Classification cls;
  std::vector<std::string> keywords;
  std::vector<std::string> structured;  // "content/phishing", "phishing", "login-attack"
  std::vector<LogKind> logs;
};

struct PurposeRule {
  Purpose purpose;
  std::vector<std::string> keywords;
};

struct TagRule {
  std::string tag;
  std::vector<IncidentType> types;  // empty: any type
  std::vector<std::string> keywords;
};

// What the rules make of one message's text.
struct Verdict {
  std::optional<Classification> cls;  // nullopt: no rule matched at all
  int score = 0;
  std::string rule;                     // id of the winning rule
  std::optional<Purpose> purpose_hint;  // a non-incident purpose named in the text
  bool purpose_in_subject = false;
  std::vector<std::string> tags;
};

class Rules {
 public:
  // Parses rules TOML; kParse with file:line for a bad document or an unknown type name.
  static Result<std::shared_ptr<const Rules>> parse(std::string_view toml,
                                                    const std::string& origin);
  // The defaults shipped in data/rules.toml.
  static std::shared_ptr<const Rules> defaults();

  // Scores the type rules on subject (weighted) and body; `log_kinds` are the log formats seen
  // in the message. Structured types are looked up separately (structured()).
  Verdict classify(std::string_view subject, std::string_view body,
                   const std::vector<LogKind>& log_kinds) const;
  // The rule for an X-ARF/ARF/form type ("connection", "login-attack"), or nullopt.
  std::optional<Classification> structured(std::string_view category, std::string_view type) const;
  // True when `context` (the text between the previous address on the line and this one)
  // marks the address as the reporter's own: a victim phrase ("our server", "当社のサーバ")
  // stands nearer to the address than any attacker phrase ("from", "攻撃元").
  // `after`: the text right after the address (to the next address); the words there decide
  // first ("192.0.2.10 に対して" victim, "198.51.100.7 から" attacker).
  bool victim_context(std::string_view context, std::string_view after = {}) const;

  // Reference sites (schemas, specifications, key servers) whose URLs and addresses are never
  // reported: `[roles] reference_domains`, matched on the host or any parent domain.
  bool reference_host(std::string_view host) const;
  bool reference_ip(std::string_view ip) const;
  // True when the words before a URL refer the reader to it ("see", "go to", "詳しくは").
  bool reference_lead(std::string_view before) const;

  const std::vector<TypeRule>& types() const { return types_; }
  int subject_weight() const { return subject_weight_; }

 private:
  std::vector<TypeRule> types_;
  std::vector<PurposeRule> purposes_;
  std::vector<TagRule> tags_;
  std::vector<std::string> victim_phrases_;
  std::vector<std::string> attacker_phrases_;
  std::vector<std::string> victim_after_;
  std::vector<std::string> reference_domains_;
  std::vector<std::string> reference_ips_;
  KeywordSet reference_lead_;
  std::vector<std::string> attacker_after_;
  int subject_weight_ = 3;
  int log_weight_ = 2;
  // One automaton for everything: keyword index -> (kind, rule index).
  KeywordSet keywords_;
  struct Owner {
    enum Kind { kType, kPurpose, kTag } kind;
    size_t rule;
  };
  std::vector<Owner> owners_;
  KeywordSet victim_set_;
  KeywordSet attacker_set_;
  std::map<std::string, size_t> structured_index_;
};

}  // namespace kz::triage
