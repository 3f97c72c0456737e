#include "coord/workflow.h"

#include <array>

namespace kz::coord {

namespace {

constexpr std::array<std::string_view, 9> kActions = {"notify",      "reply",  "takedown-reported",
                                                      "verify-down", "close",  "revive",
                                                      "renotify",    "remind", "escalate"};

struct Transition {
  SiteState from;
  Action action;
  SiteState to;
};

// The whole table: anything not here is refused.
constexpr Transition kTable[] = {
    {SiteState::kNew, Action::kNotify, SiteState::kNotified},
    {SiteState::kNew, Action::kVerifyDown, SiteState::kDownVerified},  // already gone when reported
    {SiteState::kNotified, Action::kReply, SiteState::kReplied},
    {SiteState::kNotified, Action::kTakedownReported, SiteState::kTakedownReported},
    {SiteState::kNotified, Action::kVerifyDown, SiteState::kDownVerified},
    {SiteState::kNotified, Action::kRemind, SiteState::kReminded},
    {SiteState::kNotified, Action::kRenotify, SiteState::kNotified},
    {SiteState::kReplied, Action::kReply, SiteState::kReplied},
    {SiteState::kReplied, Action::kTakedownReported, SiteState::kTakedownReported},
    {SiteState::kReplied, Action::kVerifyDown, SiteState::kDownVerified},
    {SiteState::kReplied, Action::kRemind, SiteState::kReminded},
    {SiteState::kTakedownReported, Action::kReply, SiteState::kTakedownReported},
    {SiteState::kTakedownReported, Action::kVerifyDown, SiteState::kDownVerified},
    {SiteState::kTakedownReported, Action::kRevive,
     SiteState::kRevived},  // reported gone, still served
    {SiteState::kDownVerified, Action::kClose, SiteState::kClosed},
    {SiteState::kDownVerified, Action::kRevive, SiteState::kRevived},
    {SiteState::kClosed, Action::kRevive, SiteState::kRevived},
    {SiteState::kRevived, Action::kRenotify, SiteState::kNotified},
    {SiteState::kRevived, Action::kVerifyDown, SiteState::kDownVerified},
    {SiteState::kReminded, Action::kReply, SiteState::kReplied},
    {SiteState::kReminded, Action::kTakedownReported, SiteState::kTakedownReported},
    {SiteState::kReminded, Action::kVerifyDown, SiteState::kDownVerified},
    {SiteState::kReminded, Action::kEscalate, SiteState::kEscalated},
    {SiteState::kEscalated, Action::kReply, SiteState::kReplied},
    {SiteState::kEscalated, Action::kTakedownReported, SiteState::kTakedownReported},
    {SiteState::kEscalated, Action::kVerifyDown, SiteState::kDownVerified},
};

}  // namespace

std::string_view to_string(Action a) { return kActions[static_cast<size_t>(a)]; }

std::optional<Action> parse_action(std::string_view s) {
  for (size_t i = 0; i < kActions.size(); ++i) {
    if (kActions[i] == s) return static_cast<Action>(i);
  }
  return std::nullopt;
}

std::vector<Action> possible_actions(SiteState state) {
  std::vector<Action> out;
  for (const auto& t : kTable) {
    if (t.from == state) out.push_back(t.action);
  }
  return out;
}

Result<SiteState> apply(SiteState from, Action action) {
  for (const auto& t : kTable) {
    if (t.from == from && t.action == action) return t.to;
  }
  std::string possible;
  for (Action a : possible_actions(from))
    possible += (possible.empty() ? "" : ", ") + std::string(to_string(a));
  return fail(
      Error::InvalidArgument("a site in state " + std::string(to_string(from)) +
                             " cannot take the action " + std::string(to_string(action)) +
                             (possible.empty() ? std::string("; nothing is possible from there")
                                               : "; possible: " + possible)));
}

}  // namespace kz::coord
