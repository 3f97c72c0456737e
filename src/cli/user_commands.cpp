// `kizuna user ...`: the people and tools who use the server (app/access.h).
#include <cstdio>
#include <iostream>

#include "app/access.h"
#include "app/shapes.h"
#include "cli/context.h"

namespace kz::cli {

namespace {

// One line of standard input (a password piped in, never on the command line).
Result<std::string> password_from_stdin() {
  std::string line;
  if (!std::getline(std::cin, line) || line.empty()) {
    return fail(Error::InvalidArgument("--password-stdin: no password on standard input"));
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int run_user_add(const Common& common, const std::string& name, const std::string& role_name,
                 bool password_stdin) {
  int code = kExitOk;
  auto s = open_session(common, code, /*create=*/true);
  if (!s) return code;
  auto role = app::parse_role(role_name);
  if (!role) {
    return report_error(
        Error::InvalidArgument("--role must be admin, handler or analyst", role_name));
  }
  std::string password;
  if (password_stdin) {
    auto p = password_from_stdin();
    if (!p) return report_error(p.error());
    password = std::move(*p);
  }
  auto id = app::add_user(*s->store, s->ctx.clock->now(), name, *role, password, handler_name(""));
  if (!id) return report_error(id.error());
  if (s->ctx.json) {
    std::cout << app::Json{{"user", *id}, {"name", name}, {"role", role_name}}.dump(2) << "\n";
  } else {
    std::printf(s->ctx.lang == "ja" ? "利用者 %s (%s) を追加しました\n" : "added user %s (%s)\n",
                name.c_str(), role_name.c_str());
  }
  return kExitOk;
}

int run_user_passwd(const Common& common, const std::string& name) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  auto p = password_from_stdin();
  if (!p) return report_error(p.error());
  if (auto r = app::set_password(*s->store, s->ctx.clock->now(), name, *p, handler_name("")); !r)
    return report_error(r.error());
  if (!s->ctx.json)
    std::printf(s->ctx.lang == "ja" ? "%s のパスワードを設定しました\n" : "password of %s set\n",
                name.c_str());
  return kExitOk;
}

int run_user_token(const Common& common, const std::string& name,
                   const std::vector<std::string>& scopes, const std::string& label, int days) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  std::optional<std::chrono::seconds> lifetime;
  if (days > 0) lifetime = std::chrono::hours(24) * days;
  auto t = app::create_token(*s->store, s->ctx.clock->now(), name, scopes, label, lifetime,
                             handler_name(""));
  if (!t) return report_error(t.error());
  if (s->ctx.json) {
    std::cout << app::Json{{"token_id", t->id}, {"token", t->token}}.dump(2) << "\n";
  } else {
    std::printf("%s\n", t->token.c_str());
    std::fprintf(stderr,
                 s->ctx.lang == "ja"
                     ? "トークン %lld: 表示はこの一度だけです。安全な場所に保管してください。\n"
                     : "token %lld: shown this once only; keep it somewhere safe.\n",
                 static_cast<long long>(t->id));
  }
  return kExitOk;
}

int run_user_revoke(const Common& common, const std::string& name, int64_t token) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  if (auto r = app::revoke_token(*s->store, s->ctx.clock->now(), name, token, handler_name("")); !r)
    return report_error(r.error());
  if (!s->ctx.json)
    std::printf(s->ctx.lang == "ja" ? "トークン %lld を失効させました\n" : "token %lld revoked\n",
                static_cast<long long>(token));
  return kExitOk;
}

int run_user_disable(const Common& common, const std::string& name) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  if (auto r = app::disable_user(*s->store, s->ctx.clock->now(), name, handler_name("")); !r)
    return report_error(r.error());
  if (!s->ctx.json)
    std::printf(s->ctx.lang == "ja" ? "%s を無効にしました\n" : "user %s disabled\n", name.c_str());
  return kExitOk;
}

int run_user_list(const Common& common) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  auto users = app::list_users(*s->store);
  if (!users) return report_error(users.error());
  app::Json out = app::Json::array();
  for (const auto& u : *users) out.push_back(app::user_json(u));
  if (s->ctx.json) {
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  for (const auto& u : out) {
    std::printf("%-24s %-8s %s%s tokens:%lld\n", u["name"].get<std::string>().c_str(),
                u["role"].get<std::string>().c_str(), u["disabled"].get<bool>() ? "disabled " : "",
                u["password"].get<bool>() ? "password" : "-",
                static_cast<long long>(u["tokens"].get<int64_t>()));
  }
  return kExitOk;
}

