// The life of a site (a reported URL, or the address itself when there is no URL) while the
// centre coordinates its takedown. Pure: states, actions and the transition table;
// the store records every transition as an event with time, actor and reason.
//
//   new ──notify──► notified ──reply──► replied ──takedown-reported──► takedown_reported
//    │ (already gone when reported: verify-down ──► down_verified)
//                    │  ▲  │                                                  │
//        remind (no  │  │  └──── takedown-reported / verify-down ─────────────┤
//        response) ▼  │renotify                                               ▼
//                 reminded ──escalate──► escalated            down_verified ──close──► closed
//                                                                  │   ▲          │
//                                                       revive     ▼   │verify-down│ revive
//                                                                revived ◄─────────┘
//                                                        renotify: revived ──► notified
//
// Check results can also report a site down from `notified`, `replied`, `reminded` or
// `escalated` (the administrator acted without answering). `down_verified` needs two
// consecutive down checks; the checker decides that, not this table.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/states.h"

namespace kz::coord {

// The states are the store's (store/states.h): a site record carries one.
using store::parse_site_state;
using store::SiteState;
using store::to_string;

enum class Action {
  kNotify,            // the first notice to the responder
  kReply,             // the responder answered
  kTakedownReported,  // the responder (or a reply's closure words) says it is gone
  kVerifyDown,        // checks confirmed it is down
  kClose,             // a handler closes the site (after verification)
  kRevive,            // a check found it served again
  kRenotify,          // a new notice after a revival or to the same responder again
  kRemind,            // no response after N business days
  kEscalate,          // still nothing: the national CSIRT or the origin AS
};

std::string_view to_string(Action a);
std::optional<Action> parse_action(std::string_view s);

// The state after `action`, or kInvalidArgument naming the state, the action and what is
// possible from that state ("a site in state new cannot be verified down; possible: notify").
Result<SiteState> apply(SiteState from, Action action);

// The actions possible from `state`, in a stable order.
std::vector<Action> possible_actions(SiteState state);

// True for the states in which a site no longer needs anything from anybody.
inline bool is_finished(SiteState s) { return s == SiteState::kClosed; }

}  // namespace kz::coord
