// Human output is safe to show on a terminal: text from outside (a reporter's subject, a file
// name, a URL) may hold ANSI or OSC escape sequences, backspaces or carriage returns that would
// clear the screen, retitle the window or overwrite lines. Once installed, everything written to
// std::cout and std::cerr passes through kz::terminal_safe (core/text.h): control characters
// other than '\n' and '\t' are printed as visible escapes ("\x1b"). Standard output is left
// alone under --json (JSON escapes control characters itself and must stay exact).
//
// Not thread-safe: install once, from main's thread, before other threads write.
#pragma once

namespace kz::cli {

// Filters std::cerr, and std::cout when `standard_output`, from now until the process exits.
// Idempotent.
void install_terminal_filter(bool standard_output);

}  // namespace kz::cli