int run_user_totp(const Common& common, const std::string& name, bool remove) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  auto uri = app::set_totp(*s->store, s->ctx.clock->now(), s->ctx.cfg.centre_name, name, remove,
                           handler_name(""));
  if (!uri) return report_error(uri.error());
  if (s->ctx.json) {
    std::cout << app::Json{{"name", name}, {"totp", !remove}, {"uri", *uri}}.dump(2) << "\n";
  } else if (remove) {
    std::printf(
        s->ctx.lang == "ja" ? "%s の二要素認証を外しました\n" : "second factor of %s removed\n",
        name.c_str());
  } else {
    // Shown once: the secret is in the URI.
    std::printf(s->ctx.lang == "ja"
                    ? "%s の認証アプリに次の URI を登録してください (一度だけ表示):\n%s\n"
                    : "add this URI to %s's authenticator app (shown once):\n%s\n",
                name.c_str(), uri->c_str());
  }
  return kExitOk;
}

}  // namespace

void add_user_commands(CLI::App& app, Common& common, int& exit_code) {
  struct Args {
    std::string name, role = "handler", label;
    bool password_stdin = false;
    std::vector<std::string> scopes;
    int days = 0;
    int64_t token = 0;
  };
  static Args a;  // lives as long as the program: the callbacks run after this returns
  auto* user = app.add_subcommand("user", "users of the server and their API tokens");
  user->fallthrough();
  user->require_subcommand(1);

  auto* add = user->add_subcommand("add", "add a user (the first admin of a new centre too)");
  add->fallthrough();
  add->add_option("name", a.name, "the user's name")->required();
  add->add_option("--role", a.role, "admin, handler or analyst (default handler)");
  add->add_flag("--password-stdin", a.password_stdin,
                "read the password (12 characters or more) from standard input");
  add->callback([&] { exit_code = run_user_add(common, a.name, a.role, a.password_stdin); });

  auto* passwd = user->add_subcommand("passwd", "set a user's password from standard input");
  passwd->fallthrough();
  passwd->add_option("name", a.name, "the user's name")->required();
  passwd->callback([&] { exit_code = run_user_passwd(common, a.name); });

  auto* token = user->add_subcommand("token", "make an API token for a user (shown once)");
  token->fallthrough();
  token->add_option("name", a.name, "the user's name")->required();
  token->add_option("--scope", a.scopes, "read, write, messages:submit or sensor:<id> (repeat)")
      ->required();
  token->add_option("--label", a.label, "what the token is for (an MTA, a script)");
  token->add_option("--days", a.days, "valid for this many days (default: until revoked)");
  token->callback([&] { exit_code = run_user_token(common, a.name, a.scopes, a.label, a.days); });

  auto* revoke = user->add_subcommand("revoke", "revoke one of a user's tokens");
  revoke->fallthrough();
  revoke->add_option("name", a.name, "the user's name")->required();
  revoke->add_option("token", a.token, "the token's number")->required();
  revoke->callback([&] { exit_code = run_user_revoke(common, a.name, a.token); });

  auto* disable = user->add_subcommand("disable", "stop a user: no login, no token works");
  disable->fallthrough();
  disable->add_option("name", a.name, "the user's name")->required();
  disable->callback([&] { exit_code = run_user_disable(common, a.name); });

  static bool remove_totp = false;
  auto* totp = user->add_subcommand(
      "totp", "give a user a second factor (TOTP): prints the URI for an authenticator app");
  totp->fallthrough();
  totp->add_option("name", a.name, "the user's name")->required();
  totp->add_flag("--remove", remove_totp, "take the second factor away instead");
  totp->callback([&] { exit_code = run_user_totp(common, a.name, remove_totp); });

  auto* list = user->add_subcommand("list", "the users, their roles and live tokens");
  list->fallthrough();
  list->callback([&] { exit_code = run_user_list(common); });
}

}  // namespace kz::cli
