// The shipped defaults of data/*.toml, compiled into the program so that Kizuna works with no
// files installed. Configuration may name other files instead ([triage] in kizuna.toml).
#pragma once

namespace kz::triage {

const char* default_rules_toml();
const char* default_brands_toml();
const char* default_reporters_toml();

}  // namespace kz::triage
